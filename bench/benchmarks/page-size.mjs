// 5. Page size: raw bytes of the built page and its flashed size against the 14,336-byte budget, with zlib -9
// beside it for comparison, and the optional, lazily loaded assets (every other file in device-ui/dist)
// separately. The flashed form is the one the budget is defined on: zopfli gzip, 15 iterations, gzip OS
// byte 0xff, the recipe of device-ui/build/size.ts `flashGzip` (the same as `bleshark-bridge pack` and the
// simulator); it is repeated here because that file is TypeScript, and checked to gunzip to its input.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import { ROOT } from '../lib/machine.mjs';

export const title = '5. Page size (device-ui/dist: zopfli flash gzip, zlib -9 for comparison)';
export const BUDGET = 14_336;
export const ZOPFLI_ITERATIONS = 15;

/** The flashed bytes of a file: zopfli gzip (15 iterations) with the OS byte set to 0xff. */
export async function flashGzip(bytes) {
  const gz = Buffer.from(await gzipAsync(bytes, { numiterations: ZOPFLI_ITERATIONS }));
  gz[9] = 0xff;
  if (!gunzipSync(gz).equals(bytes)) throw new Error('zopfli output does not gunzip to its input');
  return gz;
}

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
