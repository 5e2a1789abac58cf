// Saves the list as shown (every device matching the filters) as a CSV or JSON download. Part of the
// lazily loaded decode.js (src/decode.ts): the page's Export buttons are disabled until it has loaded.
// Gets everything from its arguments (the page's model is not bundled here).
import { classify } from '@bleshark/shared-protocol';
import type { Dev } from './device-table.ts';
import { toCsv, toJson } from './export.ts';
import type { Saved } from './persist.ts';

/** Downloads `devs` as CSV or JSON; `meta` (with the device time `t` for the file name) heads the JSON. */
export function save(
  type: 'csv' | 'json',
  devs: readonly Dev[],
  saved: Saved,
  company: (id: number) => string | undefined,
  meta: { t?: number; [k: string]: unknown },
): void {
  const c = {
    alias: (a: string) => saved.aliases[a],
    pinned: (a: string) => saved.pins.includes(a),
    label: (d: Dev) => classify(d.r)?.label,
    company,
  };
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([type === 'csv' ? toCsv(devs, c) : toJson(devs, c, meta)]));
  a.download = `bleshark-${meta.t}.${type}`;
  a.click();
}
