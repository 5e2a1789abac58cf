// biome-ignore-all lint/complexity/useSimpleNumberKeys: message types and model ids read as on the wire (hex)
import { type Decoded, decoded, type Field, named, nameOr } from './decode-common.js';
import { readInt, toHex } from './hex.js';
import { toLongUuid } from './uuid.js';

/** Continuity message types (the TLVs inside Apple 0x004C manufacturer data). */
const TYPES: Record<number, string> = {
  0x03: 'AirPrint',
  0x05: 'AirDrop',
  0x06: 'HomeKit',
  0x07: 'AirPods',
  0x08: 'Hey Siri',
  0x09: 'AirPlay',
  0x0a: 'AirPlay',
  0x0b: 'Magic Switch',
  0x0c: 'Handoff',
  0x0d: 'Hotspot',
  0x0e: 'Hotspot',
  0x0f: 'Nearby Action',
  0x10: 'Nearby Info',
  0x12: 'Find My',
};

/** Proximity-pairing model ids (2 bytes as sent). */
const MODELS: Record<number, string> = {
  0x0220: 'AirPods',
  0x0f20: 'AirPods 2',
  0x1320: 'AirPods 3',
  0x0e20: 'AirPods Pro',
  0x1420: 'AirPods Pro 2',
  0x0a20: 'AirPods Max',
};

/** Nearby Info action codes (low nibble of the first byte). */
const ACTIVITY: Record<number, string> = {
  1: 'disabled',
  3: 'idle',
  5: 'audio, locked',
  7: 'active',
  9: 'video',
  10: 'watch unlocked',
  11: 'recent use',
  13: 'driving',
  14: 'call',
};

/** Find My status byte, bits 6-7. */
const BATTERY = ['full', 'medium', 'low', 'critical'];

const pct = (nibble: number): string => (nibble > 10 ? '?' : `${nibble * 10}%`);

function findMy(d: Uint8Array): Decoded {
  const status = d[0] ?? 0;
  const airTag = ((status >> 4) & 3) === 1;
  const separated = d.length >= 25;
  const label = airTag ? 'AirTag (Find My)' : separated ? 'Find My (separated)' : 'Find My';
  return decoded(
    'find-my',
    label,
    [
      ['status', status],
      ['battery', BATTERY[status >> 6]!],
      ['separated', separated],
    ],
    true,
  );
}

function message(t: number, d: Uint8Array): Decoded {
  const n = d.length;
  if (t === 2 && n === 21) {
    const h = toHex(d.subarray(0, 16));
    return named('iBeacon', [
      ['uuid', toLongUuid(h)],
      ['major', readInt(d, 16, 2)],
      ['minor', readInt(d, 18, 2)],
      ['power@1m', readInt(d, 20, 1, false, true)],
    ]);
  }
  if (t === 18) return findMy(d);
  const label = TYPES[t];
  const fields: Field[] = [];
  if (t === 7 && n > 5) {
    fields.push(
      ['model', nameOr(MODELS, readInt(d, 1, 2))],
      ['pods', `${pct(d[4]! >> 4)} ${pct(d[4]! & 15)}`],
    );
    fields.push(['case', pct(d[5]! & 15)]);
  } else if (t === 16 && n) fields.push(['activity', nameOr(ACTIVITY, d[0]! & 15)]);
  else if (t === 15 && n > 1) fields.push(['action', d[1]!]);
  else if (t === 9 && n > 5) fields.push(['ip', d.subarray(2, 6).join('.')]);
  else if (t === 12 && n > 2) fields.push(['seq', readInt(d, 1, 2)]);
  return label ? named(label, fields) : decoded('apple', `Apple 0x${t.toString(16)}`, [['data', toHex(d)]]);
}

/** Walks the Continuity TLV list of an Apple (0x004C) payload: iBeacon, AirPods, Find My, ... */
export function decodeApple(p: Uint8Array): Decoded[] {
  const out: Decoded[] = [];
  for (let i = 0; i + 1 < p.length; ) {
    const t = p[i]!;
    // HomeKit keeps an advertising-interval code in the top 3 bits of its length byte.
    const len = t === 6 ? p[i + 1]! & 31 : p[i + 1]!;
    out.push(message(t, p.subarray(i + 2, i + 2 + len)));
    i += 2 + len;
  }
  return out;
}
