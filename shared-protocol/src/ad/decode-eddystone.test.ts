import { describe, expect, it } from 'vitest';
import { decodeEddystone, eddystoneUrl } from './decode-eddystone.js';
import { fromHex } from './hex.js';

const ed = (hex: string) => decodeEddystone(fromHex(hex)!);

describe('decodeEddystone', () => {
  it('decodes a UID frame', () => {
    expect(ed('00e70102030405060708090aa1a2a3a4a5a60000')).toEqual({
      kind: 'eddystone-uid',
      label: 'Eddystone-UID',
      fields: [
        ['namespace', '0102030405060708090a'],
        ['instance', 'a1a2a3a4a5a6'],
        ['tx@0m', -25],
      ],
    });
  });

  it('decodes a URL frame with scheme and expansion codes', () => {
    expect(ed('10eb016578616d706c650078')).toEqual({
      kind: 'eddystone-url',
      label: 'Eddystone-URL',
      fields: [
        ['url', 'https://www.example.com/x'],
        ['tx@0m', -21],
      ],
    });
  });

  it('expands every TLD code and drops bytes outside printable ASCII', () => {
    expect(eddystoneUrl(Uint8Array.of(2, 0x61, 7, 0x62, 13, 0x63, 6, 0x20, 0x7f))).toBe(
      'http://a.comb.govc.gov/',
    );
    expect(eddystoneUrl(Uint8Array.of(3))).toBe('https://');
    expect(eddystoneUrl(Uint8Array.of(4, 0x61))).toBeUndefined();
  });

  it('decodes an unencrypted TLM frame', () => {
    expect(ed('20000bb8188000000064000004d2')?.fields).toEqual([
      ['battery mV', 3000],
      ['temperature', 24.5],
      ['adv count', 100],
      ['uptime s', 123.4],
    ]);
    expect(ed('20000bb8ff8000000064000004d2')?.fields[1]).toEqual(['temperature', -0.5]);
    expect(ed('20000bb8800000000064000004d2')?.fields[1]).toEqual(['temperature', 'n/a']);
  });

  it('reports an encrypted TLM frame', () => {
    expect(ed('2001aabbccdd')?.fields).toEqual([['encrypted', true]]);
  });

  it('decodes an EID frame', () => {
    expect(ed('30f61122334455667788')).toEqual({
      kind: 'eddystone-eid',
      label: 'Eddystone-EID',
      fields: [
        ['eid', '1122334455667788'],
        ['tx@0m', -10],
      ],
    });
  });

  it('rejects short frames and unknown frame types', () => {
    for (const hex of ['', '00e7010203', '10eb', '200001', '30f6112233', '40aa'])
      expect(ed(hex)).toBeUndefined();
  });
});
