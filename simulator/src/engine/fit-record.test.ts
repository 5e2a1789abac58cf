import { utf8Length } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { encodeRecordWithin } from './fit-record.js';

const base = {
  id: 1,
  addr: 'aa:bb:cc:dd:ee:ff',
  addrType: 'public' as const,
  rssi: -50,
  conn: true,
  first: 0,
  last: 0,
  count: 1,
};

describe('encodeRecordWithin', () => {
  it('leaves a record that fits untouched', () => {
    expect(encodeRecordWithin(base, 4000)).toBe(JSON.stringify(base));
  });

  it('drops adv/rsp first, then cuts the name, then data entries, to fit the budget', () => {
    const huge = 'ab'.repeat(255);
    const rec = {
      ...base,
      name: '\u0001'.repeat(248),
      adv: huge,
      rsp: huge,
      mfr: [[76, huge] as [number, string]],
    };
    const onlyRaw = JSON.parse(
      encodeRecordWithin(rec, JSON.stringify({ ...rec, adv: undefined, rsp: undefined }).length),
    );
    expect(onlyRaw.adv).toBeUndefined();
    expect(onlyRaw.name).toBe(rec.name);
    const tight = encodeRecordWithin(rec, 700);
    expect(utf8Length(tight)).toBeLessThanOrEqual(700);
    const r = JSON.parse(tight);
    expect(r.mfr).toEqual(rec.mfr);
    expect(r.name.length).toBeLessThan(248);
    const tiny = encodeRecordWithin(rec, 300);
    expect(utf8Length(tiny)).toBeLessThanOrEqual(300);
    expect(JSON.parse(tiny).mfr).toBeUndefined();
  });
});
