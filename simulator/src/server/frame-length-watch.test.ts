import { describe, expect, it } from 'vitest';
import { FrameLengthWatch } from './frame-length-watch.js';

const MASK = [0x11, 0x22, 0x33, 0x44];
const bytes = (...parts: (number | number[])[]): Uint8Array => Uint8Array.from(parts.flat());
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

// Literal client frames (FIN + text, masked); payload bytes are arbitrary, only their count matters.
const SHORT = bytes(0x81, 0x85, MASK, zeros(5)); // 5 bytes, 7-bit length
const MIN16 = bytes(0x81, 0xfe, 0x00, 0x7e, MASK, zeros(126)); // 126 bytes, 16-bit length: minimal
const NONMIN16 = bytes(0x81, 0xfe, 0x00, 0x05, MASK, zeros(5)); // 5 bytes in a 16-bit length
const NONMIN64 = bytes(0x81, 0xff, zeros(6), 0xff, 0xff, MASK); // 65535 in a 64-bit length
const MIN64_HEADER = bytes(0x82, 0xff, zeros(5), 0x01, 0x00, 0x00, MASK); // 65536 in a 64-bit length
const EMPTY_PING = bytes(0x89, 0x80, MASK);

/** Feeds `stream` cut at `cuts` and returns what each feed allowed through. */
function feedCut(watch: FrameLengthWatch, stream: Uint8Array, cuts: number[]): number[] {
  const ends = [...cuts, stream.length];
  let from = 0;
  return ends.map((end) => {
    const kept = watch.feed(stream.subarray(from, end));
    from = end;
    return kept;
  });
}

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('FrameLengthWatch', () => {
  it('lets minimal 7-, 16- and 64-bit lengths and empty frames through whole', () => {
    const w = new FrameLengthWatch();
    const head = concat(SHORT, MIN16, EMPTY_PING, MIN64_HEADER);
    expect(w.feed(head)).toBe(head.length);
    // The 65536-byte payload of the last frame, in uneven pieces, then a short frame.
    for (const n of [1, 4095, 30000, 31440]) expect(w.feed(new Uint8Array(n))).toBe(n);
    expect(w.feed(SHORT)).toBe(SHORT.length);
    expect(w.violation).toBeUndefined();
    expect(w.watching).toBe(true);
  });

  it('finds a 16-bit length below 126 and keeps only the bytes before that frame', () => {
    const w = new FrameLengthWatch();
    const stream = concat(SHORT, NONMIN16, SHORT);
    expect(w.feed(stream)).toBe(SHORT.length);
    expect(w.violation).toEqual({ form: 16, length: 5, offset: SHORT.length });
    expect(w.watching).toBe(false);
    expect(w.feed(SHORT)).toBe(0);
  });

  it('finds a 64-bit length below 65536', () => {
    const w = new FrameLengthWatch();
    expect(w.feed(NONMIN64)).toBe(0);
    expect(w.violation).toEqual({ form: 64, length: 65535, offset: 0 });
  });

  it('reads a header split at every possible byte boundary', () => {
    const stream = concat(SHORT, NONMIN64);
    for (let cut = 1; cut < stream.length; cut++) {
      const w = new FrameLengthWatch();
      const kept = feedCut(w, stream, [cut]);
      // The offending frame starts at SHORT.length: bytes before it pass, nothing after the length shows.
      if (cut >= SHORT.length + 10) expect(kept, `cut ${cut}`).toEqual([SHORT.length, 0]);
      else expect(kept, `cut ${cut}`).toEqual([cut, Math.max(0, SHORT.length - cut)]);
      expect(w.violation, `cut ${cut}`).toEqual({ form: 64, length: 65535, offset: SHORT.length });
    }
  });

  it('reads one byte per chunk', () => {
    const w = new FrameLengthWatch();
    const stream = concat(MIN16, EMPTY_PING, NONMIN16);
    const kept = feedCut(
      w,
      stream,
      Array.from({ length: stream.length - 1 }, (_, i) => i + 1),
    );
    const bad = MIN16.length + EMPTY_PING.length;
    // Every byte up to and including the 16-bit length's first byte passes; the second shows the error.
    expect(kept.slice(0, bad + 3)).toEqual(new Array(bad + 3).fill(1));
    expect(kept.slice(bad + 3)).toEqual(new Array(stream.length - bad - 3).fill(0));
    expect(w.violation).toEqual({ form: 16, length: 5, offset: bad });
  });

  it('skips payloads spanning chunks without mistaking payload bytes for headers', () => {
    const w = new FrameLengthWatch();
    // The payload of MIN16 is all 0xfe: a header parser out of step would see 126-length frames in it.
    const tricky = bytes(0x81, 0xfe, 0x00, 0x7e, MASK, new Array<number>(126).fill(0xfe));
    expect(feedCut(w, concat(tricky, SHORT), [3, 9, 60, 129])).toEqual([3, 6, 51, 69, 16]);
    expect(w.violation).toBeUndefined();
  });

  it('counts the mask key only when the mask bit is set', () => {
    const w = new FrameLengthWatch();
    const unmasked = bytes(0x81, 0x03, 0x61, 0x62, 0x63);
    expect(w.feed(concat(unmasked, NONMIN16))).toBe(unmasked.length);
    expect(w.violation?.offset).toBe(unmasked.length);
  });

  it('gives up (and passes everything) on a length beyond 2^53 - 1, which ws refuses itself', () => {
    const w = new FrameLengthWatch();
    const msb = bytes(0x81, 0xff, 0x80, zeros(7), MASK);
    expect(w.feed(msb)).toBe(msb.length);
    expect(w.watching).toBe(false);
    expect(w.violation).toBeUndefined();
    expect(w.feed(NONMIN16)).toBe(NONMIN16.length);
  });

  it('keeps reading after a 1 GiB declared length (ws answers 1009; the stream stays in step)', () => {
    const w = new FrameLengthWatch();
    const huge = bytes(0x81, 0xff, zeros(4), 0x40, 0x00, 0x00, 0x01, MASK);
    expect(w.feed(huge)).toBe(huge.length);
    expect(w.watching).toBe(true);
    expect(w.feed(new Uint8Array(1024))).toBe(1024);
  });
});
