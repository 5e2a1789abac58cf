import type { DeviceRecord } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { type Dev, HISTORY, sample, settle } from './device-table.ts';
import { arrange, byRssi, comparator } from './sort.ts';

const dev = (id: number, r: Partial<DeviceRecord> = {}): Dev => ({
  r: {
    id,
    addr: `aa:bb:cc:dd:ee:0${id}`,
    addrType: 'random',
    rssi: -60,
    conn: true,
    first: id,
    last: id,
    count: 1,
    ...r,
  },
  h: new Int8Array(HISTORY),
  hs: 0,
  a: [1, 0],
});
const ids = (l: Dev[]) => l.map((d) => d.r.id);
const none = () => false;

describe('sorting', () => {
  it('sorts by RSSI, strongest first, ties by id (stable)', () => {
    const l = [dev(3, { rssi: -50 }), dev(1, { rssi: -70 }), dev(2, { rssi: -50 })];
    expect(ids(arrange(l, [], byRssi, none, true))).toEqual([2, 3, 1]);
  });

  it('sorts by name with unnamed devices last, by last seen and by first seen', () => {
    const l = [dev(1, { name: 'beta' }), dev(2), dev(3, { name: 'Alpha' }), dev(4, { last: 99, first: 0 })];
    expect(ids(arrange(l, [], comparator('name'), none, true))).toEqual([3, 1, 2, 4]);
    expect(ids(arrange(l, [], comparator('last'), none, true))).toEqual([4, 3, 2, 1]);
    expect(ids(arrange(l, [], comparator('first'), none, true))).toEqual([3, 2, 1, 4]);
  });

  it('sorts a name that looks blank with the unnamed devices, by address', () => {
    const l = [
      dev(1, { name: '\u3164\u3164' }),
      dev(2),
      dev(3, { name: 'zeta' }),
      dev(4, { name: ' \u200b' }),
    ];
    expect(ids(arrange(l, [], comparator('name'), none, true))).toEqual([3, 1, 2, 4]);
  });

  it('puts pinned devices first', () => {
    const l = [dev(1, { rssi: -40 }), dev(2, { rssi: -90 })];
    expect(ids(arrange(l, [], byRssi, (d) => d.r.id === 2, true))).toEqual([2, 1]);
  });

  it('keeps the previous order while frozen, appends new devices and drops gone ones', () => {
    const a = dev(1, { rssi: -80 });
    const b = dev(2, { rssi: -70 });
    const c = dev(3, { rssi: -60 });
    const prev = arrange([a, b, c], [], byRssi, none, true);
    expect(ids(prev)).toEqual([3, 2, 1]);
    a.r.rssi = -30; // would jump to the top
    const d = dev(4, { rssi: -20 });
    expect(ids(arrange([a, c, d], prev, byRssi, none, false))).toEqual([3, 1, 4]);
    expect(ids(arrange([a, c, d], prev, byRssi, none, true))).toEqual([4, 1, 3]);
  });

  it('sorts on the smoothed RSSI the row shows, which follows a jittery signal only past the hysteresis', () => {
    const a = dev(1);
    const b = dev(2);
    sample(a, 1000, -60);
    sample(b, 1000, -61);
    // A single strong sighting of b moves its smoothed value by 30 % of the step: past a? Not b's shown value
    // until it is HYSTERESIS dB away from it.
    sample(b, 1100, -58);
    settle(b);
    expect(b.v).toBe(-61);
    expect(ids(arrange([a, b], [], byRssi, none, true))).toEqual([1, 2]);
    for (let t = 1200; t < 2000; t += 100) sample(b, t, -50);
    // Shown values move only when the list refreshes (settle), together with the order.
    expect(b.v).toBe(-61);
    settle(b);
    expect(b.v).toBeGreaterThan(-55);
    expect(ids(arrange([a, b], [], byRssi, none, true))).toEqual([2, 1]);
    // Jitter of +-1 dB around the shown value never moves it.
    const shown = a.v;
    for (let t = 1100; t < 3000; t += 100) {
      sample(a, t, t % 200 ? -59 : -61);
      settle(a);
    }
    expect(a.v).toBe(shown);
  });
});
