import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { etagOf } from './flash-recipe.js';
import { budgetProblem, buildWebBundle, sizeLine, type WebBundle } from './web-bundle.js';

const enc = (s: string) => new TextEncoder().encode(s);
const files = [
  { file: 'index.html', bytes: enc('<!doctype html><p>hello</p>') },
  { file: 'names.json', bytes: enc('{"76":"Apple"}') },
];
const protocol = { version: 1, schemaHash: 'fixture0' };

describe('buildWebBundle', () => {
  let bundle: WebBundle;
  beforeAll(async () => {
    bundle = await buildWebBundle({ source: 'dist', files, protocol, budget: 100 });
  });

  it('gives every file a URL path, type, gzip bytes and a quoted ETag of the gzip hash', () => {
    expect(bundle.assets.map((a) => [a.path, a.contentType])).toEqual([
      ['/index.html', 'text/html; charset=utf-8'],
      ['/names.json', 'application/json; charset=utf-8'],
    ]);
    for (const a of bundle.assets) {
      expect(new Uint8Array(gunzipSync(a.gzip))).toEqual(a.raw);
      expect(a.etag).toMatch(/^"[0-9a-f]{16}"$/);
      expect(a.etag).toBe(`"${a.gzipSha256.slice(0, 16)}"`);
      expect(a.etag).toBe(etagOf(a.gzip));
    }
    expect(bundle.page.path).toBe('/index.html');
  });

  it('prints the size line with the budget', () => {
    expect(sizeLine(bundle)).toBe(
      `page: ${files[0]?.bytes.length} bytes -> ${bundle.page.gzip.length} bytes gzipped (budget 100)`,
    );
  });

  it('flags a page over the budget and says by how much', async () => {
    expect(budgetProblem(bundle)).toBeUndefined();
    const tight = await buildWebBundle({ source: 'dist', files, protocol, budget: 10 });
    expect(budgetProblem(tight)).toMatch(
      new RegExp(`gzipped page is ${tight.page.gzip.length} bytes, ${tight.page.gzip.length - 10} over`),
    );
  });
});
