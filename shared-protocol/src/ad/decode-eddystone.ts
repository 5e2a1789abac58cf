import { type Decoded, named } from './decode-common.js';
import { readInt, toHex } from './hex.js';

const SCHEMES = ['http://www.', 'https://www.', 'http://', 'https://'];
const TLDS = ['.com', '.org', '.edu', '.net', '.info', '.biz', '.gov'];

/** Eddystone-URL body: expansion codes 0-6 are TLDs with "/", 7-13 without; 0x21-0x7e literal. */
export function eddystoneUrl(b: Uint8Array): string | undefined {
  let url = SCHEMES[b[0] ?? 9];
  if (url === undefined) return undefined;
  for (const c of b.subarray(1)) {
    url += c < 14 ? TLDS[c % 7] + (c < 7 ? '/' : '') : c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '';
  }
  return url;
}

/** Eddystone frames in service data 0xFEAA: UID, URL, TLM and EID. */
export function decodeEddystone(d: Uint8Array): Decoded | undefined {
  const n = d.length;
  const tx: [string, number] = ['tx@0m', readInt(d, 1, 1, false, true)];
  switch (d[0]) {
    case 0x00:
      return n < 18
        ? undefined
        : named('Eddystone-UID', [
            ['namespace', toHex(d.subarray(2, 12))],
            ['instance', toHex(d.subarray(12, 18))],
            tx,
          ]);
    case 0x10: {
      const url = n > 2 ? eddystoneUrl(d.subarray(2)) : undefined;
      return url === undefined ? undefined : named('Eddystone-URL', [['url', url], tx]);
    }
    case 0x20: {
      if (d[1] === 1) return named('Eddystone-TLM', [['encrypted', true]]);
      if (n < 14) return undefined;
      const temp = readInt(d, 4, 2);
      return named('Eddystone-TLM', [
        ['battery mV', readInt(d, 2, 2)],
        ['temperature', temp === 0x8000 ? 'n/a' : readInt(d, 4, 2, false, true) / 256],
        ['adv count', readInt(d, 6, 4)],
        ['uptime s', readInt(d, 10, 4) / 10],
      ]);
    }
    case 0x30:
      return n < 10 ? undefined : named('Eddystone-EID', [['eid', toHex(d.subarray(2, 10))], tx]);
  }
  return undefined;
}
