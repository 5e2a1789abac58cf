// The data stream to one client: a snapshot of the filtered table, then batches built from a pending map
// (at most one item per device, newest wins), so memory per client is bounded by the device count, never by
// time. When a batch goes out is decided per client (docs/protocol.md "Batching"):
// - leading edge: the first item after a quiet spell (the previous data frame to this client left at least
//   one batch interval ago) goes out at once, together with whatever arrived in the same turn;
// - trailing edge: items arriving within the interval after a frame wait for that interval to end, and then
//   leave in one frame, so sightings of a device in between coalesce into one update;
// - order: removals, then new and changed records, then RSSI-only updates, so a frame cut at the item or
//   byte limit never leaves a record behind updates.
// Frames go out only while the socket is ready (drained below the buffer threshold); the owner calls
// flush() again when it may be.
import { type Filter, matchesFilter, type SnapshotMessage } from '@bleshark/shared-protocol';
import type { DeviceEntry, DeviceTable } from '../engine/device-table.js';
import { FrameBuilder } from './frame-builder.js';

export type SnapshotReason = SnapshotMessage['reason'];

/** The clock and timer the batcher uses; tests pass a fake one. */
export type BatchClock = {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a handle for cancel(). */
  schedule(fn: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
};

/** performance.now() and unref'd setTimeout (a pending batch never keeps the process alive). */
export const REAL_CLOCK: BatchClock = {
  now: () => performance.now(),
  schedule: (fn, ms) => setTimeout(fn, ms).unref(),
  cancel: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type BatcherOptions = {
  /** The engine's table (the source of truth this client's view follows). */
  table: Pick<DeviceTable, 'get' | 'json' | 'values'>;
  /** Device uptime for the frames' `t`. */
  uptime: () => number;
  /** The coalescing interval: at most one batch per interval, except the leading edge after a quiet one. */
  intervalMs: number;
  /** Most items per frame (the profile's maxBatchItems). */
  maxItems: number;
  /** Frames are cut at this many bytes (PROTOCOL.batchTargetBytes). */
  targetBytes: number;
  /** Writes one frame. */
  send: (text: string) => void;
  /** Whether a frame may be written now (socket open and drained). */
  ready: () => boolean;
  /** This client's filter. */
  filter: () => Filter;
  /** Default REAL_CLOCK. */
  clock?: BatchClock;
};

export class Batcher {
  /** The last batch/snapshot seq sent (0 before the first). */
  seq = 0;
  /** Sightings merged into a pending item since the connection opened. */
  coalesced = 0;
  #o: BatcherOptions;
  #clock: BatchClock;
  #builder: FrameBuilder;
  /** id -> sightings since the device was last sent to this client. */
  #pending = new Map<number, number>();
  /** ids to send in `x`. */
  #removals = new Set<number>();
  /** id -> the record revision this client holds. */
  #sent = new Map<number, number>();
  #snapshotDue: SnapshotReason | undefined;
  /** When the last data frame (batch or snapshot) left; -Infinity before the first. */
  #lastSent = Number.NEGATIVE_INFINITY;
  #timer: unknown;
  #disposed = false;

  constructor(options: BatcherOptions) {
    this.#o = options;
    this.#clock = options.clock ?? REAL_CLOCK;
    this.#builder = new FrameBuilder(options.maxItems, options.targetBytes);
  }

  /** Devices this client is known to hold. */
  get held(): number {
    return this.#sent.size;
  }

  /** Devices waiting to be sent (at most one item each). */
  get pendingCount(): number {
    return this.#pending.size + this.#removals.size;
  }

  // --- engine events -------------------------------------------------------------------------------

  sighting(entry: DeviceEntry): void {
    const id = entry.rec.id;
    const seen = this.#pending.get(id);
    if (seen !== undefined) {
      this.#pending.set(id, seen + 1);
      this.coalesced++;
      return;
    }
    if (!this.#sent.has(id) && !matchesFilter(entry.rec, this.#o.filter())) return;
    this.#pending.set(id, 1);
    this.#arm();
  }

  removed(id: number): void {
    this.#pending.delete(id);
    if (this.#sent.delete(id)) {
      this.#removals.add(id);
      this.#arm();
    }
  }

  /** The table was emptied: nothing is pending or held any more, and a snapshot `clear` is due. */
  cleared(): void {
    this.#pending.clear();
    this.#removals.clear();
    this.#sent.clear();
    this.requestSnapshot('clear');
  }

  // --- sending -------------------------------------------------------------------------------------

  /** Sends a snapshot now if the socket is ready, else at the next flush(). */
  requestSnapshot(reason: SnapshotReason): void {
    this.#snapshotDue = reason;
    if (this.#o.ready()) this.snapshot(reason);
  }

  /** A due snapshot, then the batches that are due, while the socket stays ready. */
  flush(): void {
    if (this.#disposed || !this.#o.ready()) return;
    if (this.#snapshotDue) this.snapshot(this.#snapshotDue);
    if (!this.#pending.size && !this.#removals.size) return;
    const wait = this.#lastSent + this.#o.intervalMs - this.#clock.now();
    if (wait > 0) {
      this.#arm();
      return;
    }
    while ((this.#pending.size || this.#removals.size) && this.#o.ready()) {
      if (!this.#sendBatch()) break;
    }
  }

  /** Sends the whole filtered table as parts; this client then holds exactly those records. */
  snapshot(reason: SnapshotReason): void {
    this.#snapshotDue = undefined;
    this.#pending.clear();
    this.#removals.clear();
    this.#sent.clear();
    const { table } = this.#o;
    const filter = this.#o.filter();
    const t = this.#o.uptime();
    const matching: DeviceEntry[] = [];
    for (const e of table.values()) if (matchesFilter(e.rec, filter)) matching.push(e);
    const total = matching.length;
    const fb = this.#builder;
    for (const e of matching) {
      const json = table.json(e);
      if (!fb.add('d', json)) {
        this.#o.send(fb.snapshot(++this.seq, t, reason, total, true));
        fb.add('d', json);
      }
      this.#sent.set(e.rec.id, e.rev);
    }
    this.#o.send(fb.snapshot(++this.seq, t, reason, total, false));
    this.#lastSent = this.#clock.now();
  }

  /** Stops the timer and forgets everything. */
  dispose(): void {
    this.#disposed = true;
    if (this.#timer !== undefined) this.#clock.cancel(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
    this.#removals.clear();
    this.#sent.clear();
  }

  // --- internals -----------------------------------------------------------------------------------

  /**
   * Makes sure a flush is scheduled: at once (the next turn, so items of one burst share the frame) when
   * the last frame left an interval ago or more, else when the interval since it ends.
   */
  #arm(): void {
    if (this.#timer !== undefined || this.#disposed) return;
    const wait = Math.max(0, this.#lastSent + this.#o.intervalMs - this.#clock.now());
    this.#timer = this.#clock.schedule(() => {
      this.#timer = undefined;
      this.flush();
    }, wait);
  }

  /** Sends one batch frame from the pending items; false when there was nothing to send. */
  #sendBatch(): boolean {
    const fb = this.#builder;
    let full = false;
    for (const id of this.#removals) {
      if (!fb.add('x', String(id))) {
        full = true;
        break;
      }
      this.#removals.delete(id);
    }
    // Records (and removals by the filter) first, then updates: a record never waits behind an update.
    if (!full) full = this.#take(false);
    if (!full) this.#take(true);
    if (fb.items === 0) return false;
    this.#o.send(fb.batch(++this.seq, this.#o.uptime()));
    this.#lastSent = this.#clock.now();
    return true;
  }

  /**
   * Moves pending items into the frame: records and filter removals (`updates` false) or RSSI-only
   * updates (`updates` true). Returns true when the frame is full.
   */
  #take(updates: boolean): boolean {
    const fb = this.#builder;
    const { table } = this.#o;
    const filter = this.#o.filter();
    for (const [id, seen] of this.#pending) {
      const e = table.get(id);
      if (!e) {
        this.#pending.delete(id);
        continue;
      }
      const held = this.#sent.get(id);
      const matches = matchesFilter(e.rec, filter);
      const isUpdate = matches && held === e.rev;
      if (isUpdate !== updates) continue;
      if (!matches && held === undefined) {
        this.#pending.delete(id);
        continue;
      }
      let kind: 'd' | 'u' | 'x';
      let json: string;
      if (!matches) {
        kind = 'x';
        json = String(id);
      } else if (!isUpdate) {
        kind = 'd';
        json = table.json(e);
      } else {
        kind = 'u';
        const n = Math.min(seen, 1_000_000);
        json = n > 1 ? `[${id},${e.rec.rssi},${n}]` : `[${id},${e.rec.rssi}]`;
      }
      if (!fb.add(kind, json)) return true;
      this.#pending.delete(id);
      if (kind === 'x') this.#sent.delete(id);
      else this.#sent.set(id, e.rev);
    }
    return false;
  }
}
