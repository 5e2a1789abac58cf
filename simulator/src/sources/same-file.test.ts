import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sameFile } from './same-file.js';

const dir = mkdtempSync(join(tmpdir(), 'bleshark-same-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const x = join(dir, 'x.jsonl');
writeFileSync(x, 'x\n');
writeFileSync(join(dir, 'y.jsonl'), 'y\n');
mkdirSync(join(dir, 'sub'));
symlinkSync(x, join(dir, 'link.jsonl'));
linkSync(x, join(dir, 'hard.jsonl'));
symlinkSync(join(dir, 'not-yet.jsonl'), join(dir, 'dangling.jsonl'));
symlinkSync(dir, join(dir, 'sub', 'up'));

describe('sameFile', () => {
  it('matches one existing file however it is named: relative, ./, .., a symlink, a hard link', () => {
    const rel = relative(process.cwd(), x);
    for (const other of [
      x,
      rel,
      `./${rel}`,
      join(dir, 'sub', '..', 'x.jsonl'),
      join(dir, 'link.jsonl'),
      join(dir, 'hard.jsonl'),
      join(dir, 'sub', 'up', 'x.jsonl'),
    ])
      expect(sameFile(x, other), other).toBe(true);
    expect(sameFile(x, join(dir, 'y.jsonl'))).toBe(false);
  });

  it('matches a file that does not exist yet by its resolved path, through links to its folder or to it', () => {
    const missing = join(dir, 'not-yet.jsonl');
    expect(sameFile(missing, join(dir, 'sub', 'up', 'not-yet.jsonl'))).toBe(true);
    expect(sameFile(missing, join(dir, 'dangling.jsonl'))).toBe(true);
    expect(sameFile(join(dir, 'dangling.jsonl'), missing)).toBe(true);
    expect(sameFile(missing, join(dir, 'other.jsonl'))).toBe(false);
    expect(sameFile(missing, x)).toBe(false);
  });
});
