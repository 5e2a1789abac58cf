import { parseAdvertisement, toHex } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { DeviceTable } from './device-table.js';
import { withKeptScanResponse } from './keep-scan-response.js';

// AD structures: flags; a 16-bit service UUID list; a complete local name "Tag".
const ADV = Uint8Array.from([0x02, 0x01, 0x06, 0x03, 0x03, 0xaa, 0xfe]);
const ADV2 = Uint8Array.from([0x02, 0x01, 0x06, 0x05, 0xff, 0x4c, 0x00, 0x12, 0x34]);
const RSP = Uint8Array.from([0x04, 0x09, 0x54, 0x61, 0x67]);
const base = { addr: 'aa:bb:cc:dd:ee:01', addrType: 'random' as const, rssi: -60, conn: true };

/** The fields a raw source delivers for these bytes (the demo scene and noble-mapping parse them so). */
function sighting(adv: Uint8Array, rsp?: Uint8Array) {
  const p = rsp ? parseAdvertisement(adv, rsp) : parseAdvertisement(adv);
  return {
    ...base,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.mfr.length ? { mfr: p.mfr } : {}),
    ...(p.uuids.length ? { uuids: p.uuids } : {}),
    adv: toHex(adv),
    ...(rsp ? { rsp: toHex(rsp) } : {}),
  };
}

describe('withKeptScanResponse', () => {
  it('parses the new advertising bytes together with the kept scan response', () => {
    expect(withKeptScanResponse(sighting(ADV2), toHex(RSP))).toEqual(sighting(ADV2, RSP));
  });

  it('leaves an advertisement without raw bytes as it is (its fields cannot be split)', () => {
    const f = { ...base, name: 'x' };
    expect(withKeptScanResponse(f, toHex(RSP))).toBe(f);
  });
});

describe('the table keeps the newest scan response', () => {
  it('keeps the name from the response while advertisements come without one, and takes a newer response', () => {
    const t = new DeviceTable({ maxDevices: 4 });
    t.upsert(sighting(ADV, RSP), undefined, 1);
    const passive = t.upsert(sighting(ADV2), undefined, 2);
    expect(passive.entry.rec).toMatchObject({ name: 'Tag', mfr: [[76, '1234']], rsp: toHex(RSP) });
    expect(passive.entry.rec.uuids).toBeUndefined();
    const rsp2 = Uint8Array.from([0x04, 0x09, 0x4b, 0x65, 0x79]);
    const again = t.upsert(sighting(ADV, rsp2), undefined, 3);
    expect(again.entry.rec).toMatchObject({ name: 'Key', uuids: ['feaa'], rsp: toHex(rsp2) });
  });
});
