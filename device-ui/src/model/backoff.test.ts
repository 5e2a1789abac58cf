import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_MS, backoffDelay, CAP_MS, LONG_MIN_MS, LONG_SPAN_MS, longDelay } from './backoff.ts';

describe('backoff', () => {
  it('draws a full-jitter delay between 0 and min(cap, base * 2^attempt)', () => {
    fc.assert(
      fc.property(
        fc.nat(100),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, rnd) => {
          const d = backoffDelay(attempt, rnd);
          const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** attempt);
          return d >= 0 && d < ceiling + 1 && Number.isInteger(d);
        },
      ),
    );
  });

  it('grows exponentially up to the cap', () => {
    const top = (a: number) => backoffDelay(a, 0.999999);
    expect([0, 1, 2, 3, 4, 10].map(top)).toEqual([249, 499, 999, 1999, 1999, 1999]);
    expect(backoffDelay(5, 0)).toBe(0);
  });

  it('waits 15-30 s after a 1013 close', () => {
    expect(longDelay(0)).toBe(LONG_MIN_MS);
    expect(longDelay(0.999999)).toBeLessThan(LONG_MIN_MS + LONG_SPAN_MS);
  });
});
