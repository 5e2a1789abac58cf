import { describe, expect, it } from 'vitest';
import { emitProtocolHeader } from './emit-protocol-header.js';
import { buildProtocolModel, SHARED_PROTOCOL } from './protocol-model.js';

// The identity is fixed so that pinning SCHEMA_HASH does not touch the snapshot; a schema change does.
const text = emitProtocolHeader(
  buildProtocolModel({ ...SHARED_PROTOCOL, version: 1, schemaHash: 'fixture0' }),
);

describe('emitProtocolHeader', () => {
  it('matches the snapshot', async () => {
    await expect(text).toMatchFileSnapshot('__snapshots__/bleshark_protocol.h');
  });

  it('opens with the generated banner and closes the include guard', () => {
    expect(text.startsWith('/*\n * bleshark_protocol.h:')).toBe(true);
    expect(text).toContain('do not edit');
    expect(text).toContain('#ifndef BLESHARK_PROTOCOL_H');
    expect(text).toContain('extern "C" {');
    expect(text.trimEnd().endsWith('#endif /* BLESHARK_PROTOCOL_H */')).toBe(true);
  });

  it('is plain ASCII', () => {
    expect(/^[\x09\x0a\x20-\x7e]*$/.test(text)).toBe(true);
  });

  it('is the same text on every call', () => {
    expect(emitProtocolHeader(buildProtocolModel())).toBe(emitProtocolHeader(buildProtocolModel()));
  });
});
