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

/** The Nano's own limits (the simulator's default `nano` profile). */
export const NANO_LIMITS: Readonly<Limits> = {
  maxInboundBytes: 1024,
  maxFrameBytes: 4096,
  maxBatchItems: 128,
  maxClients: 4,
  maxDevices: 512,
  commandsPerSecond: 10,
  commandBurst: 20,
  batchIntervalMs: 200,
  statusIntervalMs: 2000,
};

/** Fixed protocol constants that are not negotiated. */
export const PROTOCOL = {
  /** Batches are cut at this many bytes so a frame fits one TCP segment on the access point. */
  batchTargetBytes: 1400,
  /** The page reconnects when nothing (not even `status`) arrived for this long. */
  silenceTimeoutMs: 7000,
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
  maxNameBytes: 248,
  /** Longest raw advertising or scan-response payload carried, in bytes. */
  maxAdBytes: 255,
  /** Manufacturer-data and service-data entries carried per device. */
  maxDataEntries: 8,
  /** Service UUIDs carried per device. */
  maxUuids: 16,
  /** Longest text in a filter, in characters. */
  maxFilterText: 32,
  /** Company ids a filter may exclude. */
  maxExcluded: 8,
  /** Longest command id, in characters. */
  maxIdLength: 32,
  /** Longest `scan-start` duration in seconds (0 scans until stopped). */
  maxDurationS: 86400,
} as const;
