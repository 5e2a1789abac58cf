import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSkipped, readInputDir } from './input-files.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bleshark-input-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readInputDir', () => {
  it('lists servable files sorted, with posix paths, skipping maps, hidden files and .gz copies', async () => {
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<p>');
    await writeFile(join(dir, 'names.json'), '{}');
    await writeFile(join(dir, 'assets', 'b.js'), 'b');
    await writeFile(join(dir, 'assets', 'b.js.map'), '{}');
    await writeFile(join(dir, '.DS_Store'), '');
    await writeFile(join(dir, 'index.html.gz'), '');
    const r = await readInputDir(dir);
    expect(r.ok && r.files.map((f) => f.file)).toEqual(['assets/b.js', 'index.html', 'names.json']);
  });

  it('tells to run the build when the folder is missing', async () => {
    const r = await readInputDir(join(dir, 'nope'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/npm run build/);
  });

  it('tells to run the build when the page is missing', async () => {
    await writeFile(join(dir, 'names.json'), '{}');
    const r = await readInputDir(dir);
    expect(!r.ok && r.message).toMatch(/no index\.html.*npm run build/);
  });

  it('knows what it skips', () => {
    expect(['.x', 'a.map', 'a.gz', 'a.js'].map(isSkipped)).toEqual([true, true, true, false]);
  });
});
