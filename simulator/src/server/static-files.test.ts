import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { etagOf, StaticFiles } from './static-files.js';

describe('StaticFiles', () => {
  it('gzips once, derives the ETag from the gzipped bytes, and recomputes when the file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bleshark-static-'));
    writeFileSync(join(dir, 'index.html'), '<p>one</p>');
    const files = new StaticFiles(dir);
    const a = files.lookup('/')!;
    expect(gunzipSync(a.gz).toString()).toBe('<p>one</p>');
    expect(a.etag).toBe(etagOf(a.gz));
    expect(files.lookup('/index.html')).toBe(a);
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(join(dir, 'index.html'), '<p>two!</p>');
    const b = files.lookup('/')!;
    expect(b.etag).not.toBe(a.etag);
  });

  it('serves nothing outside the directory', () => {
    const files = new StaticFiles(mkdtempSync(join(tmpdir(), 'bleshark-static-')));
    for (const p of ['/../etc/passwd', '/.env', '/a/../../x', '/%2e%2e/x'])
      expect(files.lookup(p)).toBeUndefined();
  });
});
