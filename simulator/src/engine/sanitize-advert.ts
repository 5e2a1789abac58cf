// Advertisements are attacker-controlled input. This turns one into the fields of a DeviceRecord that are
// guaranteed to pass the wire schema: bounded lengths, lowercase hex, valid UUIDs, clamped numbers. The
// rules are the wire's own (shared-protocol's advertFieldSchemas); only the cutting to fit is done here.
import {
  type AdvertFields,
  check,
  clampTo,
  PROTOCOL,
  patternOf,
  required,
  utf8Length,
  advertFieldSchemas as WIRE,
} from '@bleshark/shared-protocol';
import type { Advertisement } from '../sources/scan-source.js';

const HEX = patternOf(WIRE.adv);
const UUID = required(WIRE.uuids);
const meets = (rule: typeof WIRE.addr, v: unknown): boolean => check(rule, v) === undefined;

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a surrogate pair. */
export function cutUtf8(s: string, maxBytes: number): string {
  if (utf8Length(s) <= maxBytes) return s;
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const w = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (n + w > maxBytes) break;
    n += w;
    if (pair) i++;
  }
  return s.slice(0, i);
}

/** Lowercase even-length hex of at most PROTOCOL.maxAdBytes bytes, or undefined when it is not hex. */
function hex(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const h = v.toLowerCase();
  if (!HEX.test(h)) return undefined;
  return h.slice(0, PROTOCOL.maxAdBytes * 2);
}

function uuid(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const u = v.toLowerCase();
  return UUID.k === 'arr' && meets(UUID.of, u) ? u : undefined;
}

/** Returns the sanitised fields, or undefined when the advertisement cannot be used (no usable address). */
export function sanitizeAdvert(ad: Advertisement): AdvertFields | undefined {
  if (typeof ad.addr !== 'string' || typeof ad.rssi !== 'number' || !Number.isFinite(ad.rssi))
    return undefined;
  const addr = ad.addr.toLowerCase();
  if (!meets(WIRE.addr, addr)) return undefined;
  const f: AdvertFields = {
    addr,
    addrType: ad.addrType === 'public' || ad.addrType === 'random' ? ad.addrType : 'unknown',
    rssi: clampTo(WIRE.rssi, ad.rssi),
    conn: ad.conn === true,
  };
  if (typeof ad.name === 'string' && ad.name.length > 0) f.name = cutUtf8(ad.name, PROTOCOL.maxNameBytes);
  if (typeof ad.tx === 'number' && Number.isFinite(ad.tx) && ad.tx !== 127) f.tx = clampTo(WIRE.tx, ad.tx);
  if (Array.isArray(ad.mfr)) {
    const mfr: [number, string][] = [];
    for (const e of ad.mfr) {
      if (mfr.length >= PROTOCOL.maxDataEntries) break;
      const data = Array.isArray(e) ? hex(e[1]) : undefined;
      if (data !== undefined && Number.isInteger(e[0]) && e[0] >= 0 && e[0] <= 0xffff) mfr.push([e[0], data]);
    }
    if (mfr.length) f.mfr = mfr;
  }
  if (Array.isArray(ad.uuids)) {
    const uuids: string[] = [];
    for (const u of ad.uuids) {
      if (uuids.length >= PROTOCOL.maxUuids) break;
      const v = uuid(u);
      if (v && !uuids.includes(v)) uuids.push(v);
    }
    if (uuids.length) f.uuids = uuids;
  }
  if (Array.isArray(ad.svc)) {
    const svc: [string, string][] = [];
    for (const e of ad.svc) {
      if (svc.length >= PROTOCOL.maxDataEntries) break;
      const u = Array.isArray(e) ? uuid(e[0]) : undefined;
      const data = Array.isArray(e) ? hex(e[1]) : undefined;
      if (u && data !== undefined) svc.push([u, data]);
    }
    if (svc.length) f.svc = svc;
  }
  const adv = hex(ad.adv);
  if (adv) f.adv = adv;
  const rsp = hex(ad.rsp);
  if (rsp) f.rsp = rsp;
  return f;
}
