import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  COMPRESSOR,
  contentTypeFor,
  DEFAULT_CONTENT_TYPE,
  etagOf,
  flashGzip,
  GZIP_HEADER,
  GZIP_OS_UNKNOWN,
  PAGE_BUDGET_BYTES,
} from './flash-recipe.js';

const page = new TextEncoder().encode(`<!doctype html><title>t</title>${'<p>row</p>'.repeat(200)}`);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('flashGzip', () => {
  it('writes a fixed header: deflate, no flags, mtime 0, maximum compression, OS unknown', async () => {
    const gz = await flashGzip(page);
    expect(hex(gz.subarray(0, 10))).toBe(`1f8b08000000000002${GZIP_OS_UNKNOWN.toString(16)}`);
    expect(hex(gz.subarray(0, 10))).toBe(GZIP_HEADER);
  });

  it('round-trips to the input', async () => {
    expect(new Uint8Array(gunzipSync(await flashGzip(page)))).toEqual(page);
  });

  it('gives the same bytes on every call', async () => {
    expect((await flashGzip(page)).equals(await flashGzip(page))).toBe(true);
  });

  it('gives the pinned bytes for a pinned input (a change here changes every ETag)', async () => {
    expect(hex(await flashGzip(new TextEncoder().encode('{"76":"Apple"}\n')))).toBe(EXPECTED_NAMES);
  });

  it('is no larger than zlib level 9 on a page-like input', async () => {
    const text = new TextEncoder().encode(
      Array.from({ length: 120 }, (_, i) => `<li class="d${i % 7}">device ${(i * 7919) % 1000}</li>`).join(
        '',
      ),
    );
    expect((await flashGzip(text)).length).toBeLessThanOrEqual(gzipSync(text, { level: 9 }).length);
  });

  it('handles an empty file', async () => {
    expect(gunzipSync(await flashGzip(new Uint8Array())).length).toBe(0);
  });

  it('names its settings for the manifest', () => {
    expect(COMPRESSOR).toBe('zopfli (numiterations 15)');
  });
});

describe('etagOf', () => {
  it('quotes the first 16 hex digits of the sha256 of the gzip bytes', async () => {
    expect(etagOf(await flashGzip(new TextEncoder().encode('{"76":"Apple"}\n')))).toBe(EXPECTED_NAMES_ETAG);
  });
});

describe('contentTypeFor', () => {
  it('serves the page and the name tables as UTF-8 text', () => {
    expect(contentTypeFor('/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('names.JSON')).toBe('application/json; charset=utf-8');
  });

  it('knows module scripts and web fonts', () => {
    expect(contentTypeFor('/decode.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/fonts/a.woff2')).toBe('font/woff2');
  });

  it('falls back to octet-stream for unknown or missing extensions', () => {
    expect(contentTypeFor('/blob.bin')).toBe(DEFAULT_CONTENT_TYPE);
    expect(contentTypeFor('/a.dir/README')).toBe(DEFAULT_CONTENT_TYPE);
  });
});

describe('PAGE_BUDGET_BYTES', () => {
  it('is 14 KiB', () => {
    expect(PAGE_BUDGET_BYTES).toBe(14336);
  });
});

const EXPECTED_NAMES = '1f8b08000000000002ffab56323753b252722c28c84955aae502005ecb83bc0f000000';
const EXPECTED_NAMES_ETAG = '"fce5d76e7ad3368f"';
