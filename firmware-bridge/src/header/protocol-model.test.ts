import {
  CLOSE_CODES,
  DOWN_SCHEMAS,
  ERROR_CODES,
  lit,
  NANO_LIMITS,
  obj,
  opt,
  PROTOCOL,
  PROTOCOL_VERSION,
  SCHEMA_HASH,
  str,
  UP_SCHEMAS,
} from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { buildProtocolModel, fieldNames, SHARED_PROTOCOL } from './protocol-model.js';

const model = buildProtocolModel();
const valueNamed = (defs: readonly { name: string; value: string | number }[], name: string) =>
  defs.find((d) => d.name === name)?.value;

describe('buildProtocolModel', () => {
  it('reads the identity from shared-protocol instead of restating it', () => {
    expect(model.version).toBe(PROTOCOL_VERSION);
    expect(model.schemaHash).toBe(SCHEMA_HASH);
    expect(model.endpointPath).toBe('/scan/live');
  });

  it('has every message type of both directions', () => {
    expect(model.messages.filter((m) => m.direction === 'up').map((m) => m.value)).toEqual(
      Object.keys(UP_SCHEMAS),
    );
    expect(model.messages.filter((m) => m.direction === 'down').map((m) => m.value)).toEqual(
      Object.keys(DOWN_SCHEMAS),
    );
    expect(valueNamed(model.messages, 'BLESHARK_MSG_SCAN_START')).toBe('scan-start');
  });

  it('has every field name once, nested ones included, sorted', () => {
    const values = model.fields.map((f) => f.value);
    expect(new Set(values).size).toBe(values.length);
    for (const f of ['type', 'addrType', 'minRssi', 'maxInboundBytes', 'scanning', 'exclude'])
      expect(values).toContain(f);
    expect(valueNamed(model.fields, 'BLESHARK_FIELD_ADDR_TYPE')).toBe('addrType');
    expect(model.fields.map((f) => f.name)).toEqual([...model.fields.map((f) => f.name)].sort());
  });

  it('has every limit, constant, close code and error code', () => {
    expect(model.limits.map((l) => l.value)).toEqual(Object.values(NANO_LIMITS));
    expect(model.constants.map((c) => c.value)).toEqual(Object.values(PROTOCOL));
    expect(valueNamed(model.limits, 'BLESHARK_NANO_MAX_INBOUND_BYTES')).toBe(NANO_LIMITS.maxInboundBytes);
    expect(model.closeCodes.map((c) => c.value)).toEqual(Object.keys(CLOSE_CODES).map(Number));
    expect(model.closeCodes.find((c) => c.name === 'BLESHARK_CLOSE_TOO_BIG')?.comment).toBe(
      CLOSE_CODES[1009],
    );
    expect(model.errorCodes.map((c) => c.value)).toEqual(Object.keys(ERROR_CODES));
    expect(valueNamed(model.errorCodes, 'BLESHARK_ERR_RATE_LIMITED')).toBe('rate-limited');
  });

  it('derives the filter bounds from the filter schema', () => {
    expect(valueNamed(model.filterRules, 'BLESHARK_FILTER_TEXT_MAX_LEN')).toBe(PROTOCOL.maxFilterText);
    expect(valueNamed(model.filterRules, 'BLESHARK_FILTER_EXCLUDE_MAX_ITEMS')).toBe(PROTOCOL.maxExcluded);
    expect(valueNamed(model.filterRules, 'BLESHARK_FILTER_MIN_RSSI_MIN')).toBe(-127);
    expect(valueNamed(model.filterRules, 'BLESHARK_FILTER_MIN_RSSI_MAX')).toBe(20);
  });

  it('names a close code without an exported constant by its number', () => {
    const m = buildProtocolModel({ ...SHARED_PROTOCOL, closeCodes: { 4000: 'custom' }, closeNames: {} });
    expect(m.closeCodes).toEqual([{ name: 'BLESHARK_CLOSE_4000', value: 4000, comment: 'custom' }]);
  });

  it('refuses two field names that would share one macro', () => {
    const clash = obj({ type: lit('x'), addrType: str(1), 'addr-type': opt(str(1)) });
    expect(() => buildProtocolModel({ ...SHARED_PROTOCOL, up: { x: clash } })).toThrow(
      /BLESHARK_FIELD_ADDR_TYPE/,
    );
  });
});

describe('fieldNames', () => {
  it('walks objects inside arrays, tuples and optionals', () => {
    expect([...fieldNames(DOWN_SCHEMAS.batch)].sort()).toContain('addr');
  });
});
