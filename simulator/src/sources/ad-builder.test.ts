import { parseAdvertisement, toHex } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import {
  completeName,
  encodeAd,
  flags,
  mfrData,
  svcData16,
  txPower,
  uuid16List,
  uuid128List,
} from './ad-builder.js';

describe('encodeAd', () => {
  it('writes length, type and data for each structure', () => {
    expect(toHex(encodeAd([flags(0x06), txPower(-10), uuid16List(0x180d, 0x180f)]))).toBe(
      '020106020af605030d180f18',
    );
  });

  it('builds data that the shared parser reads back field by field', () => {
    const bytes = encodeAd([
      completeName('<b>é</b>'),
      mfrData(0x004c, [0x02, 0x15]),
      svcData16(0xfcd2, [0x40, 0x01, 0x64]),
      uuid128List(Uint8Array.from({ length: 16 }, (_, i) => i)),
    ]);
    const f = parseAdvertisement(bytes);
    expect(f.errors).toEqual([]);
    expect(f.name).toBe('<b>é</b>');
    expect(f.mfr).toEqual([[0x4c, '0215']]);
    expect(f.svc).toEqual([['fcd2', '400164']]);
    expect(f.uuids).toEqual(['0f0e0d0c-0b0a-0908-0706-050403020100']);
  });

  it('encodes an empty list as no bytes', () => {
    expect(encodeAd([]).length).toBe(0);
  });
});
