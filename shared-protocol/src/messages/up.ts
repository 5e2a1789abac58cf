// page -> device: the commands a client sends. Each may carry an `id`; the device answers a command that
// has one with `ack` (success) or `error` (failure) carrying the same id.
import { MAX_DURATION_S, MAX_ID_LENGTH, MAX_SCAN_TIMING_MS, MIN_SCAN_TIMING_MS } from '../limits.js';
import { bool, type Infer, int, lit, obj, opt, str } from '../schema.js';
import type { HandlerMap, MessageOf } from './dispatch.js';
import type { Cap } from './down.js';
import { filterSchema, type ScanState, scanModeSchema, scanTimingSchema } from './scan-state.js';

export const commandIdSchema = opt(str(MAX_ID_LENGTH, 1));

/** Start (or re-parameterise) the one scan. Absent fields keep the device's current values. */
export const scanStartMessageSchema = obj({
  type: lit('scan-start'),
  id: commandIdSchema,
  mode: opt(scanModeSchema),
  interval: opt(scanTimingSchema),
  /** Must not exceed the interval. */
  window: opt(scanTimingSchema),
  /** Seconds; 0 scans until stopped. */
  duration: opt(int(0, MAX_DURATION_S)),
  duplicates: opt(bool()),
});
export type ScanStartMessage = Infer<typeof scanStartMessageSchema>;

/**
 * Why a schema-valid `scan-start` cannot be applied as sent, or undefined when it can: a `window` sent
 * without `interval` must not exceed the interval in effect, an `interval` sent without `window` must not
 * be under the window in effect. (Both sent: the parser already refused window > interval.) The device
 * answers `invalid-field` with this text and changes nothing; it never clamps a value silently.
 */
export function scanTimingProblem(
  msg: Pick<ScanStartMessage, 'interval' | 'window'>,
  current: Pick<ScanState, 'interval' | 'window'>,
): string | undefined {
  const { interval, window } = msg;
  if (window !== undefined && interval === undefined && window > current.interval)
    return (
      `window: ${window} ms is over the interval in effect (${current.interval} ms); ` +
      `send a window of ${MIN_SCAN_TIMING_MS}..${current.interval}, or an interval with it`
    );
  if (interval !== undefined && window === undefined && interval < current.window)
    return (
      `interval: ${interval} ms is under the window in effect (${current.window} ms); ` +
      `send an interval of ${current.window}..${MAX_SCAN_TIMING_MS}, or a window with it`
    );
  return undefined;
}

/**
 * The `hello.caps` ability a schema-valid command needs that `caps` lacks, or undefined when the device can
 * do it. The device answers such a command `unsupported` (naming the ability) and changes nothing.
 */
export function missingCap(msg: UpMessage, caps: readonly string[]): Cap | undefined {
  const lacks = (cap: Cap) => !caps.includes(cap);
  if (msg.type === 'filter' || msg.type === 'clear') return lacks(msg.type) ? msg.type : undefined;
  if (msg.type !== 'scan-start') return undefined;
  if (msg.mode === 'passive' && lacks('passive')) return 'passive';
  if (msg.duration && lacks('duration')) return 'duration';
  if (msg.duplicates !== undefined && lacks('duplicates')) return 'duplicates';
  return undefined;
}

export const scanStopMessageSchema = obj({ type: lit('scan-stop'), id: commandIdSchema });
export type ScanStopMessage = Infer<typeof scanStopMessageSchema>;

/** Replace this connection's filter (an empty object clears it). The device answers with a fresh snapshot. */
export const filterMessageSchema = obj({ type: lit('filter'), id: commandIdSchema, filter: filterSchema });
export type FilterMessage = Infer<typeof filterMessageSchema>;

export const snapshotRequestMessageSchema = obj({ type: lit('snapshot-request'), id: commandIdSchema });
export type SnapshotRequestMessage = Infer<typeof snapshotRequestMessageSchema>;

/** Empty the device's table (shared by all clients); every client receives an empty snapshot. */
export const clearMessageSchema = obj({ type: lit('clear'), id: commandIdSchema });
export type ClearMessage = Infer<typeof clearMessageSchema>;

export const UP_SCHEMAS = {
  'scan-start': scanStartMessageSchema,
  'scan-stop': scanStopMessageSchema,
  filter: filterMessageSchema,
  'snapshot-request': snapshotRequestMessageSchema,
  clear: clearMessageSchema,
} as const;

export type UpMessageType = keyof typeof UP_SCHEMAS;
/** Every command, derived from UP_SCHEMAS (so it cannot drift from the map the parser uses). */
export type UpMessage = MessageOf<typeof UP_SCHEMAS>;
/** A device's command handlers: one per command, or it does not compile (see messages/dispatch.ts). */
export type UpHandlers<Ctx = void, R = void> = HandlerMap<UpMessage, Ctx, R>;
