// One-tap chips for a crowd: the devices counted by decoded kind ("Nearby Info 1,200") and by company
// ("Apple 1,450"), largest first. A model function; the chips themselves and what tapping one filters are
// the filter bar's.
import type { Decoded } from '@bleshark/shared-protocol';
import type { Dev } from './device-table.ts';

export type Chip = {
  /** What the chip counts by: the decoded kind (`Decoded.kind`) or the first company id. */
  by: 'kind' | 'company';
  /** The kind (e.g. 'nearby-info') or the company id. */
  key: string | number;
  n: number;
};

/**
 * The `max` largest groups of `devs` by decoded kind (`kind`: list.ts's, which needs decode.js) and by
 * company (first manufacturer-data id), counts descending, ties by key. Cost: one pass over `devs`. Use:
 * `chips(S.table.m.values(), kind)`.
 */
export function chips(devs: Iterable<Dev>, kind: (d: Dev) => Decoded | undefined, max = 8): Chip[] {
  const m = new Map<string, Chip>();
  const add = (by: Chip['by'], key: string | number) => {
    const id = by + key;
    const c = m.get(id) ?? { by, key, n: 0 };
    c.n++;
    m.set(id, c);
  };
  for (const d of devs) {
    const k = kind(d);
    if (k) add('kind', k.kind);
    const c = d.r.mfr?.[0];
    if (c) add('company', c[0]);
  }
  return [...m.values()].sort((a, b) => b.n - a.n || (`${a.key}` < `${b.key}` ? -1 : 1)).slice(0, max);
}

/** A count as shown: "1,200". */
export const count = (n: number): string => n.toLocaleString('en-US');
