import type { DeviceRecord, HelloMessage } from '@bleshark/shared-protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyBatch, applySnapshot, history, newTable } from './device-table.ts';
import { follow, pick } from './follow.ts';
import { S } from './store.ts';

const A = 'aa:bb:cc:dd:ee:01';
const B = 'aa:bb:cc:dd:ee:02';
const rec = (id: number, addr: string, t = 1000, rssi = -60): DeviceRecord => ({
  id,
  addr,
  addrType: 'random',
  rssi,
  conn: true,
  first: t,
  last: t,
  count: 1,
});
const boot = (epoch: string) => {
  S.hello = { epoch } as HelloMessage;
};
const snapshot = (t: number, ...d: DeviceRecord[]) =>
  applySnapshot(S.table, { type: 'snapshot', seq: 1, t, reason: 'connect', total: d.length, more: false, d });

describe('the followed device', () => {
  beforeEach(() => {
    S.table = newTable();
    pick(undefined);
    boot('e1');
  });

  it('is found again by address and type when a restarted device gives it another id', () => {
    snapshot(1000, rec(1, A), rec(2, B));
    pick(S.table.m.get(1));
    boot('e2');
    S.table = newTable();
    snapshot(500, rec(1, B, 500), rec(2, A, 500));
    follow();
    expect(S.sel?.r.addr).toBe(A);
    expect(S.sel?.r.id).toBe(2);
    expect(S.rebooted).toBe(true);
    expect(S.gone).toBe(false);
  });

  it('is not confused with a device of the same address and another type', () => {
    snapshot(1000, rec(1, A));
    pick(S.table.m.get(1));
    S.table = newTable();
    snapshot(2000, { ...rec(1, A, 2000), addrType: 'public' });
    follow();
    expect(S.gone).toBe(true);
    expect(S.sel?.r.addrType).toBe('random');
  });

  it('stays while it is out of the table and keeps its history for when it is heard again', () => {
    snapshot(1000, rec(1, A, 1000, -50));
    pick(S.table.m.get(1));
    applyBatch(S.table, { type: 'batch', seq: 2, t: 2000, u: [[1, -55]] });
    follow();
    // Below the device's Min RSSI: removed from the table.
    applyBatch(S.table, { type: 'batch', seq: 3, t: 3000, x: [1] });
    follow();
    expect(S.gone).toBe(true);
    expect(S.sel?.r.addr).toBe(A);
    expect(history(S.sel!, 2)).toEqual([-50, -55]);
    // Heard again (a new record, here with a new id): the same view, the old samples kept.
    applyBatch(S.table, { type: 'batch', seq: 4, t: 5000, d: [rec(7, A, 5000, -70)] });
    follow();
    expect(S.gone).toBe(false);
    expect(S.rebooted).toBe(false);
    expect(history(S.sel!, 5)).toEqual([-50, -55, null, null, -70]);
  });
});
