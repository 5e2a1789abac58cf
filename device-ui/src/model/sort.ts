// Ordering of the list. Rows must not jump under the user's finger: the order is recomputed on a calm
// cadence, and while frozen (pointer or focus in the list, or Pause) existing rows keep their places and
// new ones are appended at the end.
import { isVisibleName } from '@bleshark/shared-protocol';
import type { Dev } from './device-table.ts';

export const SORTS = { rssi: 'RSSI', name: 'Name', last: 'Last seen', first: 'First seen' } as const;
export type SortKey = keyof typeof SORTS;

export type Compare = (a: Dev, b: Dev) => number;

/** A name's sort key: a name that looks blank sorts with the unnamed, after every name. */
const sortName = (n?: string) => (isVisibleName(n) ? n!.toLowerCase() : '\uffff');

/** Strongest first by the RSSI the list shows (smoothed, with hysteresis: device-table.ts); the default order. */
export const byRssi: Compare = (a, b) => (b.v ?? b.r.rssi) - (a.v ?? a.r.rssi) || a.r.id - b.r.id;

/**
 * Comparator for a sort key: names A-Z ignoring case, unnamed devices last by address; RSSI as byRssi; else
 * the record field of the same name descending (most recently seen, most recently discovered), ties by id.
 */
export const comparator =
  (key: SortKey): Compare =>
  (p, q) => {
    const { r: a } = p;
    const { r: b } = q;
    if (key === 'rssi') return byRssi(p, q);
    if (key !== 'name') return b[key] - a[key] || a.id - b.id;
    const x = sortName(a.name);
    const y = sortName(b.name);
    return x < y ? -1 : x > y ? 1 : a.addr < b.addr ? -1 : +(a.addr > b.addr);
  };

/**
 * The list in display order. With `resort`, pinned devices first then by `cmp`; otherwise devices keep the
 * order of `prev` and devices not in it follow in `cmp` order. Devices gone from `devs` disappear.
 */
export function arrange(
  devs: Dev[],
  prev: readonly Dev[],
  cmp: Compare,
  pinned: (d: Dev) => boolean,
  resort: boolean,
): Dev[] {
  const rank = resort ? undefined : new Map(prev.map((d, i) => [d.r.id, i]));
  /** Place in the previous order (or, when re-sorting, pinned first); new devices after the rest. */
  const at = (d: Dev) => (rank ? (rank.get(d.r.id) ?? 1e9) : +!pinned(d));
  return devs.sort((a, b) => at(a) - at(b) || cmp(a, b));
}
