// Prints what the build costs in flash after every build. The flashed bytes are zopfli-compressed gzip
// (standard gzip, smaller than zlib's), made exactly as the firmware bridge and the simulator make them;
// zlib -9 is printed beside it for comparison.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import type { Plugin } from 'vite';

/** The gzipped (zopfli) budget of index.html (test/size.test.ts enforces it). */
export const PAGE_BUDGET = 14336;

/** The flashed form of a file: zopfli gzip, 15 iterations, OS byte 0xff (unknown). */
export async function flashGzip(bytes: Uint8Array): Promise<Uint8Array> {
  const gz = await gzipAsync(bytes, { numiterations: 15 });
  gz[9] = 0xff;
  return gz;
}

/** A file's size raw, in flash (zopfli) and with zlib -9, as one report line. */
export async function sizeLine(dir: string, f: string): Promise<{ line: string; flash: number }> {
  const raw = readFileSync(join(dir, f));
  const flash = (await flashGzip(raw)).length;
  const z9 = gzipSync(raw, { level: 9 }).length;
  const note =
    f === 'index.html' ? ` (budget ${PAGE_BUDGET}, ${PAGE_BUDGET - flash} left)` : ' (optional, lazy)';
  return { line: `${f}: ${raw.length} -> ${flash} bytes zopfli gzip, ${z9} zlib -9${note}`, flash };
}

export function sizeReport(): Plugin {
  let outDir = 'dist';
  return {
    name: 'bleshark-size',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    async writeBundle(options, bundle) {
      const dir = options.dir ?? outDir;
      const lines = await Promise.all(
        Object.keys(bundle)
          .sort()
          .map(async (f) => `  ${(await sizeLine(dir, f)).line}`),
      );
      this.info(`flash cost:\n${lines.join('\n')}`);
    },
  };
}
