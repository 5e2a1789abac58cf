// The size budget of the page in flash: dist/index.html, gzipped as it is flashed (the flash recipe of
// @bleshark/firmware-bridge/flash), must stay within its budget (14,336 bytes). The optional assets
// (decode.js, detail.js, diag.js, names.json) are fetched after the first paint or on first use and do not
// count against it (the scripts have budgets of their own: 8 KB each, 24 KB together); every file's size is
// printed, and zlib -9 beside each for comparison.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PAGE_BUDGET_BYTES as BUDGET } from '@bleshark/firmware-bridge/flash';
import { describe, expect, it } from 'vitest';
import { PAGE_PROPS, SHARED_PROPS } from '../build/mangle.ts';
import { sizeLine } from '../build/size.ts';
import { DIST, requireBuild } from './browser.ts';

/** The lazily loaded scripts (every .js beside index.html), and the limits for them (gzipped bytes). */
const LAZY = ['decode.js', 'detail.js', 'diag.js', 'panel.js'];
const lazyFiles = () => readdirSync(DIST).filter((f) => f.endsWith('.js'));
const LAZY_EACH = 8192;
const LAZY_ALL = 24576;

describe('the built page', () => {
  it(`fits the flash budget of ${BUDGET} gzipped bytes`, async () => {
    requireBuild();
    const { line, flash: page } = await sizeLine(DIST, 'index.html');
    console.log(line);
    for (const f of readdirSync(DIST).sort())
      if (f !== 'index.html') console.log((await sizeLine(DIST, f)).line);
    expect(page, `index.html is ${page} gzipped bytes, over the ${BUDGET} budget`).toBeLessThanOrEqual(
      BUDGET,
    );
  });

  it('is self-contained: no external script, style, font or image', () => {
    requireBuild();
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+(stylesheet|href="?https?:)|@import|url\(/);
    expect(html).toContain('<script type="module">');
    expect(html).toContain('<style>');
  });

  it('has one page, index.html; beside it only the optional lazy scripts and names.json', () => {
    requireBuild();
    const files = readdirSync(DIST).sort();
    for (const f of LAZY) expect(files).toContain(f);
    expect(files.filter((f) => !['index.html', ...LAZY, 'names.json'].includes(f))).toEqual([]);
  });

  it(`keeps each lazy asset within ${LAZY_EACH} gzipped bytes and all within ${LAZY_ALL}`, async () => {
    requireBuild();
    const files = lazyFiles();
    const sizes = await Promise.all(files.map(async (f) => (await sizeLine(DIST, f)).flash));
    for (const [i, n] of sizes.entries()) expect(n, files[i]).toBeLessThanOrEqual(LAZY_EACH);
    expect(sizes.reduce((a, b) => a + b)).toBeLessThanOrEqual(LAZY_ALL);
  });

  it('builds detail.js and diag.js without Preact or imports: they read the page through globalThis.$bs', () => {
    requireBuild();
    for (const [f, name] of [
      ['detail.js', 'Detail'],
      ['diag.js', 'DiagBody'],
    ]) {
      const js = readFileSync(join(DIST, f!), 'utf8');
      expect(js).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${name}\\b`));
      expect(js).toContain('globalThis.$bs');
      expect(js).not.toMatch(/\bimport\b|__k|__e|__c|debounceRendering/);
    }
  });

  it('shortens the page-internal property names in the page and the shared ones in every chunk alike', () => {
    requireBuild();
    /** Property reads and object keys of any of these names left in built code. */
    const left = (js: string, names: readonly string[]) =>
      [
        ...js.matchAll(
          new RegExp(`(?:[\\w$)\\]]\\??\\.|[{,])(${names.join('|')})(?![\\w$])(?!\\s*[-(])`, 'g'),
        ),
      ].map((m) => m[0]);
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const page = html.slice(html.indexOf('<script'));
    expect(left(page, [...PAGE_PROPS, ...SHARED_PROPS])).toEqual([]);
    for (const f of ['detail.js', 'diag.js', 'panel.js'])
      expect(left(readFileSync(join(DIST, f), 'utf8'), SHARED_PROPS), f).toEqual([]);
  });

  it('keeps Preact out of decode.js: plain functions and tables only', () => {
    requireBuild();
    const js = readFileSync(join(DIST, 'decode.js'), 'utf8');
    expect(js).toMatch(/export\s*\{[^}]*\bclassify\b/);
    expect(js).toMatch(/export\s*\{[^}]*\bdecodeAll\b/);
    expect(js).toMatch(/export\s*\{[^}]*\badStructures\b/);
    // Preact's vnode and component internals (mangled as __k, __e, __c), its option hooks and its
    // createElement (the export's download link is a document.createElement).
    expect(js).not.toMatch(/__k|__e|__c|debounceRendering|(?<!document\.)createElement/);
    // The export and locate's sound live here too.
    expect(js).toMatch(/export\s*\{[^}]*\bsave\b/);
    expect(js).toMatch(/export\s*\{[^}]*\bsetBeep\b/);
  });
});
