// 5. Page size: raw and gzip -9 bytes of the built page against the 14,336-byte budget, and the lazily
// loaded assets beside it (every other file in device-ui/dist) separately.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../lib/machine.mjs';

export const title = '5. Page size (device-ui/dist, gzip -9)';
export const BUDGET = 14_336;

export async function run() {
  const dir = `${ROOT}device-ui/dist/`;
  const rows = [];
  if (!existsSync(`${dir}index.html`))
    return [{ file: 'index.html', note: 'missing: build the page (npm run build)' }];
  // index.html against the budget first, then every lazily fetched asset beside it.
  const files = [
    'index.html',
    ...readdirSync(dir)
      .filter((f) => f !== 'index.html' && statSync(`${dir}${f}`).isFile())
      .sort(),
  ];
  for (const file of files) {
    const raw = readFileSync(`${dir}${file}`);
    const gz = gzipSync(raw, { level: 9 }).length;
    const main = file === 'index.html';
    rows.push({
      file,
      rawBytes: raw.length,
      gzipBytes: gz,
      budget: main ? BUDGET : 'lazy asset',
      ...(main ? { headroom: BUDGET - gz, withinBudget: gz <= BUDGET } : {}),
    });
  }
  return rows;
}
