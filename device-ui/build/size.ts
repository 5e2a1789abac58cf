// Prints what the build costs in flash after every build (gzip level 9, as the firmware embeds it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The gzipped budget of index.html (test/size.test.ts enforces it). */
export const PAGE_BUDGET = 14336;

export function sizeReport(): Plugin {
  let outDir = 'dist';
  return {
    name: 'bleshark-size',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    writeBundle(options, bundle) {
      const dir = options.dir ?? outDir;
      const lines = Object.keys(bundle)
        .sort()
        .map((f) => {
          const raw = readFileSync(join(dir, f));
          const gz = gzipSync(raw, { level: 9 }).length;
          const note = f === 'index.html' ? ` (budget ${PAGE_BUDGET}, ${PAGE_BUDGET - gz} left)` : '';
          return `  ${f}: ${raw.length} -> ${gz} bytes gzipped${note}`;
        });
      this.info(`flash cost:\n${lines.join('\n')}`);
    },
  };
}
