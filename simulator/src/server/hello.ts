// The first message on every connection: who the device is, which protocol and schema it speaks, this
// client's number, the limits it enforces (with the intervals in effect) and the scan state.
import {
  type HelloMessage,
  type Limits,
  PROTOCOL_VERSION,
  SCHEMA_HASH,
  type ScanState,
} from '@bleshark/shared-protocol';
import type { Timing } from './profiles.js';

/** The simulator's capabilities (`hello.caps`): everything the protocol defines. */
export const DEFAULT_CAPS: readonly string[] = [
  'passive',
  'duration',
  'duplicates',
  'filter',
  'raw',
  'clear',
];

export type HelloInput = {
  device: HelloMessage['device'];
  /** Random per simulator start. */
  epoch: string;
  client: number;
  /** Device uptime now. */
  t: number;
  limits: Limits;
  /** The batch and status intervals in effect (tests shorten them); announced instead of the profile's. */
  timing: Pick<Timing, 'batchIntervalMs' | 'statusIntervalMs'>;
  caps: readonly string[];
  scan: ScanState;
};

export function buildHello(o: HelloInput): HelloMessage {
  return {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    schema: SCHEMA_HASH,
    device: o.device,
    epoch: o.epoch,
    client: o.client,
    t: o.t,
    limits: {
      ...o.limits,
      batchIntervalMs: o.timing.batchIntervalMs,
      statusIntervalMs: o.timing.statusIntervalMs,
    },
    caps: [...o.caps],
    scan: o.scan,
  };
}
