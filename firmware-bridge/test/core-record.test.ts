// Differential test of the C record encoder (bsk_json_record) against the simulator's: the same raw AD
// bytes go through parseAdvertisement, sanitizeAdvert and encodeRecordWithin on the TypeScript side, and
// the two JSON texts must be identical, byte for byte and key for key. Devices come from a real HCI
// capture and the bluetooth-data-tools vectors in ../shared/data, the golden fixtures, and a seeded
// generator of hostile AD bytes; cut records come from small byte budgets. Every record must also pass
// the wire schema (parseDown of a batch carrying it).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DeviceRecord, fromHex, parseAdvertisement, parseDown, toHex } from '@bleshark/shared-protocol';
import { loadFixtures } from '@bleshark/shared-protocol/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecordWithin } from '../../simulator/src/engine/fit-record.js';
import { sanitizeAdvert } from '../../simulator/src/engine/sanitize-advert.js';
import { CAPTURE, captureReports } from '../core/rv32/rv32-build.mjs';
import {
  buildCoreProgram,
  CORE_DIR,
  type CoreBuild,
  coreBuildDir,
  HAS_GCC,
  SANITIZER_ENV,
} from './core-build.js';

const VECTORS = join(
  CORE_DIR,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'payloads',
  'bluetooth-data-tools_test_gap.vectors.json',
);
const HAVE_DATA = existsSync(CAPTURE) && existsSync(VECTORS);
if (HAS_GCC && !HAVE_DATA) {
  if (process.env.CI === 'true') throw new Error(`the record test needs ${CAPTURE} and ${VECTORS}`);
  console.warn('skipping the real captures in the C record test: no ../shared/data folder');
}

let build: CoreBuild | undefined;
let encoder = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  build = await coreBuildDir();
  encoder = await buildCoreProgram(build.dir, 'record-json', ['host/record-json.c']);
}, 120_000);
afterAll(async () => {
  await build?.dispose();
});

type Device = {
  addr: string;
  random: boolean;
  conn: boolean;
  rssi: number;
  adv?: Uint8Array;
  rsp?: Uint8Array;
  id: number;
  first: number;
  last: number;
  count: number;
};

/** What the simulator sends for this device: its record of the same bytes, cut to maxBytes. */
function simulator(d: Device, maxBytes: number, raw: boolean): string {
  const f = parseAdvertisement(...[d.adv, d.rsp].filter((c) => c !== undefined));
  const fields = sanitizeAdvert({
    addr: d.addr,
    addrType: d.random ? 'random' : 'public',
    rssi: d.rssi,
    conn: d.conn,
    ...(f.name !== undefined ? { name: f.name } : {}),
    ...(f.tx !== undefined ? { tx: f.tx } : {}),
    mfr: f.mfr,
    uuids: f.uuids,
    svc: f.svc,
    ...(raw && d.adv ? { adv: toHex(d.adv) } : {}),
    ...(raw && d.rsp ? { rsp: toHex(d.rsp) } : {}),
  });
  if (!fields) throw new Error(`unusable device ${d.addr}`);
  const rec: DeviceRecord = { id: d.id, ...fields, first: d.first, last: d.last, count: d.count };
  return encodeRecordWithin(rec, maxBytes);
}

/** The C encoder's text for every (device, budget, raw) case, in order ("E": nothing fits). */
function core(cases: [Device, number, boolean][]): string[] {
  const hex = (b?: Uint8Array) => (b ? toHex(b) || '' : '-');
  const input = cases
    .map(
      ([d, max, raw]) =>
        `${d.addr.replace(/:/g, '')} ${d.random ? 1 : 0} ${d.conn ? 1 : 0} ${d.rssi} ${hex(d.adv)} ${hex(d.rsp)} ` +
        `${d.id} ${d.first} ${d.last} ${d.count} ${max} ${raw ? 1 : 0}\n`,
    )
    .join('');
  const r = spawnSync(encoder, [], { input, env: SANITIZER_ENV, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`record-json exited ${r.status}:\n${r.stderr}`);
  return r.stdout.split('\n').slice(0, -1);
}

function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 8;
  };
  return {
    int: (n: number) => next() % n,
    pick: <T>(a: readonly T[]): T => a[next() % a.length] as T,
    chance: (p: number) => next() % 1000 < p * 1000,
  };
}
type Rng = ReturnType<typeof rng>;

const enc = (s: string) => [...new TextEncoder().encode(s)];
const NAMES: number[][] = [
  enc('Polar H10'),
  enc('Éclair "é"\\'),
  enc('\u2028x\u2029'),
  enc('a\u0000b\u001f\n\t'),
  enc('😀😀😀'),
  [0xff, 0x41, 0xc0, 0x80],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x9f, 0x98],
  [0xf4, 0x90, 0x80, 0x80],
  enc('\u007f<script>'),
  enc('\u3164'),
];

function adStructure(r: Rng): number[] {
  const le16 = (v: number) => [v & 0xff, v >> 8];
  const bytes = (n: number) => Array.from({ length: n }, () => r.int(256));
  switch (r.int(11)) {
    case 0:
      return [2, 1, 6];
    case 1:
    case 2: {
      const name = r.pick(NAMES);
      return [name.length + 1, r.pick([8, 9]), ...name];
    }
    case 3:
      return [
        3 + (r.int(4) || 0),
        0xff,
        ...le16(r.pick([0x4c, 6, 0x75, 0, 0xffff])),
        ...bytes(r.int(4)),
      ].slice(0, 3 + 1 + 2);
    case 4: {
      const list = Array.from({ length: 1 + r.int(4) }, () =>
        le16(r.pick([0x180f, 0xfe2c, 0, 0xffff])),
      ).flat();
      return [list.length + 1, r.pick([2, 3]), ...list];
    }
    case 5:
      return [
        5,
        r.pick([4, 5]),
        ...le16(r.pick([0x180f, 0x1234])),
        ...r.pick([
          [0, 0],
          [1, 0],
          [0, 0x80],
        ]),
      ];
    case 6:
      return [
        17,
        r.pick([6, 7]),
        ...r.pick([bytes(16), [0xfb, 0x34, 0x9b, 0x5f, 0x80, 0, 0, 0x80, 0, 0x10, 0, 0, 0x0d, 0x18, 0, 0]]),
      ];
    case 7: {
      const t = r.pick([0x16, 0x20, 0x21]);
      const w = t === 0x16 ? 2 : t === 0x20 ? 4 : 16;
      return [w + 1 + r.int(3), t, ...bytes(w + r.int(3))].slice(0, w + 2 + 2);
    }
    case 8:
      return [2, 0x0a, r.pick([0x7f, 0x80, 0xf4, 0, 0x14])];
    case 9:
      return r.pick([[0], [0, 0], [9, 0xff, 0x4c], [1, 0x09], [2, 0xff, 1], [3, 0x03, 0x0f]]);
    default:
      return [1 + r.int(5), r.int(256), ...bytes(4)].slice(0, 6);
  }
}

/** Well-formed lengths mostly; the length byte of case 3/7/default may claim more than follows. */
function adBytes(r: Rng): Uint8Array {
  const out: number[] = [];
  for (let k = r.int(8); k > 0; k--) {
    const s = adStructure(r);
    if (out.length + s.length > 31) break;
    out.push(...s);
  }
  return Uint8Array.from(out);
}

function generated(r: Rng, n: number): Device[] {
  return Array.from({ length: n }, (_, i) => {
    const addr = Array.from({ length: 6 }, () => r.int(256).toString(16).padStart(2, '0')).join(':');
    const d: Device = {
      addr,
      random: r.chance(0.5),
      conn: r.chance(0.5),
      rssi: r.int(148) - 127,
      id: 1 + r.int(2 ** 31 - 1),
      first: i,
      last: i + r.int(1 << 30),
      count: 1 + r.int(100000),
    };
    if (r.chance(0.9)) d.adv = adBytes(r);
    if (r.chance(0.5)) d.rsp = adBytes(r);
    if (r.chance(0.1)) d.adv = Uint8Array.from({ length: r.int(32) }, () => r.int(256));
    return d;
  });
}

/** Devices from the golden fixtures' raw adv/rsp. */
function fixtureDevices(): Device[] {
  const out: Device[] = [];
  for (const { message } of loadFixtures().down) {
    const records = 'd' in message && Array.isArray(message.d) ? (message.d as DeviceRecord[]) : [];
    for (const rec of records) {
      if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(rec.addr) || (!rec.adv && !rec.rsp)) continue;
      const adv = rec.adv ? fromHex(rec.adv) : undefined;
      const rsp = rec.rsp ? fromHex(rec.rsp) : undefined;
      if ((adv?.length ?? 0) > 31 || (rsp?.length ?? 0) > 31) continue;
      out.push({ ...rec, random: rec.addrType === 'random', adv, rsp });
    }
  }
  return out;
}

/** The capture's devices as the table keeps them: the newest advertisement and scan response each. */
async function captureDevices(): Promise<Device[]> {
  const byKey = new Map<string, Device>();
  let at = 0;
  for (const rep of await captureReports()) {
    const addr = rep.addr.map((b) => b.toString(16).padStart(2, '0')).join(':');
    const key = `${addr}/${rep.addrType}`;
    const d = byKey.get(key) ?? {
      addr,
      random: rep.addrType === 1,
      conn: false,
      rssi: 0,
      id: byKey.size + 1,
      first: at,
      last: at,
      count: 0,
    };
    const data = Uint8Array.from(rep.data);
    if (rep.scanRsp) d.rsp = data;
    else {
      d.adv = data;
      d.conn = rep.conn;
      d.count++;
    }
    d.rssi = Math.max(-127, Math.min(20, rep.rssi));
    d.last = at++;
    if (!d.count) d.count = 1;
    byKey.set(key, d);
  }
  return [...byKey.values()];
}

/** The bluetooth-data-tools vectors: first chunk as advertising data, second as scan response. */
function vectorDevices(): Device[] {
  const vectors = JSON.parse(readFileSync(VECTORS, 'utf8')) as { input_chunks_hex: string[] }[];
  const out: Device[] = [];
  vectors.forEach((v, i) => {
    const [adv, rsp] = v.input_chunks_hex.map((h) => fromHex(h.toLowerCase()));
    if (!adv || adv.length > 31 || (rsp?.length ?? 0) > 31) return;
    out.push({
      addr: `00:11:22:33:44:${i.toString(16).padStart(2, '0')}`,
      random: false,
      conn: true,
      rssi: -50,
      adv,
      rsp,
      id: i + 1,
      first: 5,
      last: 9,
      count: 3,
    });
  });
  return out;
}

describe.skipIf(!HAS_GCC)('the C record encoder', { timeout: 120_000 }, () => {
  it('writes the simulator record of the same AD bytes, byte for byte', async () => {
    const real = HAVE_DATA ? [...(await captureDevices()), ...vectorDevices()] : [];
    if (HAVE_DATA) expect(real.length).toBeGreaterThan(40);
    const devices = [...real, ...fixtureDevices(), ...generated(rng(7), 1500)];
    const cases: [Device, number, boolean][] = devices.map((d, i) => [d, 3968, i % 7 !== 3]);
    const got = core(cases);
    const wrong: string[] = [];
    cases.forEach(([d, max, raw], i) => {
      const want = simulator(d, max, raw);
      // The C writer also escapes U+2028/2029 (script-safe); JSON.stringify leaves them: same value.
      const same = /[\u2028\u2029]/.test(want)
        ? JSON.stringify(JSON.parse(got[i] ?? 'null')) === want
        : got[i] === want;
      if (!same && wrong.length < 8) wrong.push(`C  ${got[i]}\nTS ${want}`);
      const frame = parseDown(`{"type":"batch","seq":1,"t":1,"d":[${got[i]}]}`);
      if (!frame.ok && wrong.length < 8) wrong.push(`not a valid record: ${got[i]}: ${frame.message}`);
    });
    expect(wrong).toEqual([]);
    // The cases mean something: names, tx, every list and both raw payloads all occur.
    const all = got.join('\n');
    for (const k of [
      '"name":',
      '"tx":',
      '"mfr":',
      '"uuids":',
      '"svc":',
      '"adv":',
      '"rsp":',
      '\\u2028',
      '\\u0000',
    ])
      expect(all).toContain(k);
    expect(all).toContain('\ufffd');
  });

  it('cuts a record over its budget as encodeRecordWithin does', () => {
    const r = rng(99);
    const devices = generated(r, 600).filter((d) => d.adv?.length || d.rsp?.length);
    const cases: [Device, number, boolean][] = devices.map((d) => [d, 120 + r.int(260), true]);
    const got = core(cases);
    const wrong: string[] = [];
    let cut = 0;
    cases.forEach(([d, max, raw], i) => {
      const full = simulator(d, 3968, raw);
      const want = simulator(d, max, raw);
      // The C writer escapes U+2028/2029 (6 bytes where JSON.stringify counts 3): budgets differ there.
      if (/[\u2028\u2029]/.test(full)) {
        if (got[i] !== 'E') expect(new TextEncoder().encode(got[i]).length).toBeLessThanOrEqual(max);
        return;
      }
      if (want !== full) cut++;
      const fits = new TextEncoder().encode(want).length <= max;
      const expected = fits ? want : 'E';
      // The simulator returns an over-budget record when even the smallest form is too large; C refuses.
      if (got[i] !== expected && wrong.length < 8) wrong.push(`max ${max}\nC  ${got[i]}\nTS ${want}`);
    });
    expect(wrong).toEqual([]);
    expect(cut).toBeGreaterThan(100);
  });
});
