/** Lowercase hex of `bytes`, two digits per byte. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** Bytes of a hex string (either case); undefined for odd length or a non-hex digit. */
export function fromHex(s: string): Uint8Array | undefined {
  if (s.length % 2 || /[^0-9a-f]/i.test(s)) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Unsigned (or two's-complement signed) integer of `n` <= 6 bytes at `o`, big-endian unless `le`.
 * Bytes beyond the end of `b` read as 0, so callers check lengths first and this never throws.
 */
export function readInt(b: Uint8Array, o: number, n: number, le?: boolean, signed?: boolean): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + (b[le ? o + n - 1 - i : o + i] ?? 0);
  return signed && v >= 2 ** (8 * n - 1) ? v - 2 ** (8 * n) : v;
}
