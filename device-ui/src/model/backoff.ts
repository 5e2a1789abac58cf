// Reconnect delays: exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff
// And Jitter"): a uniformly random delay between 0 and min(cap, base * 2^attempt).

/** Delays for an ordinary drop (server restart, network blip): back within ~2 s of the server returning. */
export const BASE_MS = 250;
export const CAP_MS = 2000;
/** After close code 1013 (too many clients / stopped reading): wait 15-30 s so the device can recover. */
export const LONG_MIN_MS = 15000;
export const LONG_SPAN_MS = 15000;
/**
 * After REFUSED_AFTER failures to open in a row (refused at the handshake, or nothing answering) the page
 * explains (state `refused`, with Retry) and keeps the quick retries, so a restarting device is back at once;
 * after SLOW_AFTER (about 20 s of them) it tries only every SLOW_MS, or at once on Retry.
 */
export const REFUSED_AFTER = 3;
export const SLOW_AFTER = 20;
export const SLOW_MS = 10000;
/** A connection that stayed up this long resets the attempt counter. */
export const STABLE_MS = 10000;

/** The delay before reconnect attempt `attempt` (0-based); `rnd` in [0, 1). */
export const backoffDelay = (attempt: number, rnd = Math.random()): number =>
  Math.floor(rnd * Math.min(CAP_MS, BASE_MS * 2 ** Math.min(attempt, 30)));

/** The delay after a 1013 close. */
export const longDelay = (rnd = Math.random()): number => LONG_MIN_MS + Math.floor(rnd * LONG_SPAN_MS);
