// Every number both sides must agree on, in one place. The device reports the limits it enforces in
// `hello.limits`; these are the values of the real Nano (ESP32-C3, ~320 KB RAM, one radio).

/** The path of the live socket on the device and the simulator. */
export const ENDPOINT_PATH = '/scan/live';

/** Limits a device enforces and announces in `hello`. */
export type Limits = {
  /** Largest page -> device message in UTF-8 bytes; larger closes the socket with 1009. */
  maxInboundBytes: number;
  /** Largest device -> page frame in UTF-8 bytes (a single oversized record is trimmed to fit). */
  maxFrameBytes: number;
  /** Records plus updates in one `batch` or `snapshot` frame. */
  maxBatchItems: number;
  /** Simultaneous /scan/live clients; one more is closed with 1013. */
  maxClients: number;
  /** Devices kept in the table; beyond it the stalest is evicted (counted in `status.evicted`). */
  maxDevices: number;
  /** Commands per second a client may send (token bucket refill rate). */
  commandsPerSecond: number;
  /** Commands a client may send in one burst (token bucket size). */
  commandBurst: number;
  /** Milliseconds between batches sent to one client (the batch tick). */
  batchIntervalMs: number;
  /** Milliseconds between `status` messages; `status` is the application heartbeat. */
  statusIntervalMs: number;
};

/** The Nano's frame limits, also in NANO_LIMITS (the parsers' defaults). */
export const NANO_MAX_INBOUND_BYTES = 1024;
export const NANO_MAX_FRAME_BYTES = 4096;

/**
 * Bytes a `batch` or `snapshot` frame needs around one record (type, time, arrays, commas); a record is
 * trimmed to fit `maxFrameBytes - FRAME_ENVELOPE_BYTES` so that it always fits a frame on its own.
 */
export const FRAME_ENVELOPE_BYTES = 128;

/** The Nano's own limits (the simulator's default `nano` profile). */
export const NANO_LIMITS: Readonly<Limits> = {
  maxInboundBytes: NANO_MAX_INBOUND_BYTES,
  maxFrameBytes: NANO_MAX_FRAME_BYTES,
  maxBatchItems: 128,
  maxClients: 4,
  maxDevices: 512,
  commandsPerSecond: 10,
  commandBurst: 20,
  batchIntervalMs: 100,
  statusIntervalMs: 2000,
};

/**
 * The PROTOCOL numbers the schemas and the page use, also as plain constants: a bundler can inline a
 * constant but not an object's property, so a page that imports these carries no PROTOCOL object.
 */
export const MAX_NAME_BYTES = 248;
export const MAX_AD_BYTES = 255;
export const MAX_DATA_ENTRIES = 8;
export const MAX_UUIDS = 16;
export const MAX_FILTER_TEXT = 32;
export const MAX_EXCLUDED = 8;
export const MAX_ID_LENGTH = 32;
export const MAX_DURATION_S = 86400;
/** Scan interval and window bounds in milliseconds (the radio's 2.5 ms .. 10.24 s, whole ms). */
export const MIN_SCAN_TIMING_MS = 3;
export const MAX_SCAN_TIMING_MS = 10240;
export const SILENCE_TIMEOUT_MS = 7000;

/** Fixed protocol constants that are not negotiated. */
export const PROTOCOL = {
  /** Batches are cut at this many bytes so a frame fits one TCP segment on the access point. */
  batchTargetBytes: 1400,
  /** The page reconnects when nothing (not even `status`) arrived for this long. */
  silenceTimeoutMs: SILENCE_TIMEOUT_MS,
  /** The device pings every client this often (RFC 6455 ping frame). */
  pingIntervalMs: 15000,
  /** A client that has not answered a ping within this long is terminated. */
  pongTimeoutMs: 30000,
  /** A client that has not drained its socket for this long is closed with 1013. */
  stuckClientMs: 30000,
  /** Sends to a client pause while more than this many bytes wait in its socket. */
  maxBufferedBytes: 16384,
  /** After a `rate-limited` error, this many more over-rate commands close the socket with 1008. */
  rateStrikes: 3,
  /** Longest advertised name in UTF-8 bytes (the GAP maximum); longer names are cut. */
  maxNameBytes: MAX_NAME_BYTES,
  /** Longest raw advertising or scan-response payload carried, in bytes. */
  maxAdBytes: MAX_AD_BYTES,
  /** Manufacturer-data and service-data entries carried per device. */
  maxDataEntries: MAX_DATA_ENTRIES,
  /** Service UUIDs carried per device. */
  maxUuids: MAX_UUIDS,
  /** Longest text in a filter, in characters. */
  maxFilterText: MAX_FILTER_TEXT,
  /** Company ids a filter may exclude. */
  maxExcluded: MAX_EXCLUDED,
  /** Longest command id, in characters. */
  maxIdLength: MAX_ID_LENGTH,
  /** Longest `scan-start` duration in seconds (0 scans until stopped). */
  maxDurationS: MAX_DURATION_S,
} as const;
