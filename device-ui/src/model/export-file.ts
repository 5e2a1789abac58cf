// Saves the list as shown (every device matching the filters) as a CSV or JSON download.
import { classify } from '@bleshark/shared-protocol';
import { type ExportContext, toCsv, toJson } from './export.ts';
import { S } from './store.ts';

export function exportAs(type: 'csv' | 'json'): void {
  const c: ExportContext = {
    alias: (a) => S.saved.aliases[a],
    pinned: (a) => S.saved.pins.includes(a),
    label: (d) => classify(d.r)?.label,
  };
  const text =
    type === 'csv'
      ? toCsv(S.view, c)
      : toJson(S.view, c, { device: S.hello?.device, epoch: S.hello?.epoch, t: S.devT, filter: S.filter });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: type === 'csv' ? 'text/csv' : 'application/json' }));
  a.download = `bleshark-${S.devT}.${type}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
