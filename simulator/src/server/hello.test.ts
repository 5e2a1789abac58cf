import { NANO_LIMITS, PROTOCOL_VERSION, parseDown, SCHEMA_HASH } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { buildHello, DEFAULT_CAPS } from './hello.js';

describe('buildHello', () => {
  it('announces the protocol, schema, client and the intervals in effect, and parses as hello', () => {
    const hello = buildHello({
      device: { model: 'm', firmware: 'f', address: '02:00:00:00:00:01', source: 'demo', demo: true },
      epoch: 'e1',
      client: 7,
      t: 1234,
      limits: NANO_LIMITS,
      timing: { batchIntervalMs: 20, statusIntervalMs: 200 },
      caps: DEFAULT_CAPS,
      scan: { scanning: false, mode: 'active', interval: 100, window: 50, duration: 0, duplicates: true },
    });
    expect(hello).toMatchObject({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      schema: SCHEMA_HASH,
      client: 7,
      t: 1234,
      limits: { ...NANO_LIMITS, batchIntervalMs: 20, statusIntervalMs: 200 },
      caps: [...DEFAULT_CAPS],
    });
    expect(parseDown(JSON.stringify(hello))).toMatchObject({ ok: true });
  });
});
