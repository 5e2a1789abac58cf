// `bleshark-bridge protocol-header`: model from shared-protocol, emit, write when changed.
import { join } from 'node:path';
import { type WriteOutcome, writeIfChanged } from '../write-if-changed.js';
import { emitProtocolHeader, PROTOCOL_HEADER_FILE } from './emit-protocol-header.js';
import { buildProtocolModel, type ProtocolSource, SHARED_PROTOCOL } from './protocol-model.js';

export async function writeProtocolHeader(
  out: string,
  source: ProtocolSource = SHARED_PROTOCOL,
): Promise<{ path: string; outcome: WriteOutcome }> {
  const text = emitProtocolHeader(buildProtocolModel(source));
  const outcome = await writeIfChanged(join(out, PROTOCOL_HEADER_FILE), new TextEncoder().encode(text));
  return { path: PROTOCOL_HEADER_FILE, outcome };
}
