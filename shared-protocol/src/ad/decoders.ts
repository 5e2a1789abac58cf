import { decodeApple } from './decode-apple.js';
import { decodeBthome } from './decode-bthome.js';
import { bytesOf, type Decoded, type DecodeInput, named } from './decode-common.js';
import { decodeEddystone } from './decode-eddystone.js';
import { decodeMicrosoft } from './decode-microsoft.js';
import { readInt, toHex } from './hex.js';
import { normalizeUuid } from './uuid.js';

export type { Decoded, DecodeInput, Field } from './decode-common.js';

/** Google Fast Pair (0xFE2C): a 3-byte model id while pairable, else account-key data. */
function fastPair(d: Uint8Array): Decoded {
  if (d.length === 3) return named('Fast Pair', [['model', toHex(d)]]);
  const lt = d[1] ?? 0;
  return named('Fast Pair', [
    ['account keys', d.length > 1],
    ['show UI', (lt & 15) === 0],
  ]);
}

/** Samsung SmartTag (0xFD5A): state, aging counter and the rotating privacy id. */
const smartTag = (d: Uint8Array): Decoded =>
  named(
    'SmartTag',
    d.length < 12
      ? []
      : [
          ['state', d[0]!],
          ['age', readInt(d, 1, 3, true)],
          ['id', toHex(d.subarray(4, 12))],
        ],
    true,
  );

/** 0xFD59 (and a bare 0xFD5A UUID) only says "SmartTag"; its data layout is not public. */
const smartTagOnly = (): Decoded => smartTag(new Uint8Array(0));

const tile = (d?: Uint8Array): Decoded => named('Tile', d?.length ? [['data', toHex(d)]] : [], true);

const exposure = (d?: Uint8Array): Decoded =>
  named(
    'Exposure Notification',
    d && d.length >= 20
      ? [
          ['rpi', toHex(d.subarray(0, 16))],
          ['aem', toHex(d.subarray(16, 20))],
        ]
      : [],
  );

/** Service-data decoders by 16-bit UUID. */
const SVC: Record<string, (d: Uint8Array) => Decoded | undefined> = {
  fcd2: decodeBthome,
  feaa: decodeEddystone,
  fe2c: fastPair,
  feed: tile,
  feec: tile,
  fd5a: smartTag,
  fd59: smartTagOnly,
  fd6f: exposure,
};
/** Decoders that also fire on a bare service UUID (no service data). */
const BY_UUID: Record<string, () => Decoded> = {
  feed: tile,
  feec: tile,
  fd5a: smartTagOnly,
  fd59: smartTagOnly,
  fd6f: exposure,
};

/** Kinds that say little about what the device is; classify prefers anything else. */
const WEAK = ['nearby-info', 'nearby-action', 'handoff', 'hey-siri', 'apple', 'ms-cdp', 'airplay'];

/** Every payload the decoders recognise, service data first. Never throws. */
export function decodeAll(input: DecodeInput): Decoded[] {
  const out: Decoded[] = [];
  const seen = new Set<string>();
  for (const [u, hex] of input.svc ?? []) {
    const k = normalizeUuid(u) ?? '';
    const r = SVC[k]?.(bytesOf(hex));
    if (r) out.push(r);
    seen.add(k);
  }
  for (const u of input.uuids ?? []) {
    const k = normalizeUuid(u) ?? '';
    if (!seen.has(k) && BY_UUID[k]) {
      out.push(BY_UUID[k]());
      seen.add(k);
    }
  }
  for (const [company, hex] of input.mfr ?? []) {
    const p = bytesOf(hex);
    if (company === 0x4c) out.push(...decodeApple(p));
    else if (company === 6) {
      const r = decodeMicrosoft(p);
      if (r) out.push(r);
    }
  }
  return out;
}

/** The single most telling decode: a tracker first, then anything specific, then the rest. */
export function classify(input: DecodeInput): Decoded | undefined {
  const all = decodeAll(input);
  return all.find((d) => d.tracker) ?? all.find((d) => !WEAK.includes(d.kind)) ?? all[0];
}
