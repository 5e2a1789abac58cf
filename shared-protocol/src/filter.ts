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

/** One rule of the filter: true when `d` passes it (a filter field that is absent passes everything). */
export type FilterRule = (d: FilterSubject, f: Filter) => boolean;

// The rules one by one, so that a client applying only some fields (the page sends minRssi, connectable,
// named and exclude) bundles only those. Their conjunction is matchesFilter.

/** minRssi: rssi >= minRssi (the newest rssi). */
export const passesMinRssi: FilterRule = (d, f) => f.minRssi === undefined || d.rssi >= f.minRssi;
/** connectable: true keeps connectable devices only. */
export const passesConnectable: FilterRule = (d, f) => !f.connectable || d.conn;
/** named: true keeps devices with a non-empty name. */
export const passesNamed: FilterRule = (d, f) => !f.named || !!d.name;
/** company: some manufacturer-data entry has this company id. */
export const passesCompany: FilterRule = (d, f) =>
  f.company === undefined || !!d.mfr?.some((m) => m[0] === f.company);
/** exclude: no manufacturer-data entry comes from a listed company. */
export const passesExclude: FilterRule = (d, f) => !d.mfr?.some((m) => f.exclude?.includes(m[0]));

/** text: case-insensitive (ASCII) substring of the name or the address. */
export const passesText: FilterRule = (d, f) => {
  if (!f.text) return true;
  const t = asciiLower(f.text);
  return asciiLower(d.addr).includes(t) || (!!d.name && asciiLower(d.name).includes(t));
};

/** service: the UUID (any accepted form) is in `uuids` or is the key of a `svc` entry. */
export const passesService: FilterRule = (d, f) => {
  if (!f.service) return true;
  const want = normalizeUuid(f.service);
  const has = (u: string) => normalizeUuid(u) === want;
  return !!want && (!!d.uuids?.some(has) || !!d.svc?.some((s) => has(s[0])));
};

const RULES = [
  passesMinRssi,
  passesConnectable,
  passesNamed,
  passesCompany,
  passesExclude,
  passesText,
  passesService,
];

/**
 * The filter rules (docs/protocol.md, "Filter semantics"); every present field must hold: minRssi,
 * connectable, named, company, exclude, text and service, each as its rule above says.
 */
export const matchesFilter = (d: FilterSubject, f: Filter): boolean => RULES.every((rule) => rule(d, f));
