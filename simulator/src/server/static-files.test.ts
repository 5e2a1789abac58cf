import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { contentTypeFor, etagOf, flashGzip } from '@bleshark/firmware-bridge/flash';
import { describe, expect, it } from 'vitest';
import { StaticFiles } from './static-files.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'bleshark-static-'));
/** Bumps a file's mtime so a rewrite within the same clock tick is still seen as a change. */
const touch = (file: string, s: number) => utimesSync(file, s, s);

describe('StaticFiles', () => {
  it('gzips once, derives the ETag from the gzipped bytes, and recomputes when the file changes', async () => {
    const dir = tmp();
    const page = join(dir, 'index.html');
    writeFileSync(page, '<p>one</p>');
    touch(page, 1_000_000);
    const files = new StaticFiles(dir);
    const a = (await files.lookup('/'))!;
    expect(gunzipSync(a.gz).toString()).toBe('<p>one</p>');
    expect(a.etag).toBe(etagOf(a.gz));
    expect(a.gz.equals(await flashGzip(Buffer.from('<p>one</p>')))).toBe(true);
    expect(a.type).toBe(contentTypeFor('index.html'));
    expect(await files.lookup('/index.html')).toBe(a);
    writeFileSync(page, '<p>two!</p>');
    touch(page, 2_000_000);
    const b = (await files.lookup('/'))!;
    expect(gunzipSync(b.gz).toString()).toBe('<p>two!</p>');
    expect(b.etag).not.toBe(a.etag);
  });

  it('types files as the firmware does, module scripts and web fonts included', async () => {
    const dir = tmp();
    for (const f of ['index.html', 'decode.mjs', 'font.woff2', 'blob.bin']) writeFileSync(join(dir, f), 'x');
    const files = new StaticFiles(dir);
    const type = async (path: string) => (await files.lookup(path))?.type;
    expect(await type('/')).toBe('text/html; charset=utf-8');
    expect(await type('/decode.mjs')).toBe('text/javascript; charset=utf-8');
    expect(await type('/font.woff2')).toBe('font/woff2');
    expect(await type('/blob.bin')).toBe('application/octet-stream');
  });

  it('shares one compression between concurrent requests and caches only complete entries', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'names.json'),
      JSON.stringify({ rows: Array.from({ length: 2000 }, (_, i) => i) }),
    );
    const files = new StaticFiles(dir);
    const [a, b, c] = await Promise.all([
      files.lookup('/names.json'),
      files.lookup('/names.json'),
      files.lookup('/names.json'),
    ]);
    expect(a).toBeDefined();
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(await files.lookup('/names.json')).toBe(a);
  });

  it('answers with the newest content when a file changes while it is being compressed', async () => {
    const dir = tmp();
    const page = join(dir, 'index.html');
    writeFileSync(page, `<p>${'old '.repeat(5000)}</p>`);
    touch(page, 1_000_000);
    const files = new StaticFiles(dir);
    const first = files.lookup('/');
    writeFileSync(page, '<p>new</p>');
    touch(page, 2_000_000);
    const second = await files.lookup('/');
    expect(gunzipSync(second!.gz).toString()).toBe('<p>new</p>');
    const old = await first;
    expect(gunzipSync(old!.gz).toString()).toMatch(/^<p>(old |new)/);
    expect(await files.lookup('/')).toBe(second);
  });

  it('warms every servable file in the background, the page first', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'index.html'), '<p>hi</p>');
    writeFileSync(join(dir, 'names.json'), '{}');
    writeFileSync(join(dir, '.hidden'), 'no');
    mkdirSync(join(dir, 'img'));
    writeFileSync(join(dir, 'img', 'a.svg'), '<svg/>');
    const files = new StaticFiles(dir);
    await files.warm();
    // Warm entries are what lookup returns, without compressing again.
    const page = await files.lookup('/');
    expect(page).toBeDefined();
    expect(await files.lookup('/index.html')).toBe(page);
    expect(gunzipSync((await files.lookup('/img/a.svg'))!.gz).toString()).toBe('<svg/>');
    expect(await files.lookup('/.hidden')).toBeUndefined();
  });

  it('forgets a file that disappears', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'names.json'), '{}');
    const files = new StaticFiles(dir);
    expect(await files.lookup('/names.json')).toBeDefined();
    rmSync(join(dir, 'names.json'));
    expect(await files.lookup('/names.json')).toBeUndefined();
  });

  it('serves nothing outside the directory', async () => {
    const files = new StaticFiles(tmp());
    for (const p of ['/../etc/passwd', '/.env', '/a/../../x', '/%2e%2e/x'])
      expect(await files.lookup(p)).toBeUndefined();
  });
});
