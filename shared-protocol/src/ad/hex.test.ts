import { describe, expect, it } from 'vitest';
import { fromHex, readInt, toHex } from './hex.js';

describe('hex', () => {
  it('round-trips bytes as lowercase hex', () => {
    const b = Uint8Array.of(0, 1, 0xab, 0xff);
    expect(toHex(b)).toBe('0001abff');
    expect(fromHex('0001ABff')).toEqual(b);
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('rejects odd length and non-hex digits', () => {
    expect(fromHex('abc')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
    expect(fromHex('0x12')).toBeUndefined();
    expect(fromHex(' 12')).toBeUndefined();
  });

  it('reads big- and little-endian, signed and unsigned integers, zero past the end', () => {
    const b = Uint8Array.of(0xff, 0xfe, 0x01);
    expect(readInt(b, 0, 2)).toBe(0xfffe);
    expect(readInt(b, 0, 2, true)).toBe(0xfeff);
    expect(readInt(b, 0, 2, false, true)).toBe(-2);
    expect(readInt(b, 0, 1, false, true)).toBe(-1);
    expect(readInt(b, 2, 2)).toBe(0x0100);
  });
});
