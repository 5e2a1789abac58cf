import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { etagOf, StaticFiles, zopfliGzip } from './static-files.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'bleshark-static-'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Bumps a file's mtime so a rewrite within the same clock tick is still seen as a change. */
const touch = (file: string, s: number) => utimesSync(file, s, s);

describe('zopfliGzip', () => {
  it('writes the fixed header, round-trips, repeats itself and beats zlib level 9', async () => {
    const text = Buffer.from(
      Array.from({ length: 120 }, (_, i) => `<li class="d${i % 7}">device ${(i * 7919) % 1000}</li>`).join(
        '',
      ),
    );
    const gz = await zopfliGzip(text);
    expect(hex(gz.subarray(0, 10))).toBe('1f8b08000000000002ff');
    expect(gunzipSync(gz).equals(text)).toBe(true);
    expect((await zopfliGzip(text)).equals(gz)).toBe(true);
    expect(gz.length).toBeLessThanOrEqual(gzipSync(text, { level: 9 }).length);
  });

  it('gives the pinned bytes for a pinned input (the same as firmware-bridge pack)', async () => {
    expect(hex(await zopfliGzip(Buffer.from('{"76":"Apple"}\n')))).toBe(
      '1f8b08000000000002ffab56323753b252722c28c84955aae502005ecb83bc0f000000',
    );
  });
});

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
    expect(a.gz.equals(await zopfliGzip(Buffer.from('<p>one</p>')))).toBe(true);
    expect(await files.lookup('/index.html')).toBe(a);
    writeFileSync(page, '<p>two!</p>');
    touch(page, 2_000_000);
    const b = (await files.lookup('/'))!;
    expect(gunzipSync(b.gz).toString()).toBe('<p>two!</p>');
    expect(b.etag).not.toBe(a.etag);
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
