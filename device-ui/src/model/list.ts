// The list the views show: the table filtered and ordered. Re-filtered when devices come or go or a filter
// changes; re-sorted on a calm cadence (RESORT_MS) unless the order is frozen.
import { classify, type Decoded } from '@bleshark/shared-protocol';
import type { Dev } from './device-table.ts';
import { deviceFilter, type FilterContext, matches } from './filters.ts';
import { companyName } from './names.ts';
import { arrange, comparator } from './sort.ts';
import { S } from './store.ts';

/** How often the list may re-sort itself. */
export const RESORT_MS = 1000;
/** How often devices coming and going may re-filter the list between re-sorts. */
export const REFILTER_MS = 250;

let sortedAt = 0;
let filteredAt = 0;
let seen = -1;

/** The decoded kind of a device (cached on it until its record changes). */
export function kind(d: Dev): Decoded | undefined {
  if (d.k === undefined) d.k = classify(d.r) ?? null;
  return (d.k as Decoded | null | undefined) ?? undefined;
}

export const alias = (addr: string): string | undefined => S.saved.aliases[addr];
export const isPinned = (addr: string): boolean => S.saved.pins.includes(addr);

/** A company's name, else its id in hex. */
export const company = (id: number): string => companyName(id) ?? `0x${id.toString(16).padStart(4, '0')}`;

export const ctx: FilterContext = { alias, kind, company, baseline: S.baseline };

/** True while the order must not change under the user. */
export const frozen = (): boolean => S.paused || S.inList.p || S.inList.f;

/**
 * Recomputes `S.view` when due. `force` (a filter or sort change) recomputes and re-sorts now; otherwise
 * it re-filters at most every REFILTER_MS when the table changed, and re-sorts at most every RESORT_MS
 * while not frozen.
 */
export function refresh(force: boolean): void {
  const now = performance.now();
  const resort = force || (!frozen() && now - sortedAt >= RESORT_MS);
  const changed = S.table.n !== seen;
  if (!resort && !(changed && now - filteredAt >= REFILTER_MS) && !(now - filteredAt >= RESORT_MS)) return;
  seen = S.table.n;
  filteredAt = now;
  if (resort) sortedAt = now;
  const f = S.filter;
  const df = deviceFilter(f);
  ctx.baseline = S.baseline;
  const pins = new Set(S.saved.pins);
  const devs: Dev[] = [];
  for (const d of S.table.m.values()) if (matches(d, f, df, ctx)) devs.push(d);
  S.view = arrange(devs, S.view, comparator(S.sort), (d) => pins.has(d.r.addr), resort);
}
