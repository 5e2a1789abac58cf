import { describe, expect, it } from 'vitest';
import { PairingThrottle, peerKey } from './pairing-throttle.js';

describe('PairingThrottle', () => {
  it('lets the free failures through, then doubles the wait up to the cap', () => {
    let now = 0;
    const t = new PairingThrottle({ freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, now: () => now });
    expect([t.failed('10.0.0.1'), t.failed('10.0.0.1'), t.failed('10.0.0.1')]).toEqual([0, 0, 0]);
    expect(t.waitMs('10.0.0.1')).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      waits.push(t.failed('10.0.0.1'));
      expect(t.waitMs('10.0.0.1')).toBe(waits[i]);
      now += waits[i] ?? 0;
      expect(t.waitMs('10.0.0.1')).toBe(0);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    // Another address is not affected.
    expect(t.waitMs('10.0.0.2')).toBe(0);
  });

  it('starts afresh after a right token or a quiet spell', () => {
    let now = 0;
    const t = new PairingThrottle({ freeFailures: 1, forgetAfterMs: 60_000, now: () => now });
    t.failed('a');
    expect(t.failed('a')).toBe(1000);
    t.succeeded('a');
    expect(t.waitMs('a')).toBe(0);
    expect(t.failed('a')).toBe(0);
    expect(t.failed('a')).toBe(1000);
    now += 60_000;
    expect(t.failed('a')).toBe(0);
  });

  it('remembers at most maxPeers addresses, dropping the one with the oldest failure', () => {
    const t = new PairingThrottle({ freeFailures: 0, maxPeers: 100 });
    for (let i = 0; i < 1000; i++) t.failed(`10.0.${i >> 8}.${i & 255}`);
    expect(t.size).toBe(100);
    expect(t.waitMs('10.0.3.231')).toBeGreaterThan(0);
    expect(t.waitMs('10.0.0.0')).toBe(0);
  });
});

describe('peerKey', () => {
  it('keys IPv4 (also mapped) by address and IPv6 by its /64', () => {
    expect(peerKey('127.0.0.1')).toBe('127.0.0.1');
    expect(peerKey('::ffff:192.168.4.2')).toBe('192.168.4.2');
    expect(peerKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(peerKey('2001:0db8:0000:0001:bbbb:cccc:dddd:eeee')).toBe('2001:db8:0:1::/64');
    expect(peerKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(peerKey('::1')).toBe('0:0:0:0::/64');
    expect(peerKey(undefined)).toBe('');
  });
});
