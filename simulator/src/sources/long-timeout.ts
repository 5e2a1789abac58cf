// A timeout that may be longer than setTimeout allows. Node turns a delay over 2^31 - 1 ms into 1 ms and
// emits a TimeoutOverflowWarning; a replay that re-arms after a long gap (a clock jump in a capture, or a
// tiny --speed) would then spin and flood stderr. Every replaying source waits through this helper.

/** The longest delay setTimeout takes (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export type LongTimeout = {
  /** Cancels the timeout; calling it again, or after it fired, does nothing. */
  clear(): void;
};

/**
 * Calls `fn` once after `ms` (a non-finite or negative `ms` counts as 0; Infinity never fires). A delay
 * over MAX_TIMEOUT_MS is waited out in steps of at most MAX_TIMEOUT_MS, so no step overflows.
 */
export function setLongTimeout(fn: () => void, ms: number): LongTimeout {
  let timer: NodeJS.Timeout | undefined;
  let left = Number.isNaN(ms) || ms < 0 ? 0 : ms;
  const arm = () => {
    if (left === Number.POSITIVE_INFINITY) {
      timer = undefined;
      return;
    }
    const step = Math.min(left, MAX_TIMEOUT_MS);
    left -= step;
    timer = setTimeout(left > 0 ? arm : fire, step);
  };
  const fire = () => {
    timer = undefined;
    fn();
  };
  arm();
  return {
    clear() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
