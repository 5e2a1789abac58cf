// Saves the list as shown (every device matching the filters) as a CSV or JSON download.
import { toCsv, toJson } from './export.ts';
import { alias, isPinned, kind } from './list.ts';
import { S } from './store.ts';

const c = { alias, pinned: isPinned, label: (d: Parameters<typeof kind>[0]) => kind(d)?.label };

export function exportAs(type: 'csv' | 'json'): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(
    new Blob([
      type === 'csv'
        ? toCsv(S.view, c)
        : toJson(S.view, c, { device: S.hello?.device, epoch: S.hello?.epoch, t: S.devT, filter: S.filter }),
    ]),
  );
  a.download = `bleshark-${S.devT}.${type}`;
  a.click();
}
