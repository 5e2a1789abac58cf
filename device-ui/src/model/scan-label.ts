// What the header says about the scan: the live state with a countdown for a timed scan, or, while not
// connected, the last state the device reported, marked as old ("was", how long ago it was heard).
import type { ScanState } from '@bleshark/shared-protocol';

/**
 * The scan pill's text. `live`: connected now; `up`: the device's uptime now (ms, estimated); `heard`: its
 * uptime in the last message received. A timed scan (duration > 0, `since` known) counts down while live.
 */
export function scanLabel(scan: ScanState | undefined, live: boolean, up: number, heard = 0): string {
  if (!scan) return '–';
  const on = scan.scanning;
  if (!live) return `Was ${on ? 'scanning' : 'idle'} · last seen ${Math.round((up - heard) / 1000)} s ago`;
  const end = on && scan.duration && scan.since !== undefined && scan.since + scan.duration * 1000;
  return `${on ? `Scanning (${scan.mode})` : 'Idle'}${end ? ` · ends in ${Math.ceil(Math.max(0, end - up) / 1000)} s` : ''}`;
}
