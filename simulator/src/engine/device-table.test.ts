import { describe, expect, it } from 'vitest';
import { DeviceTable, dedupeKey } from './device-table.js';

const f = (addr: string, extra = {}) => ({
  addr,
  addrType: 'public' as const,
  rssi: -50,
  conn: true,
  ...extra,
});

describe('DeviceTable', () => {
  it('replaces what a device advertises with its newest advertisement (as the C core keeps newest adv + rsp)', () => {
    const t = new DeviceTable({ maxDevices: 10 });
    t.upsert(f('aa:bb:cc:dd:ee:ff', { name: 'Watch', mfr: [[76, '0215']] }), undefined, 1);
    const s = t.upsert(f('aa:bb:cc:dd:ee:ff', { svc: [['feaa', '00']] }), undefined, 2);
    expect(s.change).toBe('changed');
    expect(s.entry.rec).toEqual({
      id: 1,
      ...f('aa:bb:cc:dd:ee:ff', { svc: [['feaa', '00']] }),
      first: 1,
      last: 2,
      count: 2,
    });
    expect(Object.keys(s.entry.rec)).toEqual([
      'id',
      'addr',
      'addrType',
      'rssi',
      'conn',
      'svc',
      'first',
      'last',
      'count',
    ]);
  });

  it('keeps a public and a random device with the same address apart', () => {
    const t = new DeviceTable({ maxDevices: 10 });
    const a = t.upsert(f('aa:bb:cc:dd:ee:ff'), undefined, 1);
    const b = t.upsert({ ...f('aa:bb:cc:dd:ee:ff'), addrType: 'random' }, undefined, 2);
    expect(b.change).toBe('new');
    expect(b.entry.rec.id).not.toBe(a.entry.rec.id);
    expect(t.size).toBe(2);
  });

  it('keeps entries in last-seen order so the stalest is evicted first', () => {
    const t = new DeviceTable({ maxDevices: 2 });
    t.upsert(f('00:00:00:00:00:01'), undefined, 1);
    t.upsert(f('00:00:00:00:00:02'), undefined, 2);
    t.upsert(f('00:00:00:00:00:01'), undefined, 3);
    const s = t.upsert(f('00:00:00:00:00:03'), undefined, 4);
    expect(s.evicted?.rec.addr).toBe('00:00:00:00:00:02');
    expect([...t.values()].map((e) => e.rec.addr)).toEqual(['00:00:00:00:00:01', '00:00:00:00:00:03']);
  });

  it('caches the wire JSON until the record changes', () => {
    const t = new DeviceTable({ maxDevices: 2 });
    const { entry } = t.upsert(f('00:00:00:00:00:01'), undefined, 1);
    const a = t.json(entry);
    expect(t.json(entry)).toBe(a);
    t.upsert(f('00:00:00:00:00:01', { rssi: -70 }), undefined, 2);
    expect(JSON.parse(t.json(entry)).rssi).toBe(-70);
  });

  it('keys real addresses by address + type and opaque ones by platform id', () => {
    expect(dedupeKey('aa:bb:cc:dd:ee:ff', 'x', 'random')).toBe('a:aa:bb:cc:dd:ee:ff/random');
    expect(dedupeKey('5f2a9c', 'uuid-1')).toBe('p:uuid-1');
    expect(dedupeKey('5f2a9c')).toBe('p:5f2a9c');
  });
});
