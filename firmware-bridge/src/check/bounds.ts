// The checker's own bounds, in one place: whatever a device announces in hello.limits, a run never opens,
// sends, buffers or waits for more than this. A limit over its bound is not tested (the check is skipped
// and says which bound), never used as sent. The firmware-bridge README lists them.
export const CHECKER_BOUNDS = {
  /** Connections app.max-clients holds at once is maxClients + 1; the simulator's `open` profile has 64. */
  maxClients: 64,
  /** The largest command the inbound-size checks send is maxInboundBytes + 1 bytes. */
  maxInboundBytes: 64 * 1024,
  /** The rate checks send commandBurst + a few commands in one write. */
  maxCommandBurst: 4096,
  /** The status checks wait statusIntervalMs + 1 s for a status. */
  maxStatusIntervalMs: 10_000,
  /** Observation windows are a few batch intervals; longer intervals are observed for this many ms each. */
  maxBatchIntervalMs: 1_000,
  /** The largest server frame (or fragmented message) read; a bigger one is a frame-too-large violation. */
  maxServerMessageBytes: 1 << 20,
  /** Unread server bytes buffered per connection before the checker stops reading from its socket. */
  maxUnreadBytes: 4 << 20,
  /** Text messages kept per connection for the checks to look back at, by count and by total size. */
  maxLoggedMessages: 10_000,
  maxLoggedBytes: 8 << 20,
} as const;

/** --timeout: how long one step (connect, handshake, a reply) may take. */
export const DEFAULT_TIMEOUT_MS = 2000;

/** --deadline: how long a whole run may take; what has not run by then is reported as not run. */
export const DEFAULT_DEADLINE_MS = 60_000;

/**
 * How long one check may take before it is cancelled (its sockets destroyed, its timers cleared) and
 * failed, unless --check-timeout says otherwise: 8 steps plus the longest status interval it waits for.
 */
export const defaultCheckTimeoutMs = (timeoutMs: number): number =>
  8 * timeoutMs + CHECKER_BOUNDS.maxStatusIntervalMs;
