// What the C core is handed for one advertisement: the address as 6 bytes, its type, and raw AD bytes.
// Sources that carry the raw bytes (`adv`, `rsp`: demo, replay, hci-replay) pass them on as they are (the
// scan response as a second report, as NimBLE delivers it; a scan response without advertising data
// after an empty advertising report, see coreReport); for one without them (noble on some platforms) the
// AD structures are rebuilt from its decoded fields, packed into legacy-sized payloads.
import { type AdPart, encodeAd } from '../sources/ad-builder.js';
import type { Advertisement } from '../sources/scan-source.js';

/** A legacy advertising (or scan response) payload. */
export const LEGACY_AD_BYTES = 31;
/** The longest payload handed to the core (it refuses, and counts, anything over LEGACY_AD_BYTES). */
export const MAX_PASSED_AD_BYTES = 255;

export type CoreReport = {
  addr: Uint8Array;
  /** 0 public, 1 random, 2 unknown (the core refuses and counts it). */
  addrType: number;
  conn: boolean;
  rssi: number;
  /** The advertising data, then (when present) the scan response as a second report. */
  adv: Uint8Array;
  rsp?: Uint8Array;
};

const MAC = /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i;
const HEX = /^(?:[0-9a-f]{2})*$/i;

function hexBytes(v: unknown): Uint8Array | undefined {
  if (typeof v !== 'string' || !HEX.test(v)) return undefined;
  return Uint8Array.from(Buffer.from(v.slice(0, MAX_PASSED_AD_BYTES * 2), 'hex'));
}

/** UUID text (4, 8 or 32 hex digits, dashes allowed) as little-endian bytes, or undefined. */
function uuidBytes(u: unknown): Uint8Array | undefined {
  if (typeof u !== 'string') return undefined;
  const h = u.replace(/-/g, '');
  if (!/^[0-9a-f]+$/i.test(h) || (h.length !== 4 && h.length !== 8 && h.length !== 32)) return undefined;
  return Uint8Array.from(Buffer.from(h, 'hex')).reverse();
}

const SVC_TYPE: Record<number, number> = { 2: 0x16, 4: 0x20, 16: 0x21 };
const LIST_TYPE: Record<number, number> = { 2: 0x03, 4: 0x05, 16: 0x07 };

/** AD structures for the decoded fields of an advertisement without raw bytes, in a controller's order. */
export function partsFromFields(ad: Advertisement): AdPart[] {
  const parts: AdPart[] = [];
  if (typeof ad.name === 'string' && ad.name.length) parts.push([0x09, new TextEncoder().encode(ad.name)]);
  if (typeof ad.tx === 'number' && Number.isInteger(ad.tx) && ad.tx !== 127 && ad.tx >= -127 && ad.tx <= 126)
    parts.push([0x0a, [ad.tx & 255]]);
  if (Array.isArray(ad.uuids)) {
    const bySize = new Map<number, number[]>();
    for (const u of ad.uuids) {
      const b = uuidBytes(u);
      if (b) bySize.set(b.length, [...(bySize.get(b.length) ?? []), ...b]);
    }
    for (const [size, bytes] of bySize) parts.push([LIST_TYPE[size] as number, bytes]);
  }
  if (Array.isArray(ad.mfr))
    for (const e of ad.mfr) {
      const data = Array.isArray(e) ? hexBytes(e[1]) : undefined;
      if (data && Number.isInteger(e[0]) && e[0] >= 0 && e[0] <= 0xffff)
        parts.push([0xff, [e[0] & 255, e[0] >> 8, ...data]]);
    }
  if (Array.isArray(ad.svc))
    for (const e of ad.svc) {
      const u = Array.isArray(e) ? uuidBytes(e[0]) : undefined;
      const data = Array.isArray(e) ? hexBytes(e[1]) : undefined;
      if (u && data) parts.push([SVC_TYPE[u.length] as number, [...u, ...data]]);
    }
  return parts;
}

/**
 * Packs AD structures the way a controller's two payloads hold them: each into the advertising data while
 * it fits in 31 bytes, else into the scan response while that fits; what fits in neither is left out.
 */
export function packLegacy(parts: readonly AdPart[]): { adv: Uint8Array; rsp?: Uint8Array } {
  const adv: AdPart[] = [];
  const rsp: AdPart[] = [];
  let advLen = 0;
  let rspLen = 0;
  for (const p of parts) {
    const len = p[1].length + 2;
    if (p[1].length > 254) continue;
    if (advLen + len <= LEGACY_AD_BYTES) {
      adv.push(p);
      advLen += len;
    } else if (rspLen + len <= LEGACY_AD_BYTES) {
      rsp.push(p);
      rspLen += len;
    }
  }
  return rsp.length ? { adv: encodeAd(adv), rsp: encodeAd(rsp) } : { adv: encodeAd(adv) };
}

/** The core's report for one advertisement, or undefined when it has no usable address (noble's ids). */
export function coreReport(ad: Advertisement): CoreReport | undefined {
  if (typeof ad !== 'object' || ad === null || typeof ad.addr !== 'string') return undefined;
  const m = MAC.exec(ad.addr);
  if (!m || typeof ad.rssi !== 'number' || !Number.isFinite(ad.rssi)) return undefined;
  const addr = Uint8Array.from(m.slice(1).map((h) => Number.parseInt(h, 16)));
  const addrType = ad.addrType === 'public' ? 0 : ad.addrType === 'random' ? 1 : 2;
  const base = {
    addr,
    addrType,
    conn: ad.conn === true,
    rssi: Math.max(-128, Math.min(127, Math.round(ad.rssi))),
  };
  const adv = hexBytes(ad.adv);
  const rsp = hexBytes(ad.rsp);
  if (adv) return rsp?.length ? { ...base, adv, rsp } : { ...base, adv };
  // A scan response without advertising data (`rsp`, no `adv`): the decoded fields are the response's,
  // so a payload rebuilt from them would show its bytes as `adv`. The advertisement is passed on with
  // empty data (it still counts, and carries `conn`, as the engine has it), then the response itself.
  if (typeof ad.adv !== 'string' && rsp?.length) return { ...base, adv: new Uint8Array(0), rsp };
  return { ...base, ...packLegacy(partsFromFields(ad)) };
}
