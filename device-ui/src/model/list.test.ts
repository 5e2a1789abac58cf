import type { DeviceRecord } from '@bleshark/shared-protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { actions } from './actions.ts';
import { applyBatch, applySnapshot, newTable } from './device-table.ts';
import { NO_FILTER } from './filters.ts';
import { newCount, refresh } from './list.ts';
import { S } from './store.ts';

const rec = (id: number): DeviceRecord => ({
  id,
  addr: `aa:bb:cc:dd:ee:0${id}`,
  addrType: 'random',
  rssi: -60,
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
