// The device the details and locate mode follow. Ids are per boot (a restarted device numbers its devices
// afresh), so it is found again by address + address type. It stays open when the device leaves the table
// (e.g. below Min RSSI, exactly when you walk away from it): "not heard", its history kept for when it is
// heard again. `follow` is bundled into detail.js (it runs only while a detail view is open); `pick` is the
// page's.
import type { DeviceRecord } from '@bleshark/shared-protocol';
import { type Dev, HISTORY, NO_SAMPLE, SIGHTINGS } from './device-table.ts';
import { S } from './store.ts';

/** What identifies a device on the page: address and address type. */
export const devKey = (r: DeviceRecord): string => `${r.addr}/${r.addrType}`;

/**
 * Gives `d` the samples of `old` (the same device, seen earlier in the same boot: it left the table and came
 * back as a new record) where it has none, its counting anchor and its gaps between sightings.
 */
function keepHistory(d: Dev, old: Dev): void {
  if (d.h === old.h) return;
  for (let s = Math.max(d.hs, old.hs) - HISTORY + 1; s <= Math.min(d.hs, old.hs); s++)
    if (s >= 0 && d.h[s % HISTORY] === NO_SAMPLE) d.h[s % HISTORY] = old.h[s % HISTORY]!;
  d.a = old.a;
  // The old sightings before the new record's own (the gap across the absence counts no advertisement:
  // the new record counts from 1 again, so intervalMs skips it).
  if (old.g && d.g !== old.g) d.g = [...old.g, ...(d.g ?? [])].slice(-2 * SIGHTINGS);
}

/** The table's device with the followed one's address and type, if any. */
function find(k: string): Dev | undefined {
  const d = S.table.m.get(S.sel!.r.id);
  if (d && devKey(d.r) === k) return d;
  for (const d of S.table.m.values()) if (devKey(d.r) === k) return d;
}

/**
 * Finds the followed device again after the table changed: `S.sel` becomes the table's current one (its
 * history joined with what was seen before, within one boot), `S.gone` says it is not in the table, and
 * `S.rebooted` that the device restarted since it was opened.
 */
export function follow(): void {
  const t = S.sel;
  if (!t) return;
  const epoch = S.hello?.epoch;
  const same = S.selEpoch === epoch;
  if (!same) S.rebooted = true;
  const d = find(devKey(t.r));
  S.gone = !d;
  if (d) {
    // Device time starts again at a restart, so the old boot's samples cannot be placed in the new ring.
    if (same) keepHistory(d, t);
    S.sel = d;
    S.selEpoch = epoch;
  }
}

/** Starts following `d` (or nothing). */
export function pick(d: Dev | undefined): void {
  S.sel = d;
  S.selEpoch = S.hello?.epoch;
  S.gone = S.rebooted = false;
}
