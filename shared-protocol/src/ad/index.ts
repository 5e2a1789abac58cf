export { type AdStructure, parseAdStructures } from './ad-structures.js';
export {
  type AdvertFields,
  advertFieldSchemas,
  clampTo,
  isRealAddress,
  MAC_ADDRESS,
  patternOf,
  required,
} from './advert.js';
export { type AdvertisementFields, parseAdvertisement } from './advertisement.js';
export { classify, type Decoded, type DecodeInput, decodeAll, type Field } from './decoders.js';
export { fromHex, toHex } from './hex.js';
export { companyName, serviceName } from './names.js';
export { decodeUtf8 } from './utf8.js';
export { normalizeUuid, shortUuid, toLongUuid, uuidFromLe } from './uuid.js';
