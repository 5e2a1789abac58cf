import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const b = new TokenBucket(10, 3, () => now);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    now += 100;
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    now += 10_000;
    for (let i = 0; i < 3; i++) expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
  });
});
