// Programmatic use of the bridge (the CLI is src/cli.ts).

export { emitProtocolHeader, PROTOCOL_HEADER_FILE } from './header/emit-protocol-header.js';
export { writeProtocolHeader } from './header/protocol-header.js';
export {
  buildProtocolModel,
  type ProtocolModel,
  type ProtocolSource,
  SHARED_PROTOCOL,
} from './header/protocol-model.js';
export { deterministicGzip } from './pack/deterministic-gzip.js';
export { type PackOptions, type PackReport, pack } from './pack/pack.js';
export { buildWebBundle, DEFAULT_BUDGET_BYTES, type WebAsset, type WebBundle } from './pack/web-bundle.js';
