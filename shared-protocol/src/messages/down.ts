// device -> page: what the device sends on /scan/live.
import { ERROR_CODE_LIST } from '../codes.js';
import { MAX_ID_LENGTH } from '../limits.js';
import { arr, bool, type Infer, int, lit, num, obj, oneOf, opt, str } from '../schema.js';
import { deviceIdSchema, deviceRecordSchema, deviceUpdateSchema, uptimeMsSchema } from './device-record.js';
import type { HandlerMap, MessageOf } from './dispatch.js';
import { filterSchema, scanStateSchema } from './scan-state.js';

const count = int(0, Number.MAX_SAFE_INTEGER);
const seqSchema = int(0, Number.MAX_SAFE_INTEGER);
const items = 1000; // schema bound on list lengths; the device's own limit is hello.limits.maxBatchItems

export const limitsSchema = obj({
  maxInboundBytes: int(64, 1 << 20),
  maxFrameBytes: int(512, 1 << 20),
  maxBatchItems: int(1, 10000),
  maxClients: int(1, 1000),
  maxDevices: int(1, 1_000_000),
  commandsPerSecond: int(1, 10000),
  commandBurst: int(1, 10000),
  batchIntervalMs: int(10, 10000),
  statusIntervalMs: int(100, 60000),
});

/**
 * The optional abilities a device may list in `hello.caps`, and what each one allows. A command (or a field
 * value) that needs an ability the device did not list is answered `unsupported` and changes nothing; see
 * `missingCap` in up.ts. A `type` that is not in UP_SCHEMAS at all is `unknown-type` instead.
 */
export const CAPS = {
  passive: 'scan-start with mode "passive"',
  duration: 'scan-start with a duration over 0 (a scan that ends by itself)',
  duplicates: 'scan-start with `duplicates` (choosing whether every advertisement is reported)',
  filter: 'the filter command',
  raw: 'records carry `adv`/`rsp`, the raw payloads (no command needs it)',
  clear: 'the clear command',
} as const;
export type Cap = keyof typeof CAPS;

/** First message on every connection. */
export const helloMessageSchema = obj({
  type: lit('hello'),
  protocol: int(1, 65535),
  /** The schema hash the device was built with (8 hex digits); compare with SCHEMA_HASH. */
  schema: str(8, 8, /^[0-9a-f]{8}$/),
  device: obj({
    model: str(64, 1),
    firmware: str(64, 1),
    /** The scanner's own Bluetooth address. */
    address: str(40),
    /** Where discoveries come from: `radio` on the Nano; `noble`, `demo`, `replay`, `hci-replay` on the simulator. */
    source: str(32, 1),
    /** true when the data is synthetic (demo scene), so the page can say so. */
    demo: bool(),
  }),
  /** Changes on every boot (or simulator start); a new epoch means the device restarted. */
  epoch: str(16, 1, /^[0-9a-z]+$/),
  /** This connection's number on the device. */
  client: int(0, Number.MAX_SAFE_INTEGER),
  t: uptimeMsSchema,
  limits: limitsSchema,
  /** Optional abilities, each a key of CAPS (a receiver ignores names it does not know). */
  caps: arr(str(32), 32),
  scan: scanStateSchema,
});
export type HelloMessage = Infer<typeof helloMessageSchema>;

/** Every `limits.statusIntervalMs`: the application heartbeat and the scan's health. */
export const statusMessageSchema = obj({
  type: lit('status'),
  t: uptimeMsSchema,
  scan: scanStateSchema,
  filter: filterSchema,
  /** Advertisements per second received by the radio over the last interval. */
  rate: num(0, 1e9),
  /** Devices in the device's table. */
  devices: count,
  /** Of them, devices matching this connection's filter. */
  shown: count,
  /** Advertisements the device dropped (radio busy, queue full) since boot. */
  drops: count,
  /** Sightings merged into one update for this connection since it opened (newest wins). */
  coalesced: count,
  /** Devices evicted from the full table since boot. */
  evicted: count,
  clients: count,
  /** The last `seq` sent on this connection. */
  seq: seqSchema,
});
export type StatusMessage = Infer<typeof statusMessageSchema>;

/**
 * Discoveries since the last batch on this connection: `d` whole records (new or changed devices), `u`
 * compact updates, `x` ids that left (evicted, or no longer match the filter). `seq` counts batch and
 * snapshot frames on this connection with no gaps: a gap means a frame was lost, resync with a snapshot.
 */
export const batchMessageSchema = obj({
  type: lit('batch'),
  seq: seqSchema,
  t: uptimeMsSchema,
  d: opt(arr(deviceRecordSchema, items)),
  u: opt(arr(deviceUpdateSchema, items)),
  x: opt(arr(deviceIdSchema, items)),
});
export type BatchMessage = Infer<typeof batchMessageSchema>;

/**
 * The whole table as this connection's filter sees it, in one or more parts (`more` is true on all but the
 * last). The page builds a new table from the parts and replaces its own when `more` is false.
 */
export const snapshotMessageSchema = obj({
  type: lit('snapshot'),
  seq: seqSchema,
  t: uptimeMsSchema,
  reason: oneOf(['connect', 'request', 'filter', 'clear']),
  /** Devices in the whole snapshot (all parts). */
  total: count,
  more: bool(),
  d: arr(deviceRecordSchema, items),
});
export type SnapshotMessage = Infer<typeof snapshotMessageSchema>;

/** Sent to every client when a scan ends. */
export const scanCompleteMessageSchema = obj({
  type: lit('scan-complete'),
  t: uptimeMsSchema,
  reason: oneOf(['duration', 'stopped', 'error']),
  /** Advertisements received during the scan. */
  adverts: count,
  /** Distinct devices seen during the scan. */
  devices: count,
  /** How long the scan ran. */
  ms: count,
  message: opt(str(256)),
});
export type ScanCompleteMessage = Infer<typeof scanCompleteMessageSchema>;

export const errorMessageSchema = obj({
  type: lit('error'),
  code: oneOf(ERROR_CODE_LIST),
  message: str(256, 1),
  /** The `id` of the command this answers, when it had one. */
  id: opt(str(MAX_ID_LENGTH, 1)),
});
export type ErrorMessage = Infer<typeof errorMessageSchema>;

export const ackMessageSchema = obj({
  type: lit('ack'),
  id: str(MAX_ID_LENGTH, 1),
  /** The command type acknowledged. */
  command: str(32, 1),
});
export type AckMessage = Infer<typeof ackMessageSchema>;

export const DOWN_SCHEMAS = {
  hello: helloMessageSchema,
  status: statusMessageSchema,
  batch: batchMessageSchema,
  snapshot: snapshotMessageSchema,
  'scan-complete': scanCompleteMessageSchema,
  error: errorMessageSchema,
  ack: ackMessageSchema,
} as const;

export type DownMessageType = keyof typeof DOWN_SCHEMAS;
/** Every device message, derived from DOWN_SCHEMAS (so it cannot drift from the map the parser uses). */
export type DownMessage = MessageOf<typeof DOWN_SCHEMAS>;
/** A client's message handlers: one per device message, or it does not compile (see messages/dispatch.ts). */
export type DownHandlers<Ctx = void, R = void> = HandlerMap<DownMessage, Ctx, R>;
