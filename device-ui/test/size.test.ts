// The size budget of the page in flash: dist/index.html gzipped at level 9 must stay within 14,336 bytes.
// The optional assets (decode.js, names.json) are fetched after the first paint and do not count; their
// sizes are printed too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PAGE_BUDGET as BUDGET } from '../build/size.ts';
import { DIST, requireBuild } from './browser.ts';

const gz = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

describe('the built page', () => {
  it(`fits the flash budget of ${BUDGET} gzipped bytes`, () => {
    requireBuild();
    const page = gz('index.html');
    console.log(`index.html: ${page} bytes gzipped (budget ${BUDGET}, ${BUDGET - page} left)`);
    for (const f of readdirSync(DIST).sort())
      if (f !== 'index.html')
        console.log(`${f}: ${gz(f)} bytes gzipped (optional, fetched after the first paint)`);
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

  it('has one script, index.html; beside it only the optional decode.js and names.json', () => {
    requireBuild();
    const files = readdirSync(DIST).sort();
    expect(files).toContain('decode.js');
    expect(files.filter((f) => !['index.html', 'decode.js', 'names.json'].includes(f))).toEqual([]);
  });

  it('keeps Preact out of decode.js: plain functions and tables only', () => {
    requireBuild();
    const js = readFileSync(join(DIST, 'decode.js'), 'utf8');
    expect(js).toMatch(/export\s*\{[^}]*\bclassify\b/);
    expect(js).toMatch(/export\s*\{[^}]*\bdecodeAll\b/);
    expect(js).toMatch(/export\s*\{[^}]*\badStructures\b/);
    // Preact's vnode and component internals (mangled as __k, __e, __c) and its option hooks.
    expect(js).not.toMatch(/__k|__e|__c|debounceRendering|createElement/);
  });
});
