// What "matches a filter" means, defined once for the device, the simulator and the page.

import type { AdvertFields } from './ad/advert.js';
import { normalizeUuid } from './ad/uuid.js';
import type { Filter } from './messages/scan-state.js';

/** What the filter looks at. */
export type FilterSubject = Pick<AdvertFields, 'addr' | 'rssi' | 'conn' | 'name' | 'mfr' | 'uuids' | 'svc'>;

/**
 * A-Z to a-z and nothing else: the one case folding of every text match (the firmware has no Unicode case
 * tables, so the page folds exactly as the device does; 'É' and 'é' differ everywhere).
 */
export const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/**
 * The text rule's match: `hay` contains `text`, ASCII letters folded (asciiLower). A client that searches
 * more than the name and address (the page adds aliases, company names and decoded labels) uses this too.
 */
export const containsText = (hay: string | undefined, text: string): boolean =>
  !!hay && asciiLower(hay).includes(asciiLower(text));

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

/** minRssi: rssi >= minRssi (the newest rssi). An absent minRssi compares false (NaN), so everything passes. */
export const passesMinRssi: FilterRule = (d, f) => !(d.rssi < (f.minRssi as number));
/** connectable: true keeps connectable devices only. */
export const passesConnectable: FilterRule = (d, f) => !f.connectable || d.conn;
/**
 * The code points that do not show in a name, as inclusive hex ranges: whitespace (White_Space), controls
 * (Cc), format characters (Cf) and default-ignorable code points (Default_Ignorable_Code_Point: U+3164 HANGUL
 * FILLER, U+00AD, U+034F, variation selectors, tag characters, ...) as of Unicode 17, plus U+2800 BRAILLE
 * PATTERN BLANK, which draws an empty cell. Firmware without Unicode tables applies this list (docs/protocol.md,
 * "Filter semantics"); JavaScript applies the same properties (SHOWS), and filter.test.ts checks the two
 * against each other code point by code point.
 */
export const BLANK_CODE_POINTS =
  '0000-0020 007F-00A0 00AD 034F 0600-0605 061C 06DD 070F 0890-0891 08E2 115F-1160 1680 17B4-17B5 180B-180F ' +
  '2000-200F 2028-202F 205F-206F 2800 3000 3164 FE00-FE0F FEFF FFA0 FFF0-FFFB 110BD 110CD 13430-1343F ' +
  '1BCA0-1BCA3 1D173-1D17A E0000-E0FFF';

/** One code point that shows (a lone surrogate shows too, as U+FFFD); the properties of BLANK_CODE_POINTS. */
const SHOWS = /[^\p{space}\p{Cc}\p{Cf}\p{DI}\u2800]/u;

/** True when the name has at least one character that shows (a name of spaces or fillers looks blank). */
export const isVisibleName = (name?: string): boolean => !!name && SHOWS.test(name);

/** named: true keeps devices whose name has a character that shows (isVisibleName). */
export const passesNamed: FilterRule = (d, f) => !f.named || isVisibleName(d.name);
/** company: some manufacturer-data entry has this company id. */
export const passesCompany: FilterRule = (d, f) =>
  f.company === undefined || !!d.mfr?.some((m) => m[0] === f.company);
/** exclude: no manufacturer-data entry comes from a listed company. */
export const passesExclude: FilterRule = (d, f) => !d.mfr?.some((m) => f.exclude?.includes(m[0]));

/** text: a substring of the address or the name, ASCII letters folded (containsText). */
export const passesText: FilterRule = (d, f) =>
  !f.text || containsText(d.addr, f.text) || containsText(d.name, f.text);

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
