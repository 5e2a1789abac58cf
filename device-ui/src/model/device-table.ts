// The page's copy of the device's table: whole records from `d`, compact `[id, rssi, seen?]` updates from
// `u`, removals from `x`, and snapshots (in parts) that replace everything. Each device keeps a small
// ring of RSSI samples, one per second of device uptime.
import type { BatchMessage, Decoded, DeviceRecord, SnapshotMessage } from '@bleshark/shared-protocol';

/** Seconds of RSSI history per device. */
export const HISTORY = 60;
/** A history slot with no sighting (RSSI is never below -127). */
export const NO_SAMPLE = -128;

export type Dev = {
  r: DeviceRecord;
  /** RSSI per second, ring indexed by second % HISTORY; NO_SAMPLE where the device was not heard. */
  h: Int8Array;
  /** The second (device uptime / 1000) of the newest slot in `h`. */
  hs: number;
  /** Where counting started on this page: [count, last] of the first record seen, for the interval. */
  a: [number, number];
  /**
   * The newest sightings on this page (at most SIGHTINGS), flat [last, count, last, count, ...], oldest
   * first, for the interval estimate (intervalMs).
   */
  g?: number[];
  /** Cached classify() result (0: nothing decoded); reset when a new record arrives. */
  k?: Decoded | 0;
  /** RSSI smoothed over its sightings (exponential, SMOOTH per sighting). */
  e?: number;
  /**
   * The RSSI the list shows and sorts by: `e` rounded, moved (by `settle`, when the list refreshes) only when
   * `e` is HYSTERESIS dB away from it, so the order and the numbers shown change together.
   */
  v?: number;
  /** The list's mark: weighed since its last full recompute (list.ts). */
  w?: number;
};

/** Sightings kept per device for the interval estimate (2 numbers each). */
export const SIGHTINGS = 21;

/** The weight of a new sighting in the smoothed RSSI. */
export const SMOOTH = 0.3;
/** dB the smoothed RSSI must move from the shown one before the shown one follows (no flicker). */
export const HYSTERESIS = 2;

export type Table = {
  /** The devices, by id. */
  m: Map<number, Dev>;
  /**
   * A snapshot being assembled from parts; batches go here until it completes. When the table was empty
   * at its first part, this is the table itself (`m`): the parts are listed as they come.
   */
  p?: Map<number, Dev>;
  /** The device count the snapshot being assembled announced (`total`), for "Loading 384 of 1,750". */
  of?: number;
  /** Bumped whenever devices are added or removed (the list needs re-filtering). */
  n: number;
};

export const newTable = (): Table => ({ m: new Map(), n: 0 });

/** RSSI as a 0..1 fraction of the -100..-30 dBm range (bars, charts, locate's beeps). */
export const level = (rssi: number): number => Math.max(0, Math.min(1, (rssi + 100) / 70));

/**
 * Records one RSSI sample at device time `t` (ms), smooths it into `e` (the shown `v` moves in `settle`)
 * and notes the sighting (`t` and the record's count) for the interval. O(1) amortised.
 */
export function sample(d: Dev, t: number, rssi: number): void {
  d.g ??= [];
  if (d.g.push(t, d.r.count) > 2 * SIGHTINGS) d.g.splice(0, 2);
  d.e = d.e === undefined ? rssi : d.e + (rssi - d.e) * SMOOTH;
  d.v ??= rssi;
  const s = Math.floor(t / 1000);
  if (s < d.hs - HISTORY + 1) return;
  if (s > d.hs) {
    for (let i = Math.max(d.hs + 1, s - HISTORY + 1); i < s; i++) d.h[i % HISTORY] = NO_SAMPLE;
    d.hs = s;
  }
  d.h[s % HISTORY] = rssi;
}

/** Moves the shown RSSI `v` to the smoothed one when it is HYSTERESIS dB or more away (list.ts, at each refresh). */
export function settle(d: Dev): void {
  if (Math.abs(d.e! - d.v!) >= HYSTERESIS) d.v = Math.round(d.e!);
}

/** RSSI samples oldest first, `null` where the device was not heard; ends at its newest second. */
export function history(d: Dev, n = HISTORY): (number | null)[] {
  const out: (number | null)[] = [];
  for (let s = d.hs - n + 1; s <= d.hs; s++) {
    const v = s < 0 ? NO_SAMPLE : d.h[s % HISTORY]!;
    out.push(v === NO_SAMPLE ? null : v);
  }
  return out;
}

/**
 * A device from a whole record: `prev` (the same device, already in the table) updated in place, so a device
 * is one object for as long as it stays in the table (the list's rows keep it), else a new one.
 */
function fromRecord(r: DeviceRecord, prev?: Dev): Dev {
  const d: Dev = prev ?? { r, h: new Int8Array(HISTORY).fill(NO_SAMPLE), hs: -1, a: [r.count, r.last] };
  d.r = r;
  d.k = undefined;
  sample(d, r.last, r.rssi);
  return d;
}

/** Applies one batch to the table (or to the snapshot being assembled). */
export function applyBatch(t: Table, b: BatchMessage): void {
  const m = t.p ?? t.m;
  const size = m.size;
  for (const r of b.d ?? []) m.set(r.id, fromRecord(r, m.get(r.id)));
  for (const [id, rssi, seen] of b.u ?? []) {
    const d = m.get(id);
    if (!d) continue;
    d.r.rssi = rssi;
    d.r.last = b.t;
    d.r.count += seen ?? 1;
    sample(d, b.t, rssi);
  }
  let removed = false;
  for (const id of b.x ?? []) removed = m.delete(id) || removed;
  if (m === t.m && (removed || m.size !== size)) t.n++;
}

/**
 * Adds a snapshot part. When the last part arrives the assembled table replaces the current one (so no
 * device is ever listed twice); devices whose address was already known keep their RSSI history. Into an
 * empty table (the first snapshot) the parts go at once.
 * Returns true when the snapshot completed.
 */
export function applySnapshot(t: Table, s: SnapshotMessage): boolean {
  // Into an empty table the parts go straight in, so a large scene shows while it arrives.
  t.p ??= t.m.size ? new Map() : t.m;
  t.of = s.total;
  for (const r of s.d) t.p.set(r.id, fromRecord(r));
  if (t.p === t.m) t.n++;
  if (s.more) return false;
  if (t.p === t.m) {
    t.p = undefined;
    return true;
  }
  const byAddr = new Map<string, Dev>();
  for (const d of t.m.values()) byAddr.set(d.r.addr, d);
  const next = new Map<number, Dev>();
  for (const [id, d] of t.p) {
    const old = byAddr.get(d.r.addr);
    next.set(id, old ? mergeHistory(d, old) : d);
  }
  t.m = next;
  t.p = undefined;
  t.n++;
  return true;
}

/** The new device with the old one's ring (plus the new sample) and counting anchor. */
function mergeHistory(d: Dev, old: Dev): Dev {
  const m: Dev = {
    r: d.r,
    h: old.h,
    hs: old.hs,
    a: d.r.count >= old.a[0] ? old.a : [d.r.count, d.r.last],
    g: old.g,
    e: old.e,
    v: old.v,
  };
  sample(m, d.r.last, d.r.rssi);
  return m;
}

/** Forgets a half-assembled snapshot (the connection dropped in the middle of it). */
export const dropPartial = (t: Table): void => {
  t.p = undefined;
};

/** The middle of some numbers (the lower of the two middle ones for an even count). */
const median = (xs: number[]): number => xs.sort((x, y) => x - y)[(xs.length - 1) >> 1]!;

/**
 * Estimated advertising interval in ms, robust to advertisements the device missed (a scanner hears only
 * part of what is sent). From the gaps between the newest SIGHTINGS sightings: the smallest gap per advertisement
 * `s` says how many intervals each gap spans (round(gap / s), at least the advertisements it counts); the
 * median of gap / intervals is the estimate, refined to the total time over the total intervals of the
 * gaps that agree with it within 10 %. Sightings are timed by batch (`quantum`, the device's
 * batchIntervalMs), so below 5 quanta a gap cannot tell a missed advertisement from timing: there the
 * estimate is the time over the advertisements counted (an upper bound). Without gaps yet: the time since
 * counting started on this page (or in the device's table) over the advertisements counted. Undefined until
 * two sightings are known. O(SIGHTINGS log SIGHTINGS).
 */
export function intervalMs(d: Dev, quantum = 100): number | undefined {
  // Gaps between consecutive sightings as [ms, advertisements] pairs; none that go back in time or count
  // no advertisement (a restarted device, a record that came back).
  const s1 = d.g ?? [];
  const g: number[] = [];
  for (let i = 2; i < s1.length; i += 2) {
    const ms = s1[i]! - s1[i - 2]!;
    const n = s1[i + 1]! - s1[i - 1]!;
    if (ms > 0 && n > 0) g.push(ms, n);
  }
  if (g.length) {
    let ms = 0;
    let n = 0;
    let s = Infinity;
    for (let i = 0; i < g.length; i += 2) {
      ms += g[i]!;
      n += g[i + 1]!;
      s = Math.min(s, g[i]! / g[i + 1]!);
    }
    if (s < 5 * quantum) return Math.round(ms / n);
    /** How many intervals of `m` ms the i-th gap spans. */
    const spans = (m: number, i: number) => Math.max(g[i + 1]!, Math.round(g[i]! / m));
    const each: number[] = [];
    for (let i = 0; i < g.length; i += 2) each.push(g[i]! / spans(s, i));
    const m = median(each);
    ms = n = 0;
    for (let i = 0; i < g.length; i += 2) {
      const k = spans(m, i);
      if (Math.abs(g[i]! / k - m) <= m / 10) {
        ms += g[i]!;
        n += k;
      }
    }
    return Math.round(ms / n);
  }
  const [c0, t0] = d.a;
  const { count, last, first } = d.r;
  if (count > c0 && last > t0) return Math.round((last - t0) / (count - c0));
  return count > 1 && last > first ? Math.round((last - first) / (count - 1)) : undefined;
}
