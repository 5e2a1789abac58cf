import { check, deviceRecordSchema, PROTOCOL, utf8Length } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { cutUtf8, sanitizeAdvert } from './sanitize-advert.js';

describe('sanitizeAdvert', () => {
  it('bounds hostile input so the record passes the wire schema', () => {
    const f = sanitizeAdvert({
      addr: 'AA:BB:CC:DD:EE:FF',
      addrType: 'random',
      rssi: -300,
      conn: true,
      name: '<img src=x onerror=alert(1)>\u202e'.repeat(30),
      tx: 127,
      mfr: [
        ...Array.from({ length: 12 }, (_, i) => [i, 'AB'.repeat(400)] as [number, string]),
        [70000, '00'],
      ],
      uuids: ['FEAA', 'not-a-uuid', 'feaa'],
      svc: [['feaa', 'zz']],
      adv: '0201',
    })!;
    expect(f.addr).toBe('aa:bb:cc:dd:ee:ff');
    expect(f.rssi).toBe(-127);
    expect(f.tx).toBeUndefined();
    expect(utf8Length(f.name!)).toBeLessThanOrEqual(PROTOCOL.maxNameBytes);
    expect(f.mfr).toHaveLength(PROTOCOL.maxDataEntries);
    expect(f.mfr![0]![1]).toHaveLength(PROTOCOL.maxAdBytes * 2);
    expect(f.uuids).toEqual(['feaa']);
    expect(f.svc).toBeUndefined();
    const rec = { id: 1, ...f, first: 0, last: 0, count: 1 };
    expect(check(deviceRecordSchema, rec)).toBeUndefined();
  });

  it('rejects an advertisement without a usable address or rssi', () => {
    expect(sanitizeAdvert({ addr: '', addrType: 'public', rssi: -1, conn: false })).toBeUndefined();
    expect(sanitizeAdvert({ addr: 'a b', addrType: 'public', rssi: -1, conn: false })).toBeUndefined();
    expect(sanitizeAdvert({ addr: 'aa', addrType: 'public', rssi: Number.NaN, conn: false })).toBeUndefined();
  });

  it('cuts UTF-8 without splitting a character', () => {
    expect(cutUtf8('aé😀', 4)).toBe('aé');
    expect(cutUtf8('aé😀', 7)).toBe('aé😀');
  });
});
