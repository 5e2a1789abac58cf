import type { DeviceRecord } from '@bleshark/shared-protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { actions } from './actions.ts';
import { applyBatch, applySnapshot, newTable } from './device-table.ts';
import { NO_FILTER } from './filters.ts';
import { newCount, refresh } from './list.ts';
import { S } from './store.ts';

const rec = (id: number, rssi = -60): DeviceRecord => ({
  id,
  addr: `aa:bb:cc:dd:ee:0${id}`,
  addrType: 'random',
  rssi,
  conn: true,
  first: 0,
  last: 0,
  count: 1,
});

describe('the list', () => {
  beforeEach(() => {
    S.table = newTable();
    S.filter = { ...NO_FILTER };
    S.baseline = new Set();
    S.paused = false;
    refresh(true);
  });

  it('shows the first devices at once, not after the calm cadence (no "No device matches")', () => {
    expect(S.view).toEqual([]);
    applySnapshot(S.table, {
      type: 'snapshot',
      seq: 1,
      t: 0,
      reason: 'connect',
      total: 2,
      more: false,
      d: [rec(1), rec(2)],
    });
    refresh(false);
    expect(S.view.map((d) => d.r.id)).toEqual([1, 2]);
  });

  it('lists a new device at once in its place between refreshes; the other rows keep their order and numbers', () => {
    applySnapshot(S.table, {
      type: 'snapshot',
      seq: 1,
      t: 0,
      reason: 'connect',
      total: 3,
      more: false,
      d: [rec(1, -40), rec(2, -60), rec(3, -80)],
    });
    refresh(true);
    // Device 3 comes much closer and device 1 moves away, but the list is not due: nothing moves...
    applyBatch(S.table, {
      type: 'batch',
      seq: 2,
      t: 100,
      u: [
        [3, -30],
        [3, -30],
        [3, -30],
        [3, -30],
        [1, -90],
      ],
    });
    refresh(false);
    expect(S.view.map((d) => [d.r.id, d.v])).toEqual([
      [1, -40],
      [2, -60],
      [3, -80],
    ]);
    // ...until a new device arrives: it is listed at once, by the value it shows, among rows that stay put.
    applyBatch(S.table, { type: 'batch', seq: 3, t: 200, d: [rec(4, -50)] });
    refresh(false);
    expect(S.view.map((d) => [d.r.id, d.v])).toEqual([
      [1, -40],
      [4, -50],
      [2, -60],
      [3, -80],
    ]);
    // A device that leaves the table leaves the list at once too.
    applyBatch(S.table, { type: 'batch', seq: 4, t: 300, x: [2] });
    refresh(false);
    expect(S.view.map((d) => d.r.id)).toEqual([1, 4, 3]);
    // The full refresh moves the values shown and re-sorts by them.
    refresh(true);
    expect(S.view.map((d) => [d.r.id, d.v])).toEqual([
      [3, -42],
      [4, -50],
      [1, -55],
    ]);
  });

  it('between refreshes appends a new device at the end while frozen, and places a reused id by its new device', () => {
    applySnapshot(S.table, {
      type: 'snapshot',
      seq: 1,
      t: 0,
      reason: 'connect',
      total: 3,
      more: false,
      d: [rec(1, -40), rec(2, -60), rec(3, -80)],
    });
    refresh(true);
    S.paused = true;
    applyBatch(S.table, { type: 'batch', seq: 2, t: 100, d: [rec(4, -30)] });
    refresh(false);
    expect(S.view.map((d) => d.r.id)).toEqual([1, 2, 3, 4]);
    S.paused = false;
    refresh(true);
    expect(S.view.map((d) => d.r.id)).toEqual([4, 1, 2, 3]);
    // Device 1 leaves and the device reuses its id for another one, weak: it goes where it sorts.
    applyBatch(S.table, { type: 'batch', seq: 3, t: 200, x: [1] });
    applyBatch(S.table, {
      type: 'batch',
      seq: 4,
      t: 300,
      d: [{ ...rec(1, -90), addr: 'aa:bb:cc:dd:ee:99' }],
    });
    refresh(false);
    expect(S.view.map((d) => d.r.addr.slice(-2))).toEqual(['04', '02', '03', '99']);
  });

  it('keeps a device one object while it stays in the table: a new record updates it in place', () => {
    applySnapshot(S.table, {
      type: 'snapshot',
      seq: 1,
      t: 0,
      reason: 'connect',
      total: 1,
      more: false,
      d: [rec(1, -40)],
    });
    refresh(true);
    const row = S.view[0]!;
    applyBatch(S.table, { type: 'batch', seq: 2, t: 100, d: [{ ...rec(1, -45), name: 'renamed' }] });
    refresh(false);
    expect(S.table.m.get(1)).toBe(row);
    expect(S.view).toEqual([row]);
    expect(row.r.name).toBe('renamed');
  });

  it('counts the devices new since the baseline, not the baseline', () => {
    applySnapshot(S.table, {
      type: 'snapshot',
      seq: 1,
      t: 0,
      reason: 'connect',
      total: 2,
      more: false,
      d: [rec(1), rec(2)],
    });
    actions.markBaseline();
    expect(newCount()).toBe(0);
    applyBatch(S.table, { type: 'batch', seq: 2, t: 1000, d: [rec(3)] });
    expect(newCount()).toBe(1);
  });
});
