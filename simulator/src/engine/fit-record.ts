// Encodes one device record so that it always fits in one frame. A record over the budget loses, in this
// order: the raw adv/rsp payloads, then name bytes, then service data, manufacturer data and UUID entries
// from the end. Every later step runs only while the record is still too large.
import { type DeviceRecord, utf8Length } from '@bleshark/shared-protocol';
import { cutUtf8 } from './sanitize-advert.js';

const size = (r: DeviceRecord): number => utf8Length(JSON.stringify(r));

/** Returns the JSON text of `rec`, trimmed to at most `maxBytes` UTF-8 bytes. */
export function encodeRecordWithin(rec: DeviceRecord, maxBytes: number): string {
  const json = JSON.stringify(rec);
  if (json.length <= maxBytes / 3 || utf8Length(json) <= maxBytes) return json;
  const r: DeviceRecord = { ...rec };
  delete r.adv;
  delete r.rsp;
  let over = size(r) - maxBytes;
  if (over > 0 && r.name) {
    // Binary search for the longest name prefix (in UTF-8 bytes) that fits; escapes make bytes vary.
    const name = r.name;
    let lo = 0;
    let hi = utf8Length(name);
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (size({ ...r, name: cutUtf8(name, mid) }) <= maxBytes) lo = mid;
      else hi = mid - 1;
    }
    const cut = cutUtf8(name, lo);
    if (cut) r.name = cut;
    else delete r.name;
    over = size(r) - maxBytes;
  }
  for (const key of ['svc', 'mfr', 'uuids'] as const) {
    while (over > 0 && r[key]?.length) {
      const list = r[key].slice(0, -1);
      if (list.length) (r as Record<string, unknown>)[key] = list;
      else delete r[key];
      over = size(r) - maxBytes;
    }
  }
  return JSON.stringify(r);
}
