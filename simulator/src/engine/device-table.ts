// The bounded device table: one entry per device (deduped by address, or by platform id when the address
// is not a real one), ids assigned on entry and never reused, entries kept in last-seen order so that the
// stalest is always first and eviction is O(1).
import {
  type AdvertFields,
  type DeviceRecord,
  FRAME_ENVELOPE_BYTES,
  isRealAddress,
  NANO_LIMITS,
} from '@bleshark/shared-protocol';
import { encodeRecordWithin } from './fit-record.js';
import { withKeptScanResponse } from './keep-scan-response.js';

export type DeviceEntry = {
  readonly key: string;
  readonly rec: DeviceRecord;
  /** Bumped whenever a field other than rssi / last / count changes (clients then need the whole record). */
  rev: number;
  /** The signature of the fields that bump `rev`. */
  sig: string;
  /** Cached wire JSON of `rec`, dropped on every change. */
  json: string | undefined;
  /** The scan number this device was last counted in (for scan-complete's distinct-device total). */
  scan: number;
};

export type Sighting = { entry: DeviceEntry; change: 'new' | 'changed' | 'seen'; evicted?: DeviceEntry };

export type DeviceTableOptions = Partial<typeof TABLE_DEFAULTS>;

/** The table's defaults: the Nano's. */
export const TABLE_DEFAULTS = {
  /** Devices kept; beyond it the stalest (oldest last-seen) is evicted: NANO_LIMITS.maxDevices (512). */
  maxDevices: NANO_LIMITS.maxDevices,
  /** Largest encoded record in bytes (records are trimmed to fit): a Nano frame minus its envelope (3968). */
  maxRecordBytes: NANO_LIMITS.maxFrameBytes - FRAME_ENVELOPE_BYTES,
};

const signature = (r: DeviceRecord): string =>
  JSON.stringify([r.addrType, r.name, r.tx, r.conn, r.mfr, r.uuids, r.svc, r.adv, r.rsp]);

/**
 * The dedupe key: address + address type when the address is a real one (a public and a random address may
 * be equal and are different devices, as on the Nano's table), else the platform id (falling back to the
 * address).
 */
export const dedupeKey = (addr: string, pid?: string, addrType = 'unknown'): string =>
  isRealAddress(addr) ? `a:${addr}/${addrType}` : `p:${pid ?? addr}`;

export class DeviceTable {
  readonly maxDevices: number;
  readonly maxRecordBytes: number;
  /** Devices evicted because the table was full, since start. */
  evicted = 0;
  #byKey = new Map<string, DeviceEntry>();
  #byId = new Map<number, DeviceEntry>();
  #nextId = 1;

  constructor(options: DeviceTableOptions = {}) {
    this.maxDevices = Math.max(1, options.maxDevices ?? TABLE_DEFAULTS.maxDevices);
    this.maxRecordBytes = options.maxRecordBytes ?? TABLE_DEFAULTS.maxRecordBytes;
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: number): DeviceEntry | undefined {
    return this.#byId.get(id);
  }

  /** Entries, stalest first. */
  values(): IterableIterator<DeviceEntry> {
    return this.#byKey.values();
  }

  /** The entry's wire JSON (cached until it changes). */
  json(entry: DeviceEntry): string {
    entry.json ??= encodeRecordWithin(entry.rec, this.maxRecordBytes);
    return entry.json;
  }

  /**
   * Records one sighting at uptime `now` (ms). The sighting replaces everything the device advertises (name,
   * tx, mfr, uuids, svc, adv, rsp): an advertisement is what the device says now, its newest advertising
   * data with its newest scan response, which is how every source delivers it (noble-mapping parses the
   * newest adv + rsp bytes) and exactly what the Nano's C core keeps (newest adv and rsp bytes per device).
   * One without a scan response keeps the newest one the table holds (withKeptScanResponse).
   */
  upsert(f: AdvertFields, pid: string | undefined, now: number): Sighting {
    const key = dedupeKey(f.addr, pid, f.addrType);
    const old = this.#byKey.get(key);
    if (old) {
      this.#byKey.delete(key);
      this.#byKey.set(key, old);
      const r = old.rec;
      // An advertisement without a scan response keeps the newest one heard (see keep-scan-response.ts).
      if (f.rsp === undefined && r.rsp !== undefined) f = withKeptScanResponse(f, r.rsp);
      const { id, first, last, count } = r;
      // Rebuilt in place (the entry's record object is shared) with the keys in their usual order.
      for (const k of Object.keys(r)) delete r[k as keyof DeviceRecord];
      Object.assign(r, { id, ...f, first, last: Math.max(last, now), count: count + 1 });
      old.json = undefined;
      const sig = signature(r);
      if (sig === old.sig) return { entry: old, change: 'seen' };
      old.sig = sig;
      old.rev++;
      return { entry: old, change: 'changed' };
    }
    let evicted: DeviceEntry | undefined;
    if (this.#byId.size >= this.maxDevices) {
      const stalest = this.#byKey.values().next().value;
      if (stalest) {
        this.#remove(stalest);
        this.evicted++;
        evicted = stalest;
      }
    }
    const rec: DeviceRecord = { id: this.#nextId, ...f, first: now, last: now, count: 1 };
    this.#nextId = this.#nextId >= 2 ** 31 - 1 ? 1 : this.#nextId + 1;
    const entry: DeviceEntry = { key, rec, rev: 0, sig: signature(rec), json: undefined, scan: -1 };
    this.#byKey.set(key, entry);
    this.#byId.set(rec.id, entry);
    return evicted ? { entry, change: 'new', evicted } : { entry, change: 'new' };
  }

  /** Removes every device (ids are not reused). */
  clear(): void {
    this.#byKey.clear();
    this.#byId.clear();
  }

  #remove(e: DeviceEntry): void {
    this.#byKey.delete(e.key);
    this.#byId.delete(e.rec.id);
  }
}
