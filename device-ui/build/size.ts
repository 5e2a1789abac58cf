// Prints what the build costs in flash after every build: each file gzipped by the flash recipe
// (@bleshark/firmware-bridge/flash: the bytes `bleshark-bridge pack` writes and the simulator serves), the
// page against its budget, and zlib -9 beside it for comparison. The recipe is imported when a build
// writes its files, not when the config loads, so the dev server starts before the bridge is built.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** A file's size raw, in flash (zopfli) and with zlib -9, as one report line. */
export async function sizeLine(dir: string, f: string): Promise<{ line: string; flash: number }> {
  const { flashGzip, PAGE_BUDGET_BYTES: budget } = await import('@bleshark/firmware-bridge/flash');
  const raw = readFileSync(join(dir, f));
  const flash = (await flashGzip(raw)).length;
  const z9 = gzipSync(raw, { level: 9 }).length;
  const note = f === 'index.html' ? ` (budget ${budget}, ${budget - flash} left)` : ' (optional, lazy)';
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
