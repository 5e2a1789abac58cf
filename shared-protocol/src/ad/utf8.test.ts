import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from './utf8.js';

const d = (...b: number[]) => decodeUtf8(Uint8Array.from(b));

describe('decodeUtf8', () => {
  it('decodes ASCII, 2-, 3- and 4-byte sequences', () => {
    expect(d(0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x92, 0xa9)).toBe('Aé€💩');
  });

  it('replaces overlong, surrogate, out-of-range and stray bytes with U+FFFD', () => {
    expect(d(0xc0, 0xaf)).toBe('\ufffd\ufffd');
    expect(d(0xe0, 0x80, 0xaf)).toBe('\ufffd\ufffd\ufffd');
    expect(d(0xed, 0xa0, 0x80)).toBe('\ufffd\ufffd\ufffd');
    expect(d(0xf4, 0x90, 0x80, 0x80)).toBe('\ufffd\ufffd\ufffd\ufffd');
    expect(d(0x80, 0x41, 0xff)).toBe('\ufffdA\ufffd');
  });

  it('replaces a truncated sequence once and re-reads the byte that broke it', () => {
    expect(d(0xe2, 0x82)).toBe('\ufffd');
    expect(d(0xe2, 0x82, 0x41)).toBe('\ufffdA');
    expect(d(0xf0, 0x9f, 0xc3, 0xa9)).toBe('\ufffdé');
  });

  it('matches the WHATWG decoder on arbitrary bytes', () => {
    const ref = new TextDecoder('utf-8');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect(decodeUtf8(b)).toBe(ref.decode(b));
      }),
      { seed: 0x5eed, numRuns: 3000 },
    );
    // Biased towards multi-byte lead and continuation bytes, where the edge cases are.
    const near = fc
      .uint8Array({ maxLength: 24 })
      .map((b) => b.map((x) => (x & 1 ? 0x80 | (x & 0x7f) : 0xc0 | x)));
    fc.assert(
      fc.property(near, (b) => {
        expect(decodeUtf8(b)).toBe(ref.decode(b));
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});
