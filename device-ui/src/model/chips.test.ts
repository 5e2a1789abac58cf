import { classify, type DeviceRecord } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { chips, count } from './chips.ts';
import type { Dev } from './device-table.ts';

const dev = (id: number, mfr?: [number, string]): Dev => ({
  r: {
    id,
    addr: `aa:00:00:00:00:${id}`,
    addrType: 'random',
    rssi: -60,
    conn: false,
    first: 0,
    last: 0,
    count: 1,
    ...(mfr ? { mfr: [mfr] } : {}),
  } as DeviceRecord,
  h: new Int8Array(60),
  hs: 0,
  a: [1, 0],
});

describe('chips', () => {
  it('counts devices by company, largest first, and by kind once decode.js is there', () => {
    // Apple Nearby Info (type 0x10) x3, Microsoft x1, one without manufacturer data.
    const nearby: [number, string] = [0x004c, '1005031c0a1b2c'];
    const devs = [dev(1, nearby), dev(2, nearby), dev(3, nearby), dev(4, [0x0006, '0109']), dev(5)];
    expect(chips(devs, () => undefined)).toEqual([
      { by: 'company', key: 76, n: 3 },
      { by: 'company', key: 6, n: 1 },
    ]);
    const withKinds = chips(devs, (d) => classify(d.r));
    expect(withKinds[0]).toEqual({ by: 'company', key: 76, n: 3 });
    expect(withKinds).toContainEqual({ by: 'kind', key: 'nearby-info', n: 3 });
    expect(chips(devs, () => undefined, 1)).toHaveLength(1);
  });

  it('shows counts with thousands separators', () => {
    expect(count(1200)).toBe('1,200');
    expect(count(7)).toBe('7');
  });
});
