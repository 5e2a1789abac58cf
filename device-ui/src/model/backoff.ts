// Reconnect delays: exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff
// And Jitter"): a uniformly random delay between 0 and min(cap, base * 2^attempt).

/** Delays for an ordinary drop (server restart, network blip): back within ~2 s of the server returning. */
export const BACKOFF = { baseMs: 250, capMs: 2000 } as const;
/** After close code 1013 (too many clients / stopped reading): wait 15-30 s so the device can recover. */
export const LONG_BACKOFF = { minMs: 15000, spanMs: 15000 } as const;
/** A connection that stayed up this long resets the attempt counter. */
export const STABLE_MS = 10000;

/** The delay before reconnect attempt `attempt` (0-based); `rnd` in [0, 1). */
export const backoffDelay = (attempt: number, rnd = Math.random()): number =>
  Math.floor(rnd * Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** Math.min(attempt, 30)));

/** The delay after a 1013 close. */
export const longDelay = (rnd = Math.random()): number =>
  LONG_BACKOFF.minMs + Math.floor(rnd * LONG_BACKOFF.spanMs);
