// The two limit profiles and the protocol timings, with test overrides.
import { type Limits, NANO_LIMITS, PROTOCOL } from '@bleshark/shared-protocol';

export const PROFILE_NAMES = ['nano', 'open'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * `nano` is the device (NANO_LIMITS). `open` relaxes what load tests need and keeps what protects the page:
 * 64 clients, 20,000 devices, 1,000 commands/s (burst 2,000), batches every 50 ms (20 Hz). Frame size,
 * batch items, inbound size and the status interval stay as on the Nano.
 */
export const PROFILES: Readonly<Record<ProfileName, Readonly<Limits>>> = {
  nano: NANO_LIMITS,
  open: {
    ...NANO_LIMITS,
    maxClients: 64,
    maxDevices: 20_000,
    commandsPerSecond: 1000,
    commandBurst: 2000,
    batchIntervalMs: 50,
  },
};

/** Intervals a test may shorten. Every field defaults to the protocol / profile value. */
export type Timing = {
  /** RFC 6455 ping interval. Default PROTOCOL.pingIntervalMs (15,000). */
  pingIntervalMs: number;
  /** Terminate a peer whose last pong is older than this. Default PROTOCOL.pongTimeoutMs (30,000). */
  pongTimeoutMs: number;
  /** Close with 1013 a client that has not drained its socket for this long. Default PROTOCOL.stuckClientMs (30,000). */
  stuckClientMs: number;
  /** Status interval. Default: the profile's statusIntervalMs (2,000). */
  statusIntervalMs: number;
  /** Batch tick. Default: the profile's batchIntervalMs (100 on nano, 50 on open). */
  batchIntervalMs: number;
  /** Sends pause while more than this many bytes wait in a socket. Default PROTOCOL.maxBufferedBytes (16,384). */
  maxBufferedBytes: number;
};

export function resolveTiming(limits: Limits, overrides: Partial<Timing> = {}): Timing {
  return {
    pingIntervalMs: overrides.pingIntervalMs ?? PROTOCOL.pingIntervalMs,
    pongTimeoutMs: overrides.pongTimeoutMs ?? PROTOCOL.pongTimeoutMs,
    stuckClientMs: overrides.stuckClientMs ?? PROTOCOL.stuckClientMs,
    statusIntervalMs: overrides.statusIntervalMs ?? limits.statusIntervalMs,
    batchIntervalMs: overrides.batchIntervalMs ?? limits.batchIntervalMs,
    maxBufferedBytes: overrides.maxBufferedBytes ?? PROTOCOL.maxBufferedBytes,
  };
}
