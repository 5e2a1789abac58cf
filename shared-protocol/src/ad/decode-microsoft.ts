import { type Decoded, decoded, named, nameOr } from './decode-common.js';
import { decodeUtf8 } from './utf8.js';

/** CDP device types (low 5 bits of the second byte). */
const DEVICES: Record<number, string> = {
  1: 'Xbox One',
  6: 'iPhone',
  7: 'iPad',
  8: 'Android',
  9: 'Windows desktop',
  11: 'Windows phone',
  12: 'Linux',
  13: 'Windows IoT',
  14: 'Surface Hub',
  15: 'Windows laptop',
  16: 'Windows tablet',
};

/** Microsoft (0x0006) payloads: Swift Pair beacons (03 0x 80 ...) and Connected Devices Platform. */
export function decodeMicrosoft(p: Uint8Array): Decoded | undefined {
  const sub = p[1] ?? 9;
  if (p[0] === 3 && sub < 3 && p[2] === 0x80) {
    // Sub-scenario 0 carries the display name right after the reserved RSSI byte.
    return named('Swift Pair', sub || p.length < 4 ? [['mode', sub]] : [['name', decodeUtf8(p.subarray(3))]]);
  }
  if (p[0] === 1 && p.length > 1) {
    return decoded('ms-cdp', 'Microsoft CDP', [
      ['device', nameOr(DEVICES, sub & 31)],
      ['version', sub >> 5],
    ]);
  }
  return undefined;
}
