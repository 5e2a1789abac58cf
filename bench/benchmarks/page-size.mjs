// 5. Page size: raw and gzip -9 bytes of the built page against the 14,336-byte budget, and the lazily
// loaded assets (extras.js, names.json) separately.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../lib/machine.mjs';

export const title = '5. Page size (device-ui/dist, gzip -9)';
export const BUDGET = 14_336;

export async function run() {
  const rows = [];
  for (const [file, budget] of [
    ['index.html', BUDGET],
    ['extras.js', undefined],
    ['names.json', undefined],
  ]) {
    const path = `${ROOT}device-ui/dist/${file}`;
    if (!existsSync(path)) {
      if (budget) rows.push({ file, note: 'missing: build the page' });
      continue;
    }
    const raw = readFileSync(path);
    const gz = gzipSync(raw, { level: 9 }).length;
    rows.push({
      file,
      rawBytes: raw.length,
      gzipBytes: gz,
      budget: budget ?? 'lazy asset',
      ...(budget ? { headroom: budget - gz, withinBudget: gz <= budget } : {}),
    });
  }
  return rows;
}
