import { describe, expect, it } from 'vitest';
import { missingSharedData, readSharedJson } from '../../test-support/shared-data.js';
import { parseAdvertisement } from './advertisement.js';
import { fromHex } from './hex.js';
import { toLongUuid } from './uuid.js';

type GapVector = {
  test: string;
  input_chunks_hex: string[];
  expected: {
    local_name?: string;
    service_uuids?: string[];
    service_data?: Record<string, string>;
    manufacturer_data?: Record<string, string>;
    tx_power?: number;
  };
};

const GAP = 'payloads/bluetooth-data-tools_test_gap.vectors.json';
const vectors = readSharedJson<GapVector[]>(GAP);

/**
 * Some vectors hold the Python repr of the test's bytes tuple, e.g. "(b'\\x02\\x01\\x06',)", instead
 * of hex. This reads that repr back into bytes.
 */
function chunkBytes(s: string): Uint8Array {
  const hex = fromHex(s);
  if (hex) return hex;
  const m = /^\(b'(.*)',\)$/s.exec(s);
  if (!m) throw new Error(`unreadable chunk ${s}`);
  const out: number[] = [];
  const esc: Record<string, number> = { t: 9, n: 10, r: 13, '\\': 92, "'": 39, '"': 34 };
  const body = m[1]!;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') out.push(body.charCodeAt(i));
    else if (body[i + 1] === 'x') {
      out.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else out.push(esc[body[++i]!]!);
  }
  return Uint8Array.from(out);
}

const u8 = (hex: string) => fromHex(hex)!;

describe.skipIf(!vectors)(
  vectors ? `bluetooth-data-tools GAP vectors (${GAP})` : missingSharedData(GAP),
  () => {
    it('holds all 48 vectors', () => {
      expect(vectors).toHaveLength(48);
    });

    it.each(vectors ?? [])('$test', ({ input_chunks_hex, expected: e }) => {
      const f = parseAdvertisement(...input_chunks_hex.map(chunkBytes));
      // Vectors that list service_uuids state every field; the others only the fields they name.
      const full = e.service_uuids !== undefined;
      if ('local_name' in e || full) expect(f.name).toBe(e.local_name);
      if ('tx_power' in e || full) expect(f.tx).toBe(e.tx_power);
      if (e.service_uuids) expect(f.uuids.map(toLongUuid)).toEqual(e.service_uuids);
      if (e.service_data) {
        expect(Object.fromEntries(f.svc.map(([u, h]) => [toLongUuid(u), h]))).toEqual(e.service_data);
      }
      if (e.manufacturer_data) {
        // A repeated company keeps only its last payload in the vectors; fromEntries does the same.
        expect(Object.fromEntries(f.mfr.map(([c, h]) => [String(c), h]))).toEqual(e.manufacturer_data);
      }
    });
  },
);

describe('parseAdvertisement', () => {
  it('merges advertising data and scan response', () => {
    const f = parseAdvertisement(u8('020106020a0803030f18'), u8('0509414243440319c103'));
    expect(f).toEqual({
      flags: 6,
      tx: 8,
      uuids: ['180f'],
      name: 'ABCD',
      appearance: 0x3c1,
      mfr: [],
      svc: [],
      errors: [],
    });
  });

  it('lets the complete name win over the shortened one in either order', () => {
    expect(parseAdvertisement(u8('03084142'), u8('0409434445')).name).toBe('CDE');
    expect(parseAdvertisement(u8('0409434445'), u8('03084142')).name).toBe('CDE');
  });

  it('reads TX power as signed', () => {
    expect(parseAdvertisement(u8('020a80')).tx).toBe(-128);
    expect(parseAdvertisement(u8('020a7f')).tx).toBe(127);
  });

  it('keeps a repeated company as separate entries and de-duplicates UUIDs across forms', () => {
    const f = parseAdvertisement(u8('04ff4c0001' + '04ff4c0002' + '03020f18' + '05040f180000'));
    expect(f.mfr).toEqual([
      [0x4c, '01'],
      [0x4c, '02'],
    ]);
    expect(f.uuids).toEqual(['180f']);
  });

  it('ignores manufacturer data with only one byte and service data shorter than its UUID', () => {
    const f = parseAdvertisement(u8('02ff4c' + '02160f' + '0420010203' + '022101'));
    expect(f.mfr).toEqual([]);
    expect(f.svc).toEqual([]);
    expect(f.errors).toEqual([]);
  });

  it('reports a length past the end per chunk and keeps earlier fields', () => {
    const f = parseAdvertisement(u8('0309414210ff'), u8('020a01'));
    expect(f.name).toBe('AB');
    expect(f.tx).toBe(1);
    expect(f.errors).toEqual(['AD structure at offset 4 claims 16 bytes, 1 remain']);
  });

  it('replaces invalid UTF-8 in names with U+FFFD', () => {
    expect(parseAdvertisement(u8('0509c0414280')).name).toBe('\ufffdAB\ufffd');
  });

  it('caps names at 248 bytes', () => {
    const long = Uint8Array.from([250, 9, ...new Array(249).fill(0x61)]);
    expect(parseAdvertisement(long).name).toBe('a'.repeat(248));
    const exact = Uint8Array.from([249, 9, ...new Array(248).fill(0x62)]);
    expect(parseAdvertisement(exact).name).toBe('b'.repeat(248));
  });

  it('ignores empty names and empty lists', () => {
    const f = parseAdvertisement(u8('0109' + '0103' + '0107'));
    expect(f.name).toBeUndefined();
    expect(f.uuids).toEqual([]);
  });
});
