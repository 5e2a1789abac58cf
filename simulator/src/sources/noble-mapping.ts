// A noble peripheral (as of a `discover` event) -> the Advertisement every source emits, with noble
// 1.9.2-26's quirks handled:
// - macOS hides addresses ('' or 'unknown'): the peripheral id becomes `addr`, addrType 'unknown', `pid`.
// - txPowerLevel 127 means "not available"; the extended-report TX power is read unsigned (246 = -10).
// - `connectable` is a boolean (legacy) or 1/0 (extended).
// - 16-bit UUIDs come without leading zeros ("fe1"); 128-bit ones undashed; 32-bit lists are ignored.
// - Only the LAST manufacturer-data structure is kept (repeats are lost), as one Buffer with the company.
// - In extended mode a scan response wipes serviceUuids/serviceData of the advertisement (gap.js resets
//   them for every report that is not legacy type 0x04): we MERGE with what was seen before.
// - Names are decoded by noble with Buffer#toString('utf8') (U+FFFD for bad bytes); from raw bytes we
//   decode again with the protocol's own decoder so both paths agree with the device.
// When the raw advertising data / scan response are known (the HCI tap in noble-driver.ts, Linux
// bindings only), they are the source of truth for every AD field and are carried as `adv` / `rsp`.
import { isRealAddress, normalizeUuid, PROTOCOL, parseAdvertisement, toHex } from '@bleshark/shared-protocol';
import type { Advertisement } from './scan-source.js';

export type NobleAdvertisement = {
  localName?: string;
  txPowerLevel?: number;
  manufacturerData?: Uint8Array;
  serviceData?: { uuid: string; data: Uint8Array }[];
  serviceUuids?: string[];
};

/** The fields of noble's Peripheral this mapping reads. */
export type NoblePeripheral = {
  id: string;
  address?: string;
  addressType?: string;
  connectable?: boolean | number;
  rssi?: number;
  advertisement?: NobleAdvertisement;
};

type Remembered = { adv?: Uint8Array; rsp?: Uint8Array; uuids: string[]; svc: [string, string][] };

/** Devices remembered by default (oldest forgotten first). */
export const MEMORY_LIMIT = 4096;

/** What was seen before per peripheral: the last raw adv / scan response and the last service fields. */
export class PeripheralMemory {
  private readonly entries = new Map<string, Remembered>();
  private readonly limit: number;

  constructor(limit = MEMORY_LIMIT) {
    this.limit = limit;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry for `key`, created (and marked most recent) on access. */
  entry(key: string): Remembered {
    let e = this.entries.get(key);
    if (e) this.entries.delete(key);
    else e = { uuids: [], svc: [] };
    this.entries.set(key, e);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return e;
  }

  /** Records the raw AD bytes of one report (from the HCI tap) for `address`. */
  noteRaw(address: string, eir: Uint8Array, scanResponse: boolean): void {
    const e = this.entry(address.toLowerCase());
    const copy = Uint8Array.from(eir);
    if (scanResponse) e.rsp = copy;
    else e.adv = copy;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** noble's UUID spelling ("fe1", 32 hex digits, ...) in the wire form; undefined when not a UUID. */
export function nobleUuid(u: string): string | undefined {
  const h = u.toLowerCase();
  return normalizeUuid(/^[0-9a-f]{1,3}$/.test(h) ? h.padStart(4, '0') : h);
}

/** A TX power in dBm, or undefined for noble's 127 ("not available") and non-numbers. */
export function nobleTxPower(v: unknown): number | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) return undefined;
  const dbm = v > 127 && v < 256 ? v - 256 : v;
  return dbm === 127 || dbm < -127 || dbm > 127 ? undefined : dbm;
}

/** noble's manufacturerData Buffer as [company, payload hex]; needs the 2 company-id bytes. */
export function nobleManufacturer(data: Uint8Array | undefined): [number, string][] {
  if (!data || data.length < 2) return [];
  return [[data[0]! | (data[1]! << 8), toHex(data.subarray(2))]];
}

function nobleServiceData(list: NobleAdvertisement['serviceData']): [string, string][] {
  const out: [string, string][] = [];
  for (const { uuid, data } of list ?? []) {
    const u = nobleUuid(uuid);
    if (u && data) out.push([u, toHex(data)]);
  }
  return out;
}

const union = <T>(a: readonly T[], b: readonly T[], key: (v: T) => string): T[] => {
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((v) => !seen.has(key(v)))];
};

const rawHex = (b: Uint8Array | undefined): string | undefined =>
  b && b.length <= PROTOCOL.maxAdBytes ? toHex(b) : undefined;

/** Where the OS hides the address: the peripheral id, made safe for the wire's address field. */
function opaqueId(id: string): string {
  return (
    String(id)
      .toLowerCase()
      .replace(/[^0-9a-z:-]/g, '')
      .slice(0, 40) || 'unknown'
  );
}

/**
 * Maps a peripheral at the moment noble reported it. `memory` keeps what was seen before for the
 * merge (and the raw bytes of the HCI tap); pass the same memory for the whole scan.
 */
export function mapPeripheral(p: NoblePeripheral, memory: PeripheralMemory, now = Date.now()): Advertisement {
  const address = (p.address ?? '').toLowerCase();
  const real = isRealAddress(address);
  const addr = real ? address : opaqueId(p.id);
  const type = p.addressType;
  const ad: Advertisement = {
    addr,
    addrType: real && (type === 'public' || type === 'random') ? type : 'unknown',
    rssi: typeof p.rssi === 'number' && p.rssi >= -127 && p.rssi <= 20 ? Math.round(p.rssi) : -127,
    conn: Boolean(p.connectable),
  };
  if (!real) ad.pid = String(p.id);
  const a = p.advertisement ?? {};
  const seen = memory.entry(addr);
  const hasRaw = seen.adv !== undefined || seen.rsp !== undefined;
  const raw = hasRaw ? parseAdvertisement(...[seen.adv, seen.rsp].filter((b) => b !== undefined)) : undefined;

  const name = raw?.name ?? a.localName;
  if (name !== undefined && name !== '') ad.name = name;
  const tx = raw?.tx ?? nobleTxPower(a.txPowerLevel);
  if (tx !== undefined) ad.tx = tx;
  const mfr = raw?.mfr.length ? raw.mfr : nobleManufacturer(a.manufacturerData);
  if (mfr.length) ad.mfr = mfr.slice(0, PROTOCOL.maxDataEntries);

  const nobleUuids = (a.serviceUuids ?? []).map(nobleUuid).filter((u): u is string => u !== undefined);
  let uuids = union(raw?.uuids ?? [], nobleUuids, String);
  let svc = union(raw?.svc ?? [], nobleServiceData(a.serviceData), ([u]) => u);
  // The merge: noble wiped them (extended scan response) -> keep what this peripheral showed before.
  // With raw bytes nothing was wiped: the last advertising data already holds them.
  if (!hasRaw && !uuids.length) uuids = seen.uuids;
  if (!hasRaw && !svc.length) svc = seen.svc;
  seen.uuids = uuids;
  seen.svc = svc;
  if (uuids.length) ad.uuids = uuids.slice(0, PROTOCOL.maxUuids);
  if (svc.length) ad.svc = svc.slice(0, PROTOCOL.maxDataEntries);

  const adv = rawHex(seen.adv);
  const rsp = rawHex(seen.rsp);
  if (adv !== undefined) ad.adv = adv;
  if (rsp !== undefined) ad.rsp = rsp;
  ad.at = now;
  return ad;
}
