// Saves the list as shown (every device matching the filters) as a CSV or JSON download. Part of the
// lazily loaded decode.js (src/decode.ts): the page's Export buttons are disabled until it has loaded.
// Gets everything from its arguments (the page's model is not bundled here).
import { classify, type HelloMessage } from '@bleshark/shared-protocol';
import type { Dev } from './device-table.ts';
import { toCsv, toJson } from './export.ts';
import type { UiFilter } from './filters.ts';
import type { Saved } from './persist.ts';
import { fileStamp } from './stamp.ts';

/**
 * Downloads `devs` as CSV or JSON, named by the local date and time ("bleshark-2026-12-05-1403.csv"); the
 * JSON is headed by the device, its epoch, its uptime `t` (of the newest message), the time of the export
 * and the filter. Uptimes become wall-clock times through `t`: the newest message arrived at most about a
 * second ago (status comes every second), so the times are that exact.
 */
export function save(
  type: 'csv' | 'json',
  devs: readonly Dev[],
  saved: Saved,
  company: (id: number) => string | undefined,
  hello: HelloMessage | undefined,
  t: number | undefined,
  filter: UiFilter,
): void {
  const now = Date.now();
  const c = {
    iso: (u: number) => (t ? new Date(now - t + u).toISOString() : undefined),
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
        : toJson(devs, c, {
            device: hello?.device,
            epoch: hello?.epoch,
            t,
            exported: new Date(now).toISOString(),
            filter,
          }),
    ]),
  );
  a.download = `bleshark-${fileStamp(now)}.${type}`;
  a.click();
}
