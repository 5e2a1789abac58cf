// The size budget of the page in flash: dist/index.html gzipped at level 9 must stay within 14,336 bytes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

  it('is the only script: every feature is in index.html, only names.json sits beside it', () => {
    requireBuild();
    expect(readdirSync(DIST).sort()).toEqual(
      existsSync(join(DIST, 'names.json')) ? ['index.html', 'names.json'] : ['index.html'],
    );
  });
});
