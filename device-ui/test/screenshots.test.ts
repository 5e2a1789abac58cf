// `npm run screenshots` (scripts/screenshots.mjs) as a user runs it, writing into a temporary folder instead
// of docs/screenshots: two PNGs of the page's size, and one clear line with exit code 2 for a bad argument.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBuild, skipReason } from './browser.ts';

const SCRIPT = fileURLToPath(new URL('../scripts/screenshots.mjs', import.meta.url));
const run = promisify(execFile);

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (file: string) => {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
};

describe('npm run screenshots', () => {
  const out = mkdtempSync(join(tmpdir(), 'bleshark-shots-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.skipIf(skipReason())(
    'writes desktop.png and phone.png of the demo scene',
    async () => {
      requireBuild();
      const { stdout } = await run(process.execPath, [SCRIPT, '--out', out], { timeout: 90000 });
      expect(stdout).toContain('wrote desktop.png and phone.png');
      expect(pngSize(join(out, 'desktop.png'))).toEqual([1280, 800]);
      expect(pngSize(join(out, 'phone.png'))).toEqual([390, 844]);
    },
    100000,
  );

  it('fails with one line and exit code 2 on an unknown option', async () => {
    const err = await run(process.execPath, [SCRIPT, '--outdir', out]).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toEqual([
      "screenshots: Unknown option '--outdir'; usage: screenshots [--out DIR]",
    ]);
  });

  it('fails with one line and exit code 2, at once, when --out cannot be made', async () => {
    const err = await run(process.execPath, [SCRIPT, '--out', join(out, 'no', 'such')], {
      timeout: 30000,
    }).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toMatch(/^screenshots: cannot use --out .*no\/such: ENOENT/);
  });
});
