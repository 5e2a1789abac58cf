// What "matches a filter" means, defined once for the device, the simulator and the page.
import { normalizeUuid } from './ad/uuid.js';
import type { DeviceRecord } from './messages/device-record.js';
import type { Filter } from './messages/scan-state.js';

export type FilterSubject = Pick<DeviceRecord, 'addr' | 'rssi' | 'conn' | 'name' | 'mfr' | 'uuids' | 'svc'>;

/** A-Z to a-z and nothing else, so firmware without Unicode tables folds case the same way. */
export const asciiLower = (s: string): string =>
  s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/** True when the filter narrows nothing. */
export const isEmptyFilter = (f: Filter): boolean =>
  !f.text &&
  f.minRssi === undefined &&
  f.company === undefined &&
  !f.service &&
  !f.connectable &&
  !f.named &&
  !f.exclude?.length;

/**
 * The filter rules (docs/protocol.md, "Filter semantics"); every present field must hold:
 * - text: case-insensitive (ASCII) substring of the name or the address;
 * - minRssi: rssi >= minRssi (the newest rssi);
 * - company: some manufacturer-data entry has this company id;
 * - service: the UUID (any accepted form) is in `uuids` or is the key of a `svc` entry;
 * - connectable: true keeps connectable devices only; named: true keeps devices with a non-empty name;
 * - exclude: no manufacturer-data entry comes from a listed company.
 */
export function matchesFilter(d: FilterSubject, f: Filter): boolean {
  if (f.minRssi !== undefined && d.rssi < f.minRssi) return false;
  if (f.connectable && !d.conn) return false;
  if (f.named && !d.name) return false;
  if (f.company !== undefined && !d.mfr?.some((m) => m[0] === f.company)) return false;
  if (f.exclude?.length && d.mfr?.some((m) => f.exclude?.includes(m[0]))) return false;
  if (f.text) {
    const t = asciiLower(f.text);
    if (!asciiLower(d.addr).includes(t) && !(d.name && asciiLower(d.name).includes(t))) return false;
  }
  if (f.service) {
    const want = normalizeUuid(f.service);
    if (!want) return false;
    const has = (u: string) => normalizeUuid(u) === want;
    if (!d.uuids?.some(has) && !d.svc?.some((s) => has(s[0]))) return false;
  }
  return true;
}
