// A small advertising-data builder: AD structures in, the bytes a controller would send out.

/** One AD structure to encode: its type byte and its data (the length byte is added by `encodeAd`). */
export type AdPart = readonly [type: number, data: readonly number[] | Uint8Array];

/** Concatenates AD structures into advertising data: `len, type, data...` each. */
export function encodeAd(parts: readonly AdPart[]): Uint8Array {
  let n = 0;
  for (const [, d] of parts) n += d.length + 2;
  const out = new Uint8Array(n);
  let o = 0;
  for (const [t, d] of parts) {
    out[o++] = d.length + 1;
    out[o++] = t;
    out.set(d, o);
    o += d.length;
  }
  return out;
}

const utf8 = new TextEncoder();
export const le16 = (v: number): number[] => [v & 255, (v >> 8) & 255];
export const be16 = (v: number): number[] => [(v >> 8) & 255, v & 255];
export const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

export const flags = (f: number): AdPart => [0x01, [f]];
export const completeName = (s: string): AdPart => [0x09, utf8.encode(s)];
export const txPower = (dbm: number): AdPart => [0x0a, [dbm & 255]];
export const uuid16List = (...u: number[]): AdPart => [0x03, u.flatMap(le16)];
export const uuid128List = (bytesLe: Uint8Array): AdPart => [0x07, bytesLe];
export const mfrData = (company: number, payload: readonly number[] | Uint8Array): AdPart => [
  0xff,
  [...le16(company), ...payload],
];
export const svcData16 = (uuid: number, payload: readonly number[] | Uint8Array): AdPart => [
  0x16,
  [...le16(uuid), ...payload],
];
