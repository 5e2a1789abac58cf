// The list the views show: the table filtered and ordered, recomputed at once when a filter or the sort
// changes, otherwise on a calm cadence (RESORT_MS); existing rows keep their places while it is frozen.
import type { Decoded } from '@bleshark/shared-protocol';
import { type Dev, settle } from './device-table.ts';
import { deviceFilter, type FilterContext, matches } from './filters.ts';
import { companyName } from './names.ts';
import { arrange, comparator } from './sort.ts';
import { bump, S } from './store.ts';

/** How often the list may re-filter and re-sort itself (the calm cadence). */
export const RESORT_MS = 1000;

let refreshedAt = 0;
/** The table's change count (`n`) when the list was last computed. */
let listedN = -1;

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

/** Devices in the table that were not there when the baseline was marked. */
export const newCount = (): number => {
  let n = 0;
  for (const d of S.table.m.values()) n += +!S.baseline.has(d.r.addr);
  return n;
};

/** The list stays frozen this long after it last scrolled (a finger scrolling it, momentum included). */
export const SCROLL_FREEZE_MS = 1500;

/** Why the order is frozen now (Pause; the pointer, the focus or a recent scroll in the list), or false. */
const frozen = (): boolean =>
  !!S.paused ||
  performance.now() - (S.movedAt ?? -1e9) < SCROLL_FREEZE_MS ||
  !!globalThis.document?.querySelector('.list:hover,.list:focus-within');

/** Full recomputes of the list so far; a device whose `w` is this was weighed (listed or filtered out) since the last. */
let gen = 0;

/**
 * Recomputes `S.view`: in full at once with `force` (a filter or sort change, or "tap to re-sort") and
 * otherwise at most every RESORT_MS, O(n log n) in the devices; in between only for the devices that came
 * or went, O(n + new log n): a new one that passes the filters takes its place among the rows, which keep
 * their order and numbers (only a full recompute moves the shown values, `settle`), and one that left
 * goes. While frozen (`S.frozen`, shown on the page) the order is kept and new devices are
 * appended.
 */
export function refresh(force: boolean): void {
  const now = performance.now();
  const due = force || now - refreshedAt >= RESORT_MS;
  if (!due && S.table.n === listedN) return;
  listedN = S.table.n;
  const { m } = S.table;
  const f = S.filter;
  const df = deviceFilter(f);
  ctx.baseline = S.baseline;
  S.frozen = frozen();
  const cmp = comparator(S.sort);
  // The rows stay between full recomputes unless their device left the table.
  const v = due ? [] : S.view.filter((d) => m.get(d.r.id) === d);
  if (due) {
    refreshedAt = now;
    gen++;
  }
  for (const d of m.values())
    if (d.w !== gen) {
      d.w = gen;
      // The numbers shown move only in a full recompute, with the order (unless frozen).
      if (due) settle(d);
      if (!matches(d, f, df, ctx)) continue;
      // Between full recomputes a new device goes after the rows that sort before it (at the end while
      // frozen): a binary search, as the rows are in order by the values they show (pinned rows aside: the
      // next full recompute puts a pinned newcomer first).
      let lo = 0;
      let hi = v.length;
      if (due || S.frozen) lo = hi;
      while (lo < hi) {
        const i = (lo + hi) >> 1;
        if (cmp(d, v[i]!) < 0) hi = i;
        else lo = i + 1;
      }
      v.splice(lo, 0, d);
    }
  S.view = due ? arrange(v, S.view, cmp, (d) => isPinned(d.r.addr), force || !S.frozen) : v;
}

/** Recomputes the list (at once with `force`, else when due) and re-renders. */
export const redraw = (force: boolean): void => {
  refresh(force);
  bump();
};
