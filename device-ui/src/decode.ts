// The optional asset, built on its own into dist/decode.js and fetched after the first paint (main.tsx),
// like names.json: Apple Continuity, BTHome, Eddystone, Microsoft and tracker decoders, the AD structure
// breakdown of raw bytes, the built-in names of companies and services (shared-protocol's one table; the
// page's model/names.ts puts names.json over it), CSV / JSON export and locate mode's sound. Plain functions
// and tables only: no JSX, no Preact, not the page's model.
import { decodeUtf8, fromHex, parseAdStructures, toHex } from '@bleshark/shared-protocol';

export { classify, companyName, decodeAll, serviceName } from '@bleshark/shared-protocol';
export { beepLevel, setBeep } from './model/beeper.ts';
export { save } from './model/export-file.ts';

/** AD type names for the raw-bytes breakdown; 2-7 are the UUID lists (odd: complete, even: more follow). */
const AD: Record<number, string> = {
  1: 'Flags',
  8: 'Short name',
  9: 'Name',
  10: 'TX power',
  22: 'Service data',
  25: 'Appearance',
  32: 'Service data (32)',
  33: 'Service data (128)',
  255: 'Manufacturer data',
};

const adName = (t: number): string =>
  t > 1 && t < 8 ? `${[16, 32, 128][(t - 2) >> 1]}-bit UUIDs${t & 1 ? '' : ' (more)'}` : (AD[t] ?? 'AD');

/** One AD structure for the detail view: type, type name, offset, and its data (names as text, else hex). */
export type AdRow = [type: number, name: string, offset: number, data: string];

/** Raw advertising or scan-response bytes (hex) broken into AD structures, with the parse error if any. */
export function adStructures(hex: string): { rows: AdRow[]; error?: string } {
  const { structures, error } = parseAdStructures(fromHex(hex) ?? new Uint8Array());
  return {
    rows: structures.map(
      ({ type: t, offset, data }): AdRow => [
        t,
        adName(t),
        offset,
        t === 8 || t === 9 ? decodeUtf8(data) : toHex(data),
      ],
    ),
    error,
  };
}
