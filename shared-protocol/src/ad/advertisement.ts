import { parseAdStructures } from './ad-structures.js';
import type { AdvertFields } from './advert.js';
import { toHex } from './hex.js';
import { decodeUtf8 } from './utf8.js';
import { uuidFromLe } from './uuid.js';

/**
 * The AdvertFields that AD bytes carry (name, tx, mfr, uuids, svc; the arrays always present), merged over
 * advertising data and scan response, plus what the wire does not carry (flags, appearance, parse errors).
 * name: the complete local name (0x09) if present, else the shortened one (0x08), at most 248 bytes
 * decoded; tx: TX power level (0x0A) in dBm; mfr (0xFF): in order, payload without the 2 company-id bytes,
 * repeats kept; uuids (0x02-0x07): de-duplicated, in wire form; svc (0x16, 0x20, 0x21): UUID in wire form
 * and the data after it. The wire's count limits are applied later, where a record is made.
 */
export type AdvertisementFields = Pick<AdvertFields, 'name' | 'tx'> &
  Required<Pick<AdvertFields, 'mfr' | 'uuids' | 'svc'>> & {
    /** Flags (0x01). */
    flags?: number;
    /** Appearance (0x19). */
    appearance?: number;
    /** One message per chunk whose AD structures ran past its end. */
    errors: string[];
  };

/** UUID width in bytes for the list types 0x02-0x07 and the service-data types 0x16/0x20/0x21. */
const WIDTH: Record<number, number> = { 2: 2, 3: 2, 4: 4, 5: 4, 6: 16, 7: 16, 22: 2, 32: 4, 33: 16 };

/** Parses and merges AD blobs (advertising data, scan response, ...). Never throws. */
export function parseAdvertisement(...chunks: Uint8Array[]): AdvertisementFields {
  const f: AdvertisementFields = { mfr: [], uuids: [], svc: [], errors: [] };
  let complete = false;
  for (const chunk of chunks) {
    const { structures, error } = parseAdStructures(chunk);
    if (error) f.errors.push(error);
    for (const { type: t, data: d } of structures) {
      const n = d.length;
      const w = WIDTH[t];
      if (w && t < 8) {
        for (let i = 0; i + w <= n; i += w) {
          const u = uuidFromLe(d.subarray(i, i + w));
          if (!f.uuids.includes(u)) f.uuids.push(u);
        }
      } else if (w) {
        if (n >= w) f.svc.push([uuidFromLe(d.subarray(0, w)), toHex(d.subarray(w))]);
      } else if ((t === 8 || t === 9) && n && !complete) {
        f.name = decodeUtf8(d.subarray(0, 248));
        complete = t === 9;
      } else if (t === 0xff && n > 1) f.mfr.push([d[0]! | (d[1]! << 8), toHex(d.subarray(2))]);
      else if (t === 0x0a && n) f.tx = (d[0]! << 24) >> 24;
      else if (t === 1 && n) f.flags = d[0]!;
      else if (t === 0x19 && n > 1) f.appearance = d[0]! | (d[1]! << 8);
    }
  }
  return f;
}
