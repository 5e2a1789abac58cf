import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDir, writeAllIfChanged, writeIfChanged } from './write-if-changed.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bleshark-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (s: string) => new TextEncoder().encode(s);

describe('writeIfChanged', () => {
  it('creates missing files and their folders', async () => {
    const file = join(dir, 'a', 'b.txt');
    expect(await writeIfChanged(file, bytes('one'))).toBe('created');
    expect(await readFile(file, 'utf8')).toBe('one');
  });

  it('fails at once where a folder cannot be made: a file in the way, or a path under /proc', async () => {
    await writeFile(join(dir, 'plain'), 'x');
    await expect(writeIfChanged(join(dir, 'plain', 'sub', 'b.txt'), bytes('one'))).rejects.toMatchObject({
      code: 'ENOTDIR',
    });
    if (process.platform === 'linux')
      await expect(ensureDir('/proc/bleshark-nope/a/b')).rejects.toThrow(/proc/);
  });

  it('leaves a file with the same bytes untouched, mtime included', async () => {
    const file = join(dir, 'same.txt');
    await writeIfChanged(file, bytes('same'));
    const past = new Date('2020-01-01T00:00:00Z');
    await utimes(file, past, past);
    expect(await writeIfChanged(file, bytes('same'))).toBe('unchanged');
    expect((await stat(file)).mtimeMs).toBe(past.getTime());
  });

  it('rewrites a file whose bytes differ', async () => {
    const file = join(dir, 'x.txt');
    await writeIfChanged(file, bytes('old'));
    expect(await writeIfChanged(file, bytes('new'))).toBe('changed');
    expect(await readFile(file, 'utf8')).toBe('new');
  });

  it('reports every file of a set in sorted order', async () => {
    const files = new Map([
      ['z.txt', bytes('z')],
      ['a/b.txt', bytes('b')],
    ]);
    expect(await writeAllIfChanged(dir, files)).toEqual([
      { path: 'a/b.txt', outcome: 'created' },
      { path: 'z.txt', outcome: 'created' },
    ]);
    expect((await writeAllIfChanged(dir, files)).map((f) => f.outcome)).toEqual(['unchanged', 'unchanged']);
  });
});
