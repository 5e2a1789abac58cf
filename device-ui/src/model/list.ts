// The list the views show: the table filtered and ordered. Re-filtered when devices come or go or a filter
// changes; re-sorted on a calm cadence (RESORT_MS) unless the order is frozen.
import type { Decoded } from '@bleshark/shared-protocol';
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

/** The decoded kind of a device (cached on it until its record changes); none until decode.js is loaded. */
export function kind(d: Dev): Decoded | undefined {
  if (S.dec) d.k ??= S.dec.classify(d.r) ?? 0;
  return d.k || undefined;
}

export const alias = (addr: string): string | undefined => S.saved.aliases[addr];
export const isPinned = (addr: string): boolean => S.saved.pins.includes(addr);

/** A company's name, else its id in hex. */
export const company = (id: number): string => companyName(id) ?? `0x${id.toString(16).padStart(4, '0')}`;

export const ctx: FilterContext = { alias, kind, company, baseline: S.baseline };

/**
 * Recomputes `S.view` when due. `force` (a filter or sort change) recomputes and re-sorts now; otherwise
 * it re-filters at most every REFILTER_MS when the table changed (and every RESORT_MS anyway), and re-sorts
 * at most every RESORT_MS while the order is not frozen (Pause, or pointer or focus in the list).
 */
export function refresh(force: boolean): void {
  const now = performance.now();
  const resort = force || (!(S.paused || S.inList.p || S.inList.f) && now - sortedAt >= RESORT_MS);
  if (!resort && now - filteredAt < (S.table.n !== seen ? REFILTER_MS : RESORT_MS)) return;
  seen = S.table.n;
  filteredAt = now;
  if (resort) sortedAt = now;
  const f = S.filter;
  const df = deviceFilter(f);
  ctx.baseline = S.baseline;
  S.view = arrange(
    [...S.table.m.values()].filter((d) => matches(d, f, df, ctx)),
    S.view,
    comparator(S.sort),
    (d) => isPinned(d.r.addr),
    resort,
  );
}
