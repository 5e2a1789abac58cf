import { expect, it, describe as suite } from 'vitest';
import { CLOSE_CODES, ERROR_CODES } from './codes.js';
import { fnv1a32 } from './hash.js';
import { DOWN_SCHEMAS } from './messages/down.js';
import { UP_SCHEMAS } from './messages/up.js';
import { computeSchemaHash, PROTOCOL_VERSION, SCHEMA_HASH } from './protocol-version.js';
import { describe } from './schema.js';

// The same composition as computeSchemaHash, over schemas the test may alter.
const hashOf = (
  up: unknown,
  down: unknown,
  errors = Object.keys(ERROR_CODES),
  closes = Object.keys(CLOSE_CODES),
) => fnv1a32(describe({ up, down, errors, closes }));

suite('protocol version', () => {
  it('pins SCHEMA_HASH to the hash of the current schemas', () => {
    const now = computeSchemaHash();
    expect(SCHEMA_HASH, `the schemas changed — bump PROTOCOL_VERSION and set SCHEMA_HASH to '${now}'`).toBe(
      now,
    );
  });

  it('is a positive integer version and an 8-digit lowercase hex hash', () => {
    expect(Number.isInteger(PROTOCOL_VERSION) && PROTOCOL_VERSION >= 1).toBe(true);
    expect(SCHEMA_HASH).toMatch(/^[0-9a-f]{8}$/);
    expect(computeSchemaHash()).toMatch(/^[0-9a-f]{8}$/);
  });

  it('is a pure function of the schemas', () => {
    expect(computeSchemaHash()).toBe(computeSchemaHash());
    expect(hashOf(UP_SCHEMAS, DOWN_SCHEMAS)).toBe(computeSchemaHash());
    expect(hashOf(structuredClone(UP_SCHEMAS), structuredClone(DOWN_SCHEMAS))).toBe(computeSchemaHash());
  });

  it('changes when one bound of an up schema changes', () => {
    const up = structuredClone(UP_SCHEMAS) as unknown as {
      'scan-start': { of: { interval: { of: { max: number } } } };
    };
    expect(up['scan-start'].of.interval.of.max).toBe(10240);
    up['scan-start'].of.interval.of.max = 10241;
    expect(hashOf(up, DOWN_SCHEMAS)).not.toBe(computeSchemaHash());
  });

  it('changes when a deep bound of a down schema changes', () => {
    const down = structuredClone(DOWN_SCHEMAS) as unknown as {
      batch: { of: { d: { of: { of: { of: { rssi: { max: number } } } } } } };
    };
    const rssi = down.batch.of.d.of.of.of.rssi;
    expect(rssi.max).toBe(20);
    rssi.max = 30;
    expect(hashOf(UP_SCHEMAS, down)).not.toBe(computeSchemaHash());
  });

  it('changes when a pattern, a literal, an optional field or an error code changes', () => {
    const base = computeSchemaHash();
    const down = structuredClone(DOWN_SCHEMAS) as unknown as Record<string, { of: Record<string, unknown> }>;
    (down.hello as { of: { schema: { re: RegExp } } }).of.schema.re = /^[0-9a-f]{7}$/;
    expect(hashOf(UP_SCHEMAS, down)).not.toBe(base);

    const up = structuredClone(UP_SCHEMAS) as unknown as Record<string, { of: Record<string, unknown> }>;
    (up.clear as { of: { type: { v: string } } }).of.type.v = 'wipe';
    expect(hashOf(up, DOWN_SCHEMAS)).not.toBe(base);

    const up2 = structuredClone(UP_SCHEMAS) as unknown as Record<string, { of: Record<string, unknown> }>;
    (up2['scan-stop'] as { of: { id: { k: string } } }).of.id.k = 'str';
    expect(hashOf(up2, DOWN_SCHEMAS)).not.toBe(base);

    expect(hashOf(UP_SCHEMAS, DOWN_SCHEMAS, [...Object.keys(ERROR_CODES), 'busy'])).not.toBe(base);
    expect(hashOf(UP_SCHEMAS, DOWN_SCHEMAS, undefined, [...Object.keys(CLOSE_CODES), '4000'])).not.toBe(base);
  });
});
