// Ordering of the list. Rows must not jump under the user's finger: the order is recomputed on a calm
// cadence, and while frozen (pointer or focus in the list, or Pause) existing rows keep their places and
// new ones are appended at the end.
import type { Dev } from './device-table.ts';

export const SORTS = { rssi: 'RSSI', name: 'Name', last: 'Last seen', first: 'First seen' } as const;
export type SortKey = keyof typeof SORTS;

/** Case-insensitive name order; unnamed devices after named ones, by address. */
const byName = (a: Dev, b: Dev): number => {
  const x = a.r.name?.toLowerCase();
  const y = b.r.name?.toLowerCase();
  if (x !== y) return x === undefined ? 1 : y === undefined ? -1 : x < y ? -1 : 1;
  return a.r.addr < b.r.addr ? -1 : a.r.addr > b.r.addr ? 1 : 0;
};

export type Compare = (a: Dev, b: Dev) => number;

/** Strongest first; the default order. */
export const byRssi: Compare = (a, b) => b.r.rssi - a.r.rssi || a.r.id - b.r.id;

/** Comparator for a sort key: A-Z, else the record field of the same name descending (strongest, most
 * recently seen, most recently discovered), ties by id. */
export const comparator = (key: SortKey): Compare =>
  key === 'name' ? byName : (a, b) => b.r[key] - a.r[key] || a.r.id - b.r.id;

/**
 * The list in display order. With `resort`, pinned devices first then by `cmp`; otherwise devices keep the
 * order of `prev` and devices not in it follow in `cmp` order. Devices gone from `devs` disappear.
 */
export function arrange(
  devs: readonly Dev[],
  prev: readonly Dev[],
  cmp: Compare,
  pinned: (d: Dev) => boolean,
  resort: boolean,
): Dev[] {
  if (resort) return [...devs].sort((a, b) => +pinned(b) - +pinned(a) || cmp(a, b));
  const rank = new Map<number, number>();
  for (let i = 0; i < prev.length; i++) rank.set(prev[i]!.r.id, i);
  const kept: Dev[] = [];
  const added: Dev[] = [];
  for (const d of devs) (rank.has(d.r.id) ? kept : added).push(d);
  kept.sort((a, b) => rank.get(a.r.id)! - rank.get(b.r.id)!);
  return kept.concat(added.sort(cmp));
}
