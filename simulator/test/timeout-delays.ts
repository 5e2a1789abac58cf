// Test support: records the delay of every setTimeout call (the calls still go through). Restored by
// vi.restoreAllMocks().
import { vi } from 'vitest';

/** Starts recording setTimeout delays; returns the list they are pushed to. */
export function recordTimeoutDelays(): number[] {
  const delays: number[] = [];
  const real = globalThis.setTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
    delays.push(ms);
    return real(fn, ms);
  }) as typeof setTimeout);
  return delays;
}
