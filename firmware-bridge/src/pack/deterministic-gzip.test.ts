import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deterministicGzip, GZIP_OS_UNKNOWN } from './deterministic-gzip.js';

const page = new TextEncoder().encode(`<!doctype html><title>t</title>${'<p>row</p>'.repeat(200)}`);

describe('deterministicGzip', () => {
  it('writes a fixed header: deflate, no flags, mtime 0, maximum compression, OS unknown', () => {
    const gz = deterministicGzip(page);
    expect(Buffer.from(gz.subarray(0, 10)).toString('hex')).toBe(
      `1f8b08000000000002${GZIP_OS_UNKNOWN.toString(16)}`,
    );
  });

  it('round-trips to the input', () => {
    expect(new Uint8Array(gunzipSync(deterministicGzip(page)))).toEqual(page);
  });

  it('gives the same bytes on every call', () => {
    expect(Buffer.from(deterministicGzip(page)).equals(deterministicGzip(page))).toBe(true);
  });

  it('handles an empty file', () => {
    expect(gunzipSync(deterministicGzip(new Uint8Array())).length).toBe(0);
  });
});
