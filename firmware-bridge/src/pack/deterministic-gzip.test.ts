import type { EventEmitter } from 'node:events';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMPRESSOR, deterministicGzip, GZIP_HEADER, GZIP_OS_UNKNOWN } from './deterministic-gzip.js';

const page = new TextEncoder().encode(`<!doctype html><title>t</title>${'<p>row</p>'.repeat(200)}`);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('deterministicGzip', () => {
  it('writes a fixed header: deflate, no flags, mtime 0, maximum compression, OS unknown', async () => {
    const gz = await deterministicGzip(page);
    expect(hex(gz.subarray(0, 10))).toBe(`1f8b08000000000002${GZIP_OS_UNKNOWN.toString(16)}`);
    expect(hex(gz.subarray(0, 10))).toBe(GZIP_HEADER);
  });

  it('round-trips to the input', async () => {
    expect(new Uint8Array(gunzipSync(await deterministicGzip(page)))).toEqual(page);
  });

  it('gives the same bytes on every call', async () => {
    expect(Buffer.from(await deterministicGzip(page)).equals(await deterministicGzip(page))).toBe(true);
  });

  it('gives the pinned bytes for a pinned input (a change here changes every ETag)', async () => {
    expect(hex(await deterministicGzip(new TextEncoder().encode('{"76":"Apple"}\n')))).toBe(EXPECTED_NAMES);
  });

  it('is no larger than zlib level 9 on a page-like input', async () => {
    const text = new TextEncoder().encode(
      Array.from({ length: 120 }, (_, i) => `<li class="d${i % 7}">device ${(i * 7919) % 1000}</li>`).join(
        '',
      ),
    );
    expect((await deterministicGzip(text)).length).toBeLessThanOrEqual(gzipSync(text, { level: 9 }).length);
  });

  it('handles an empty file', async () => {
    expect(gunzipSync(await deterministicGzip(new Uint8Array())).length).toBe(0);
  });

  it('leaves no process-wide uncaughtException or unhandledRejection handler behind', async () => {
    const proc: EventEmitter = process;
    const listeners = () => ['uncaughtException', 'unhandledRejection'].map((e) => proc.listeners(e));
    const before = listeners();
    await deterministicGzip(page);
    expect(listeners()).toEqual(before);
  });

  it('names its settings for the manifest', () => {
    expect(COMPRESSOR).toBe('zopfli (numiterations 15)');
  });
});

const EXPECTED_NAMES = '1f8b08000000000002ffab56323753b252722c28c84955aae502005ecb83bc0f000000';
