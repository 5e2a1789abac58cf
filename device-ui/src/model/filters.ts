// The page's filter controls, split in two: the part the device can apply (sent as a `filter` command so
// it sends less) and the rest, applied here. The page applies the device part too (matchesFilter), so the
// list is right even before the device's fresh snapshot arrives.
import {
  type Decoded,
  type Filter,
  passesConnectable,
  passesExclude,
  passesMinRssi,
  passesNamed,
} from '@bleshark/shared-protocol';
import type { Dev } from './device-table.ts';

export const APPLE = 0x004c;
export const MICROSOFT = 0x0006;
/** The slider's lowest position: no RSSI limit. */
export const RSSI_OFF = -110;

export type UiFilter = {
  /** Case-insensitive substring of the name, alias, address, company name or decoded label. */
  text: string;
  /** Minimum RSSI in dBm; RSSI_OFF means none. */
  minRssi: number;
  connectable: boolean;
  named: boolean;
  noApple: boolean;
  noMicrosoft: boolean;
  /** Only devices whose address was not in the baseline. */
  onlyNew: boolean;
  trackers: boolean;
};

export const NO_FILTER: Readonly<UiFilter> = {
  text: '',
  minRssi: RSSI_OFF,
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
  if (f.connectable) out.connectable = true;
  if (f.named) out.named = true;
  const exclude = [...(f.noApple ? [APPLE] : []), ...(f.noMicrosoft ? [MICROSOFT] : [])];
  if (exclude.length) out.exclude = exclude;
  return out;
}

/** What local rules need besides the device: its alias, its decoded kind and the baseline. */
export type FilterContext = {
  alias: (addr: string) => string | undefined;
  kind: (d: Dev) => Decoded | undefined;
  company: (id: number) => string | undefined;
  baseline: ReadonlySet<string>;
};

/** The shared rules of the fields deviceFilter can set (the others are never sent, so always pass). */
const DEVICE_RULES = [passesMinRssi, passesConnectable, passesNamed, passesExclude];

/** True when the device passes every filter (device part and local part). */
export function matches(d: Dev, f: UiFilter, dev: Filter, ctx: FilterContext): boolean {
  const r = d.r;
  if (!DEVICE_RULES.every((rule) => rule(r, dev))) return false;
  if (f.onlyNew && ctx.baseline.has(r.addr)) return false;
  if (f.trackers && !ctx.kind(d)?.tracker) return false;
  const t = f.text.trim().toLowerCase();
  if (!t) return true;
  const hay = [
    r.addr,
    r.name,
    ctx.alias(r.addr),
    ctx.kind(d)?.label,
    ...(r.mfr ?? []).map((m) => ctx.company(m[0])),
  ];
  return hay.some((s) => s?.toLowerCase().includes(t));
}
