// 5. Page size: raw bytes of the built page and its flashed size against the page budget, with zlib -9
// beside it for comparison, and the optional, lazily loaded assets (every other file in device-ui/dist)
// separately. The flashed form is the one the budget is defined on, made by the one flash recipe
// (@bleshark/firmware-bridge/flash, built by `npm run build`): the bytes `bleshark-bridge pack` writes and
// the simulator serves.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { PAGE_BUDGET_BYTES as BUDGET, flashGzip } from '@bleshark/firmware-bridge/flash';
import { ROOT } from '../lib/machine.mjs';

export const title = '5. Page size (device-ui/dist: zopfli flash gzip, zlib -9 for comparison)';

export async function run() {
  const dir = `${ROOT}device-ui/dist/`;
  const rows = [];
  if (!existsSync(`${dir}index.html`))
    return [{ file: 'index.html', note: 'missing: build the page (npm run build)' }];
  // index.html against the budget first, then every optional asset the page loads lazily.
  const files = [
    'index.html',
    ...readdirSync(dir)
      .filter((f) => f !== 'index.html' && statSync(`${dir}${f}`).isFile())
      .sort(),
  ];
  for (const file of files) {
    const raw = readFileSync(`${dir}${file}`);
    const flash = (await flashGzip(raw)).length;
    const zlib9 = gzipSync(raw, { level: 9 }).length;
    const main = file === 'index.html';
    rows.push({
      file,
      rawBytes: raw.length,
      flashBytes: flash,
      zlib9Bytes: zlib9,
      zopfliSaves: zlib9 - flash,
      budget: main ? BUDGET : 'optional, lazy',
      ...(main ? { headroom: BUDGET - flash, withinBudget: flash <= BUDGET } : {}),
    });
  }
  return rows;
}
