import type { ScanState } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { scanLabel } from './scan-label.ts';

const scan = (p: Partial<ScanState> = {}): ScanState => ({
  scanning: true,
  mode: 'active',
  interval: 100,
  window: 100,
  duration: 0,
  duplicates: true,
  since: 5000,
  ...p,
});

describe('scanLabel', () => {
  it('says what the device reports while connected', () => {
    expect(scanLabel(scan(), true, 9000, 0)).toBe('Scanning (active)');
    expect(scanLabel(scan({ scanning: false }), true, 9000, 0)).toBe('Idle');
    expect(scanLabel(undefined, true, 0, 0)).toBe('–');
  });

  it('counts down a timed scan from its start and duration', () => {
    // Started at uptime 5 s for 60 s: at uptime 22.5 s, 42.5 s are left (rounded up).
    expect(scanLabel(scan({ duration: 60 }), true, 22500, 0)).toBe('Scanning (active) · ends in 43 s');
    expect(scanLabel(scan({ duration: 60, mode: 'passive' }), true, 64100, 0)).toBe(
      'Scanning (passive) · ends in 1 s',
    );
    // Late scan-complete: never a negative count.
    expect(scanLabel(scan({ duration: 60 }), true, 70000, 0)).toBe('Scanning (active) · ends in 0 s');
    // No start time known, or stopped: no countdown.
    expect(scanLabel(scan({ duration: 60, since: undefined }), true, 22500, 0)).toBe('Scanning (active)');
    expect(scanLabel(scan({ duration: 60, scanning: false }), true, 22500, 0)).toBe('Idle');
  });

  it('never claims a scan is running while disconnected: the last known state, how long ago', () => {
    // Uptime now 22.5 s, last message at 10.1 s: heard 12.4 s ago. No countdown for a scan that may be over.
    expect(scanLabel(scan({ duration: 60 }), false, 22500, 10100)).toBe('Was scanning · last seen 12 s ago');
    expect(scanLabel(scan({ scanning: false }), false, 8000, 5000)).toBe('Was idle · last seen 3 s ago');
  });
});
