// The page's filter controls, split in two: the part the device can apply (sent as a `filter` command so
// it sends less) and the rest, applied here. What each field means is shared-protocol's filter.ts, stated
// once for the device and the page: the page applies the device part with those very rules (so the list is
// right even before the device's fresh snapshot arrives) and composes its own extras on top (text over
// more fields with the same ASCII folding, trackers only, new since the baseline).
import {
  asciiLower,
  type Decoded,
  type Filter,
  passesCompany,
  passesConnectable,
  passesExclude,
  passesMinRssi,
  passesNamed,
} from '@bleshark/shared-protocol';
import type { Dev } from './device-table.ts';

export const APPLE = 0x004c;
export const MICROSOFT = 0x0006;
/** The slider's lowest position: no RSSI limit (the wire's minRssi is then left out, "absent"). */
export const RSSI_OFF = -110;

/** The controls' state; deviceFilter turns it into the wire's Filter, whose rules say what each means. */
export type UiFilter = {
  /** Substring of the name, alias, address, company name or decoded label (containsText's folding). */
  text: string;
  /** Minimum RSSI in dBm; RSSI_OFF means none. */
  minRssi: number;
  connectable: boolean;
  named: boolean;
  /** Only this company's devices (`company`); undefined: any. */
  company: number | undefined;
  /**
   * Only devices with this service UUID (`service`, sent once it is a 4-, 8- or dashed 32-digit UUID, the
   * wire's spellings); '' any. The device applies it (the page leaves it to the device's fresh snapshot,
   * which follows at once, rather than bundling UUID normalisation).
   */
  service: string;
  /** Only devices of this decoded kind (`Decoded.kind`, as the chips count them; local); '' any. */
  kind: string;
  /** `exclude` holds Apple's company id (AirTags and other Find My devices are Apple's too). */
  noApple: boolean;
  /** `exclude` holds Microsoft's company id. */
  noMicrosoft: boolean;
  /** Only devices whose address was not in the baseline. */
  onlyNew: boolean;
  trackers: boolean;
};

export const NO_FILTER: Readonly<UiFilter> = {
  text: '',
  minRssi: RSSI_OFF,
  company: undefined,
  service: '',
  kind: '',
  connectable: false,
  named: false,
  noApple: false,
  noMicrosoft: false,
  onlyNew: false,
  trackers: false,
};

/**
 * The device-applicable part. Text is not sent: the device matches it on name and address only, while the
 * page also matches company names, aliases and decoded labels that the device does not know.
 */
export function deviceFilter(f: UiFilter): Filter {
  const out: Filter = {};
  if (f.minRssi > RSSI_OFF) out.minRssi = f.minRssi;
  if (f.company !== undefined) out.company = f.company;
  if (UUID.test(f.service)) out.service = f.service;
  if (f.connectable) out.connectable = true;
  if (f.named) out.named = true;
  const exclude = [...(f.noApple ? [APPLE] : []), ...(f.noMicrosoft ? [MICROSOFT] : [])];
  if (exclude.length) out.exclude = exclude;
  return out;
}

/** The spellings of a UUID the wire accepts (filterSchema's `service`). */
const UUID = /^([\da-f]{4}){1,2}$|^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/i;

/** What local rules need besides the device: its alias, its decoded kind and the baseline. */
export type FilterContext = {
  alias: (addr: string) => string | undefined;
  kind: (d: Dev) => Decoded | undefined;
  company: (id: number) => string | undefined;
  baseline: ReadonlySet<string>;
};

/** The shared rules of the fields deviceFilter sets, but `service` (left to the device; see UiFilter). */
const DEVICE_RULES = [passesMinRssi, passesConnectable, passesNamed, passesExclude, passesCompany];

/** How many filters differ from none, the text aside (the search box is always in view). */
export const activeCount = (f: UiFilter): number =>
  (Object.keys(NO_FILTER) as (keyof UiFilter)[]).filter((k) => k !== 'text' && f[k] !== NO_FILTER[k]).length;

/** True when the device passes every filter (device part and local part). */
export function matches(d: Dev, f: UiFilter, dev: Filter, ctx: FilterContext): boolean {
  const r = d.r;
  if (!DEVICE_RULES.every((rule) => rule(r, dev))) return false;
  if (f.onlyNew && ctx.baseline.has(r.addr)) return false;
  const k = ctx.kind(d);
  if ((f.trackers && !k?.tracker) || (f.kind && k?.kind !== f.kind)) return false;
  const t = f.text.trim();
  // The text rule's folding (asciiLower, as on the device) over more fields, joined and folded once: a line
  // break cannot be typed into the search box, so no match spans two fields (a device's company names are
  // one field, comma-separated).
  const hay = [r.addr, r.name, ctx.alias(r.addr), k?.label, r.mfr?.map((m) => ctx.company(m[0]))];
  return !t || asciiLower(hay.join('\n')).includes(asciiLower(t));
}
