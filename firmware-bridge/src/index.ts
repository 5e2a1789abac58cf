// Programmatic use of the bridge (the CLI is src/cli.ts).

export { emitProtocolHeader, PROTOCOL_HEADER_FILE } from './header/emit-protocol-header.js';
export { writeProtocolHeader } from './header/protocol-header.js';
export {
  buildProtocolModel,
  type ProtocolModel,
  type ProtocolSource,
  SHARED_PROTOCOL,
} from './header/protocol-model.js';
export {
  COMPRESSOR,
  CONTENT_TYPES,
  contentTypeFor,
  DEFAULT_CONTENT_TYPE,
  etagOf,
  flashGzip,
  GZIP_HEADER,
  PAGE_BUDGET_BYTES,
  ZOPFLI_OPTIONS,
} from './pack/flash-recipe.js';
export { type PackOptions, type PackReport, pack } from './pack/pack.js';
export { buildWebBundle, type WebAsset, type WebBundle } from './pack/web-bundle.js';
