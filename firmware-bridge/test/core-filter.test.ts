// Differential test of the C filter (bsk_filter_match over a table entry) against shared-protocol's
// matchesFilter: records from the golden fixtures' raw `adv`/`rsp` and from a seeded generator of
// hostile AD bytes (blank and invalid names, repeated and overflowing entries, cut structures), crossed
// with every `filter` fixture and seeded filters, must give the same answer. The TypeScript side sees
// what a client sees: the record the simulator makes (parseAdvertisement, then the wire's entry caps).
import { spawnSync } from 'node:child_process';
import {
  BLANK_CODE_POINTS,
  type DeviceRecord,
  type Filter,
  type FilterSubject,
  fromHex,
  MAX_DATA_ENTRIES,
  MAX_UUIDS,
  matchesFilter,
  parseAdvertisement,
  parseUp,
  toHex,
} from '@bleshark/shared-protocol';
import { loadFixtures } from '@bleshark/shared-protocol/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoreProgram, type CoreBuild, coreBuildDir, HAS_GCC, SANITIZER_ENV } from './core-build.js';

let build: CoreBuild | undefined;
let matcher = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  build = await coreBuildDir();
  matcher = await buildCoreProgram(build.dir, 'filter-match', ['host/filter-match.c']);
}, 120_000);
afterAll(async () => {
  await build?.dispose();
});

type Device = { addr: string; conn: boolean; rssi: number; adv?: Uint8Array; rsp?: Uint8Array };

/** The subject a client filters: the simulator's record of these bytes (first 8 mfr/svc, 16 uuids). */
function subject(d: Device): FilterSubject {
  const chunks = [d.adv, d.rsp].filter((c) => c !== undefined);
  const f = parseAdvertisement(...chunks);
  return {
    addr: d.addr,
    rssi: d.rssi,
    conn: d.conn,
    name: f.name,
    mfr: f.mfr.slice(0, MAX_DATA_ENTRIES),
    uuids: f.uuids.slice(0, MAX_UUIDS),
    svc: f.svc.slice(0, MAX_DATA_ENTRIES),
  };
}

/** The C answers for every (device, filter frame) pair, in order. */
function core(pairs: [Device, string][]): string[] {
  const hex = (b?: Uint8Array) => (b ? toHex(b) || '' : '-');
  const input = pairs
    .map(
      ([d, f]) =>
        `${d.addr.replace(/:/g, '')} ${d.conn ? 1 : 0} ${d.rssi} ${hex(d.adv)} ${hex(d.rsp)} ${f}\n`,
    )
    .join('');
  const r = spawnSync(matcher, [], { input, env: SANITIZER_ENV, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`filter-match exited ${r.status}:\n${r.stderr}`);
  return r.stdout.split('\n').slice(0, -1);
}

/** A small LCG: the same cases on every run. */
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

const enc = (s: string) => [...new TextEncoder().encode(s)];
const NAMES: number[][] = [
  enc('Polar H10'),
  enc('NORDIC_uart'),
  enc('Éclair é'),
  enc('   '),
  enc('\u3164\u200b'),
  enc('\u2800'),
  enc('😀x'),
  enc('a\u0000b'),
  [0xff, 0x41],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x9f, 0x98, 0x80],
  enc('\u00ad'),
  enc('ABCabc'),
];
const COMPANIES = [0x004c, 0x0006, 0x006b, 0x0075, 0, 0xffff];
const U16 = [0x180f, 0x180d, 0xfe2c, 0xfeaa];
const U128 = [
  // 0000180d on the base UUID, little-endian, and an unrelated one.
  [0xfb, 0x34, 0x9b, 0x5f, 0x80, 0, 0, 0x80, 0, 0x10, 0, 0, 0x0d, 0x18, 0, 0],
  [0x9e, 0xca, 0xdc, 0x24, 0x0e, 0xe5, 0xa9, 0xe0, 0x93, 0xf3, 0xa3, 0xb5, 0x01, 0, 0x40, 0x6e],
];

function adStructure(r: ReturnType<typeof rng>): number[] {
  const le16 = (v: number) => [v & 0xff, v >> 8];
  switch (r.int(9)) {
    case 0:
      return [2, 1, 6];
    case 1:
    case 2: {
      const name = r.pick(NAMES);
      return [name.length + 1, r.pick([8, 9]), ...name];
    }
    case 3: {
      const data = Array.from({ length: r.int(4) }, () => r.int(256));
      return [3 + data.length, 0xff, ...le16(r.pick(COMPANIES)), ...data];
    }
    case 4: {
      const list = Array.from({ length: 1 + r.int(4) }, () => le16(r.pick(U16))).flat();
      return [list.length + 1, r.pick([2, 3]), ...list];
    }
    case 5:
      return [5, r.pick([4, 5]), ...le16(r.pick(U16)), 0, 0];
    case 6:
      return [17, r.pick([6, 7]), ...r.pick(U128)];
    case 7: {
      const t = r.pick([0x16, 0x20, 0x21]);
      const uuid = t === 0x16 ? le16(r.pick(U16)) : t === 0x20 ? [...le16(r.pick(U16)), 0, 0] : r.pick(U128);
      return [uuid.length + 2, t, ...uuid, r.int(256)];
    }
    default:
      return r.pick([[0], [2, 0x0a, 0xf4], [9, 0xff, 0x4c]]); // padding, tx power, a cut structure
  }
}

function adBytes(r: ReturnType<typeof rng>): Uint8Array {
  const out: number[] = [];
  for (let k = r.int(7); k > 0; k--) {
    const s = adStructure(r);
    if (out.length + s.length > 31) break;
    out.push(...s);
  }
  return Uint8Array.from(out);
}

function device(r: ReturnType<typeof rng>): Device {
  const addr = Array.from({ length: 6 }, () => r.pick([0xaa, 0xbb, 0xcc, 0x0e, r.int(256)]))
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(':');
  const d: Device = { addr, conn: r.chance(0.5), rssi: r.int(148) - 127 };
  if (r.chance(0.9)) d.adv = adBytes(r);
  if (r.chance(0.5)) d.rsp = adBytes(r);
  if (r.chance(0.1)) d.adv = Uint8Array.from({ length: r.int(32) }, () => r.int(256)); // any bytes at all
  if (!d.adv) d.conn = false; // connectable is a property of the advertisement, not of the scan response
  return d;
}

const TEXTS = [
  'polar',
  'ÉCLAIR',
  'éclair',
  'é',
  'aa:b',
  'CC:',
  'x',
  '😀',
  '\ud83d',
  '\ude00',
  'abcABC',
  '\u0000',
  ' ',
  '\ufffd',
  ':',
];
const SERVICES = [
  '180f',
  '180D',
  '0000180d',
  '0000180D-0000-1000-8000-00805F9B34FB',
  'fe2c',
  '0000feaa',
  '6e400001-b5a3-f393-e0a9-e50e24dcca9e',
  '6E400001-B5A3-F393-E0A9-E50E24DCCA9E',
  '12345678',
];

function filter(r: ReturnType<typeof rng>): Filter {
  const f: Filter = {};
  if (r.chance(0.4)) f.text = r.pick(TEXTS);
  if (r.chance(0.3)) f.minRssi = r.int(148) - 127;
  if (r.chance(0.3)) f.company = r.pick(COMPANIES);
  if (r.chance(0.3)) f.service = r.pick(SERVICES);
  if (r.chance(0.3)) f.connectable = r.chance(0.5);
  if (r.chance(0.3)) f.named = r.chance(0.5);
  if (r.chance(0.3)) f.exclude = Array.from({ length: r.int(4) }, () => r.pick(COMPANIES));
  return f;
}

function fixtureDevices(): Device[] {
  const out: Device[] = [];
  for (const { message } of loadFixtures().down) {
    const records = 'd' in message && Array.isArray(message.d) ? (message.d as DeviceRecord[]) : [];
    for (const rec of records) {
      if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(rec.addr) || (!rec.adv && !rec.rsp)) continue;
      const adv = rec.adv ? fromHex(rec.adv) : undefined;
      const rsp = rec.rsp ? fromHex(rec.rsp) : undefined;
      if ((adv?.length ?? 0) > 31 || (rsp?.length ?? 0) > 31) continue;
      out.push({ addr: rec.addr, conn: rec.conn && adv !== undefined, rssi: rec.rssi, adv, rsp });
    }
  }
  return out;
}

/** Devices past the record's caps: a 9th manufacturer entry and a 17th distinct UUID are not seen. */
function overflowDevices(): Device[] {
  const mfr = (company: number) => [3, 0xff, company & 0xff, company >> 8];
  const uuids = (from: number) => [29, 3, ...Array.from({ length: 14 }, (_, i) => [from + i, 0x18]).flat()];
  return [
    {
      addr: 'aa:bb:cc:dd:ee:ff',
      conn: true,
      rssi: -60,
      adv: Uint8Array.from(Array(7).fill(mfr(6)).flat()),
      rsp: Uint8Array.from([...mfr(6), ...mfr(0x4c), ...mfr(0x75)]),
    },
    {
      addr: 'aa:bb:cc:dd:ee:fe',
      conn: true,
      rssi: -60,
      adv: Uint8Array.from(uuids(0x00)),
      rsp: Uint8Array.from(uuids(0x0c)),
    },
  ];
}

describe.skipIf(!HAS_GCC)('the C filter', { timeout: 120_000 }, () => {
  it('has the blank code points of BLANK_CODE_POINTS', () => {
    const r = spawnSync(matcher, ['blank'], { env: SANITIZER_ENV, encoding: 'utf8' });
    const want = BLANK_CODE_POINTS.split(' ').map((p) => {
      const [lo, hi = lo] = p.split('-') as [string, string?];
      return `${lo}-${hi}`;
    });
    expect(r.stdout.trim().split('\n')).toEqual(want);
  });

  it('agrees with matchesFilter on fixture and generated devices and filters', () => {
    const r = rng(12);
    const devices = [
      ...fixtureDevices(),
      ...overflowDevices(),
      ...Array.from({ length: 400 }, () => device(r)),
    ];
    const filters = [
      ...loadFixtures()
        .up.filter((f) => f.message.type === 'filter')
        .map((f) => JSON.stringify(f.message)),
      ...['1810', '180f', '1819', '180c'].map((service) =>
        JSON.stringify({ type: 'filter', filter: { service } }),
      ),
      JSON.stringify({ type: 'filter', filter: { company: 0x4c } }),
      JSON.stringify({ type: 'filter', filter: { exclude: [0x75] } }),
      ...Array.from({ length: 60 }, () => JSON.stringify({ type: 'filter', filter: filter(r) })),
    ];
    expect(fixtureDevices().length).toBeGreaterThan(3);
    const pairs: [Device, string][] = devices.flatMap((d) => filters.map((f): [Device, string] => [d, f]));
    const got = core(pairs);
    expect(got.length).toBe(pairs.length);
    const wrong: string[] = [];
    let passed = 0;
    pairs.forEach(([d, frame], i) => {
      const up = parseUp(frame);
      if (!up.ok || up.msg.type !== 'filter') throw new Error(`not a filter: ${frame}`);
      const want = matchesFilter(subject(d), up.msg.filter) ? '1' : '0';
      if (want === '1') passed++;
      if (got[i] !== want && wrong.length < 10)
        wrong.push(
          `${frame} on ${JSON.stringify({ ...d, adv: d.adv && toHex(d.adv), rsp: d.rsp && toHex(d.rsp) })}: C ${got[i]}, TS ${want}`,
        );
    });
    expect(wrong).toEqual([]);
    // The cases mean something: both outcomes occur often.
    expect(passed).toBeGreaterThan(pairs.length / 10);
    expect(passed).toBeLessThan(pairs.length * 0.9);
  });
});
