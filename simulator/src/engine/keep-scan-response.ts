// A scanner keeps the newest scan response it heard from a device: a passive scan, or an advertisement whose
// response was missed, does not make the device's name (often only in the response) disappear. The Nano's C
// core keeps the newest rsp bytes per device; this gives the simulator's table the same meaning for every
// source that delivers raw advertising bytes.
import { type AdvertFields, fromHex, parseAdvertisement } from '@bleshark/shared-protocol';
import { sanitizeAdvert } from './sanitize-advert.js';

/**
 * The fields of advertisement `f`, which came without a scan response, combined with the scan response
 * `rsp` (hex) the table holds for the device: parsed from f's own advertising bytes and rsp, as a record
 * is built on the Nano. `f` unchanged when it carries no raw `adv` (a source without raw bytes: its fields
 * cannot be split into advertisement and response) or when either payload is not hex.
 */
export function withKeptScanResponse(f: AdvertFields, rsp: string): AdvertFields {
  const adv = f.adv === undefined ? undefined : fromHex(f.adv);
  const r = fromHex(rsp);
  if (!adv || !r) return f;
  const p = parseAdvertisement(adv, r);
  const merged: AdvertFields = { addr: f.addr, addrType: f.addrType, rssi: f.rssi, conn: f.conn };
  if (p.name !== undefined) merged.name = p.name;
  if (p.tx !== undefined) merged.tx = p.tx;
  if (p.mfr.length) merged.mfr = p.mfr;
  if (p.uuids.length) merged.uuids = p.uuids;
  if (p.svc.length) merged.svc = p.svc;
  merged.adv = f.adv as string;
  merged.rsp = rsp;
  return sanitizeAdvert(merged) ?? f;
}
