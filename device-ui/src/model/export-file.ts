// Saves the list as shown (every device matching the filters) as a CSV or JSON download. Part of the
// lazily loaded decode.js (src/decode.ts): the page's Export buttons are disabled until it has loaded.
// Gets everything from its arguments (the page's model is not bundled here).
import { classify, type HelloMessage } from '@bleshark/shared-protocol';
import type { Dev } from './device-table.ts';
import { toCsv, toJson } from './export.ts';
import type { UiFilter } from './filters.ts';
import type { Saved } from './persist.ts';

/** Downloads `devs` as CSV or JSON; the JSON is headed by the device, its epoch, its time `t` and the filter. */
export function save(
  type: 'csv' | 'json',
  devs: readonly Dev[],
  saved: Saved,
  company: (id: number) => string | undefined,
  hello: HelloMessage | undefined,
  t: number | undefined,
  filter: UiFilter,
): void {
  const c = {
    alias: (a: string) => saved.aliases[a],
    pinned: (a: string) => saved.pins.includes(a),
    label: (d: Dev) => classify(d.r)?.label,
    company,
  };
  const a = document.createElement('a');
  a.href = URL.createObjectURL(
    new Blob([
      type === 'csv'
        ? toCsv(devs, c)
        : toJson(devs, c, { device: hello?.device, epoch: hello?.epoch, t, filter }),
    ]),
  );
  a.download = `bleshark-${t}.${type}`;
  a.click();
}
