// The optional decoders asset, built on its own into dist/decode.js and fetched after the first paint
// (main.tsx), like names.json: Apple Continuity, BTHome, Eddystone, Microsoft and tracker decoders, and
// the names of AD types for the detail view. Plain functions only: no JSX, no Preact.
export { classify, decodeAll } from '@bleshark/shared-protocol';

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

export const adName = (t: number): string =>
  t > 1 && t < 8 ? `${[16, 32, 128][(t - 2) >> 1]}-bit UUIDs${t & 1 ? '' : ' (more)'}` : (AD[t] ?? 'AD');
