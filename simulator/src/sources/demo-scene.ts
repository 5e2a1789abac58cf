// The demo crowd: a seeded population of devices that advertise, drift in and out of range, come and go,
// and rotate their private addresses. Time is counted in advertisement slots (slot k happens at k / rate
// seconds of scene time), so the sequence of advertisements depends only on the seed, the device count
// and the rate, never on wall-clock timing.
import { parseAdvertisement, toHex } from '@bleshark/shared-protocol';
import { encodeAd } from './ad-builder.js';
import { type DemoDevice, KINDS, type Kind, type KindName } from './demo-kinds.js';
import type { Advertisement } from './scan-source.js';

export type SceneOptions = {
  /** Seed of everything random in the scene (default 1). */
  seed?: number;
  /** Devices in the scene (default 40). The first ones are one of each kind, then a weighted mix. */
  devices?: number;
  /** Advertisements per second of scene time (default 60). */
  rate?: number;
};

/** One of each kind, hostile names included, so that even a small scene shows everything. */
const CORE: readonly (readonly [KindName, number])[] = [
  ['iphone', 0],
  ['airtag', 0],
  ['ibeacon', 0],
  ['macbook', 0],
  ['airpods', 0],
  ['eddystone-uid', 0],
  ['eddystone-url', 0],
  ['eddystone-tlm', 0],
  ['windows', 0],
  ['fast-pair', 0],
  ['bthome', 0],
  ['tile', 0],
  ['smarttag', 0],
  ['exposure', 0],
  ['heart-rate', 0],
  ['named', 0],
  ['named', 1],
  ['unnamed', 0],
  ['hostile', 0],
  ['hostile', 1],
  ['hostile', 2],
  ['hostile', 3],
  ['hostile', 4],
  ['hostile', 5],
  ['hostile', 6],
];

/** How the rest of a bigger crowd is drawn: phones dominate, as in any public place. */
const MIX: readonly (readonly [KindName, number])[] = [
  ['iphone', 30],
  ['unnamed', 16],
  ['named', 12],
  ['airpods', 8],
  ['windows', 6],
  ['airtag', 4],
  ['fast-pair', 4],
  ['bthome', 4],
  ['exposure', 3],
  ['smarttag', 3],
  ['ibeacon', 3],
  ['macbook', 3],
  ['tile', 2],
  ['heart-rate', 1],
  ['eddystone-uid', 1],
];
const MIX_TOTAL = MIX.reduce((s, [, w]) => s + w, 0);

/** Seconds between private-address rotations (about 15 minutes, a little different per device). */
const ROTATION_S = 900;
/** Devices further than this many metres while leaving are gone. */
const GONE_M = 25;

type Member = DemoDevice & {
  addr: string;
  epoch: number;
  /** Bumped on every arrival so a returning phone comes back with a new address. */
  visit: number;
  period: number;
  phase: number;
  present: boolean;
  /** Index in the present list while present. */
  slot: number;
  dist: number;
  target: number;
  leaving: boolean;
  leaveAt: number;
  returnAt: number;
  cache?: { key: string; fields: Omit<Advertisement, 'addr' | 'addrType' | 'rssi' | 'conn' | 'at'> };
  /**
   * The newest scan response the scanner heard from this address. A passive scan hears none, but a scanner
   * keeps the last one it got, as noble-mapping does with the radio's raw bytes and the Nano's core does.
   * Forgotten when the address rotates.
   */
  lastRsp?: Uint8Array;
};

/** A 32-bit mix of numbers (murmur3's finaliser over each part). */
export function mix(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A small fast seeded generator of numbers in [0, 1). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function identity(seed: number, index: number, epoch: number): Uint8Array {
  const r = random(mix(seed, index, epoch, 0x1d));
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Math.floor(r() * 256);
  return out;
}

function address(kind: Kind, id: Uint8Array): string {
  const b = Array.from(id.subarray(0, 6));
  if (kind.addr === 'rpa') b[0] = (b[0]! & 0x3f) | 0x40;
  else if (kind.addr === 'static') b[0] = b[0]! | 0xc0;
  else if (kind.addr === 'nrpa') b[0] = b[0]! & 0x3f;
  else b[0] = b[0]! & 0xfc;
  return b.map((x) => (x < 16 ? '0' : '') + x.toString(16)).join(':');
}

export class DemoScene {
  readonly seed: number;
  readonly rate: number;
  readonly #members: Member[] = [];
  readonly #present: Member[] = [];
  readonly #rng: () => number;
  #slot = 0;
  #stepped = 0;

  constructor(options: SceneOptions = {}) {
    this.seed = options.seed ?? 1;
    this.rate = options.rate ?? 60;
    const count = options.devices ?? 40;
    this.#rng = random(mix(this.seed, 0x5ce));
    const r = this.#rng;
    for (let index = 0; index < count; index++) {
      let entry = CORE[index];
      if (!entry) {
        const w = r() * MIX_TOTAL;
        let sum = 0;
        const drawn = MIX.find(([, weight]) => {
          sum += weight;
          return w < sum;
        });
        entry = [(drawn ?? MIX[0]!)[0], Math.floor(r() * 1000)];
      }
      const kind: Kind = KINDS[entry[0]];
      // Core devices are all there at the start; a fifth of the others arrive during the first minutes.
      const present = index < CORE.length || !kind.mobile || r() < 0.8;
      const m: Member = {
        index,
        kind,
        variant: entry[1],
        id: new Uint8Array(0),
        count: 0,
        sec: 0,
        temp: 18 + r() * 6,
        hum: 35 + r() * 25,
        batt: 60 + Math.floor(r() * 40),
        measurement: 0,
        addr: '',
        epoch: -1,
        visit: 0,
        period: ROTATION_S - 60 + r() * 120,
        phase: r() * ROTATION_S,
        present: false,
        slot: -1,
        dist: 1 + r() * 14,
        target: 1 + r() * 12,
        leaving: false,
        leaveAt: 120 + r() * 900,
        returnAt: r() * 240,
      };
      this.#members.push(m);
      if (present) this.#arrive(m, false);
    }
  }

  /** Scene time in seconds. */
  get time(): number {
    return this.#slot / this.rate;
  }

  /** Devices currently in range. */
  get present(): number {
    return this.#present.length;
  }

  /** How many devices of each kind the scene holds. */
  composition(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const m of this.#members) out[m.kind.kind] = (out[m.kind.kind] ?? 0) + 1;
    return out;
  }

  /**
   * The advertisement of the next slot (without `at`), or undefined when nobody is in range. `active`
   * adds the scan response where the device has one; the random sequence is the same either way.
   */
  next(active: boolean): Advertisement | undefined {
    this.#slot++;
    const sec = this.time;
    while (this.#stepped < Math.floor(sec)) this.#step(++this.#stepped);
    const r = this.#rng;
    const n = this.#present.length;
    if (!n) return undefined;
    let m = this.#present[Math.floor(r() * n)]!;
    // Busier advertisers are heard more often: accept a draw with the kind's relative rate.
    for (let tries = 0; tries < 8 && r() >= m.kind.rate; tries++) m = this.#present[Math.floor(r() * n)]!;
    const noise = (r() + r() + r() - 1.5) * 4;
    m.count++;
    m.sec = sec;
    this.#rotate(m, sec);
    const rssi = Math.round(m.kind.power - 22 * Math.log10(m.dist) + noise);
    const ad: Advertisement = {
      addr: m.addr,
      addrType: m.kind.addr === 'public' ? 'public' : 'random',
      rssi: Math.max(-127, Math.min(20, rssi)),
      conn: m.kind.conn,
    };
    const built = m.kind.build(m);
    const adv = encodeAd(built.adv);
    if (active && built.rsp) m.lastRsp = encodeAd(built.rsp);
    const rsp = m.lastRsp;
    const advHex = toHex(adv);
    const key = rsp ? `${advHex}/${toHex(rsp)}` : advHex;
    // Most devices repeat the same bytes: decode only when they change.
    if (m.cache?.key !== key) m.cache = { key, fields: fields(adv, rsp) };
    return Object.assign(ad, m.cache.fields);
  }

  #rotate(m: Member, sec: number): void {
    const epoch = m.kind.rotate ? Math.floor((sec + m.phase) / m.period) + m.visit * 1000 : 0;
    if (epoch === m.epoch) return;
    m.epoch = epoch;
    m.id = identity(this.seed, m.index, epoch);
    m.addr = address(m.kind, m.id);
    m.lastRsp = undefined;
  }

  #arrive(m: Member, walkingIn: boolean): void {
    m.present = true;
    m.slot = this.#present.push(m) - 1;
    if (!walkingIn) return;
    m.visit++;
    m.dist = GONE_M;
    m.target = 1 + this.#rng() * 9;
    m.leaving = false;
    m.leaveAt = m.sec + 60 + this.#rng() * 600;
  }

  #leave(m: Member, sec: number): void {
    const last = this.#present.pop()!;
    if (last !== m) {
      this.#present[m.slot] = last;
      last.slot = m.slot;
    }
    m.present = false;
    m.slot = -1;
    m.returnAt = sec + 30 + this.#rng() * 240;
  }

  /** One second of scene time: people walk, sensors measure, some leave and others arrive. */
  #step(sec: number): void {
    const r = this.#rng;
    const measure = sec % 10 === 0;
    for (const m of this.#members) {
      if (!m.present) {
        if (sec >= m.returnAt) {
          m.sec = sec;
          this.#arrive(m, true);
        }
        continue;
      }
      const wander = m.kind.mobile ? 0.4 : 0.05;
      m.dist = Math.min(60, Math.max(0.3, m.dist + (m.target - m.dist) * 0.06 + (r() - 0.5) * wander));
      if (measure) {
        m.temp += (r() - 0.5) * 0.2;
        m.hum = Math.min(95, Math.max(10, m.hum + (r() - 0.5) * 0.8));
        if (r() < 0.01) m.batt = Math.max(1, m.batt - 1);
        m.measurement++;
      }
      if (!m.kind.mobile) continue;
      if (m.leaving && m.dist >= GONE_M) this.#leave(m, sec);
      else if (!m.leaving && sec >= m.leaveAt) {
        m.leaving = true;
        m.target = GONE_M + 10;
      }
    }
  }
}

/** The decoded fields of an advertisement, from its own bytes, so `raw` and fields always agree. */
function fields(adv: Uint8Array, rsp?: Uint8Array): NonNullable<Member['cache']>['fields'] {
  const f = rsp ? parseAdvertisement(adv, rsp) : parseAdvertisement(adv);
  const out: NonNullable<Member['cache']>['fields'] = {};
  if (f.name !== undefined) out.name = f.name;
  if (f.tx !== undefined) out.tx = f.tx;
  if (f.mfr.length) out.mfr = f.mfr;
  if (f.uuids.length) out.uuids = f.uuids;
  if (f.svc.length) out.svc = f.svc;
  out.adv = toHex(adv);
  if (rsp) out.rsp = toHex(rsp);
  return out;
}
