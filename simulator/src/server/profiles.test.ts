import { NANO_LIMITS, PROTOCOL } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { PROFILES, resolveTiming } from './profiles.js';

describe('profiles', () => {
  it('nano is the device; open relaxes clients, devices, command rate and batch rate only', () => {
    expect(PROFILES.nano).toEqual(NANO_LIMITS);
    expect(PROFILES.open).toMatchObject({
      maxClients: 64,
      maxDevices: 20_000,
      maxInboundBytes: 1024,
      maxFrameBytes: 4096,
    });
    expect(PROFILES.open.batchIntervalMs).toBeLessThan(NANO_LIMITS.batchIntervalMs);
    expect(PROFILES.open.commandsPerSecond).toBeGreaterThan(NANO_LIMITS.commandsPerSecond);
  });

  it('takes timing from the protocol unless overridden', () => {
    expect(resolveTiming(NANO_LIMITS)).toEqual({
      pingIntervalMs: PROTOCOL.pingIntervalMs,
      pongTimeoutMs: PROTOCOL.pongTimeoutMs,
      stuckClientMs: PROTOCOL.stuckClientMs,
      statusIntervalMs: 2000,
      batchIntervalMs: 100,
      maxBufferedBytes: PROTOCOL.maxBufferedBytes,
    });
    expect(resolveTiming(NANO_LIMITS, { pingIntervalMs: 5 }).pingIntervalMs).toBe(5);
  });
});
