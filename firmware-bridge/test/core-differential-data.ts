// The advert streams of the differential test, written at test time into a temporary folder as session
// recordings (the replay source's JSON Lines) or found in ../shared/data as HCI captures: a demo scene
// recorded with the simulator's own recorder, the real payload vectors in ../shared/data turned into
// recordings, and hostile cases. Every recorded line carries the raw AD bytes (what the core parses) and
// the fields a source decodes from them (what the TypeScript engine takes), the way the simulator's
// sources make them (parseAdvertisement over advertising data + scan response).
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromHex, PROTOCOL, parseAdvertisement, toHex } from '@bleshark/shared-protocol';
import { requireSharedData } from '@bleshark/shared-protocol/test-support';
import { startSimulator } from '@bleshark/simulator';
import { until } from './core-differential-kit.js';

/** A legacy payload (advertising data or scan response): what the Nano's controller delivers. */
export const LEGACY = 31;

export type Line = {
  t: number;
  addr: string;
  addrType: 'public' | 'random';
  rssi: number;
  conn: boolean;
  adv?: Uint8Array;
  rsp?: Uint8Array;
};

/** One recording line: raw bytes plus what a source decodes from them. */
function recordLine(l: Line): string {
  const chunks = [l.adv, l.rsp].filter((c): c is Uint8Array => c !== undefined);
  const f = parseAdvertisement(...chunks);
  const out: Record<string, unknown> = {
    t: l.t,
    addr: l.addr,
    addrType: l.addrType,
    rssi: l.rssi,
    conn: l.conn,
  };
  if (f.name !== undefined && f.name !== '') out.name = f.name;
  // 0x80 reads as -128, which a recording refuses (tx is -127..127 there, as on the wire); the engine
  // clamps it to -127 anyway, and so does the core.
  if (f.tx !== undefined) out.tx = Math.max(-127, f.tx);
  // Bounded as a source bounds them (noble-mapping): a recording holds what a record can.
  if (f.mfr.length) out.mfr = f.mfr.slice(0, PROTOCOL.maxDataEntries);
  if (f.uuids.length) out.uuids = f.uuids.slice(0, PROTOCOL.maxUuids);
  if (f.svc.length) out.svc = f.svc.slice(0, PROTOCOL.maxDataEntries);
  if (l.adv) out.adv = toHex(l.adv);
  if (l.rsp) out.rsp = toHex(l.rsp);
  return JSON.stringify(out);
}

/** Writes a recording (header + one line per advert) and returns its path. */
export async function writeRecording(dir: string, name: string, lines: Line[]): Promise<string> {
  const file = join(dir, `${name}.jsonl`);
  const header = { bleshark: 'recording', version: 1, source: 'replay', started: '2025-01-01T00:00:00.000Z' };
  await writeFile(file, `${[JSON.stringify(header), ...lines.map(recordLine)].join('\n')}\n`);
  return file;
}

/**
 * The recording as the Nano hears it: the Nano's core takes legacy payloads only (31 bytes, see
 * bleshark_core.h BSK_AD_MAX) and refuses longer ones, which the TypeScript engine keeps (up to 255 bytes,
 * an extended advertisement). Writes `<file>.legacy.jsonl` with every payload over 31 bytes left out and
 * the decoded fields read again from what is left, and at most `maxLines` adverts; returns it, how many
 * payloads were left out and how many adverts it holds.
 */
export async function legacyView(
  file: string,
  maxLines: number,
): Promise<{ file: string; dropped: number; lines: number }> {
  const [head, ...all] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const rest = all.slice(0, maxLines);
  let dropped = 0;
  const lines = rest.map((text) => {
    const r = JSON.parse(text) as {
      t: number;
      addr: string;
      addrType: 'public' | 'random';
      rssi: number;
      conn: boolean;
      adv?: string;
      rsp?: string;
    };
    const keep = (hex: string | undefined): Uint8Array | undefined => {
      const b = hex === undefined ? undefined : fromHex(hex);
      if (b && b.length > LEGACY) {
        dropped++;
        return undefined;
      }
      return b;
    };
    const adv = keep(r.adv);
    const rsp = keep(r.rsp);
    return recordLine({
      t: r.t,
      addr: r.addr,
      addrType: r.addrType,
      rssi: r.rssi,
      conn: r.conn,
      ...(adv ? { adv } : {}),
      ...(rsp ? { rsp } : {}),
    });
  });
  const out = file.replace(/\.jsonl$/, '.legacy.jsonl');
  await writeFile(out, `${[head, ...lines].join('\n')}\n`);
  return { file: out, dropped, lines: lines.length };
}

/** A demo scene recorded by the simulator's own recorder (`record`), at least `adverts` long. */
export async function recordDemo(dir: string, adverts: number): Promise<string> {
  const file = join(dir, 'demo.jsonl');
  const sim = await startSimulator({
    source: 'demo',
    seed: 11,
    devices: 90,
    rate: 5000,
    record: file,
    host: '127.0.0.1',
    port: 0,
    log: () => {},
  });
  try {
    await until(() => sim.engine.adverts >= adverts, `${adverts} demo adverts`);
  } finally {
    await sim.close();
  }
  return file;
}

/** AD structures of a payload, as byte ranges; a structure running past the end is the last range. */
function structures(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; ) {
    const len = b[i]!;
    const end = Math.min(b.length, i + 1 + len);
    out.push(b.subarray(i, end));
    i = end;
  }
  return out;
}

/**
 * Splits a payload of more than 31 bytes into advertising data + scan response the way a device fits AD
 * structures into two legacy payloads (in order, the advertising data first while it fits); undefined
 * when the structures do not fit in two.
 */
export function splitLegacy(b: Uint8Array): { adv: Uint8Array; rsp?: Uint8Array } | undefined {
  if (b.length <= LEGACY) return { adv: b };
  const adv: number[] = [];
  const rsp: number[] = [];
  for (const s of structures(b)) {
    if (rsp.length === 0 && adv.length + s.length <= LEGACY) adv.push(...s);
    else if (rsp.length + s.length <= LEGACY) rsp.push(...s);
    else return undefined;
  }
  return rsp.length
    ? { adv: Uint8Array.from(adv), rsp: Uint8Array.from(rsp) }
    : { adv: Uint8Array.from(adv) };
}

/**
 * A vector's chunk: hex, or (for some vectors) the Python repr of a bytes tuple such as "(b'\\x02\\x01\\x06',)".
 */
function chunk(text: string): Uint8Array {
  const hex = fromHex(text);
  if (hex) return hex;
  const body = /^\(b'(.*)',\)$/s.exec(text)?.[1];
  if (body === undefined) throw new Error(`cannot read the chunk ${text}`);
  const named: Record<string, number> = { n: 10, r: 13, t: 9, '\\': 92, "'": 39, '"': 34 };
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') out.push(c.charCodeAt(0));
    else if (body[i + 1] === 'x') {
      out.push(Number.parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      const v = named[body[i + 1]!];
      if (v === undefined) throw new Error(`unknown escape in ${text}`);
      out.push(v);
      i++;
    }
  }
  return Uint8Array.from(out);
}

const VECTORS = 'payloads/bluetooth-data-tools_test_gap.vectors.json';
const BTHOME = 'payloads/bthome-ble_test_parser_v2.vectors.json';

/** The HCI captures in ../shared/data the hci-replay source plays (absent outside CI: skipped). */
export const CAPTURES = [
  'hci/bumble_hci_data_001.h4.bin',
  'hci/bumble_hci_data_001.le_adv_reports.btsnoop',
  'hci/bumble_hci_data_001.as_ext_adv_reports.btsnoop',
  'hci/bumble_hci_data_001.as_ext_adv_reports.h4.bin',
].map((rel) => ({ rel, path: requireSharedData(rel) }));

const mac = (n: number, top: number) =>
  [top, 0x10, (n >> 16) & 255, (n >> 8) & 255, n & 255, 0x5a]
    .map((x) => x.toString(16).padStart(2, '0'))
    .join(':');

/**
 * The bluetooth-data-tools vectors (real devices' advertising data and scan responses) as one device each,
 * heard three times; payloads longer than 31 bytes split into two legacy payloads when their structures
 * fit (`skipped` names the vectors whose structures do not).
 */
export function vectorLines(): { lines: Line[]; skipped: string[] } | undefined {
  const p = requireSharedData(VECTORS);
  if (!p) return undefined;
  const vectors = JSON.parse(readFileSync(p, 'utf8')) as { test: string; input_chunks_hex: string[] }[];
  const lines: Line[] = [];
  const skipped: string[] = [];
  for (const [i, v] of vectors.entries()) {
    const chunks = v.input_chunks_hex.map(chunk);
    let adv: Uint8Array | undefined;
    let rsp: Uint8Array | undefined;
    if (chunks.length === 1) {
      const s = splitLegacy(chunks[0]!);
      if (!s) {
        skipped.push(v.test);
        continue;
      }
      adv = s.adv;
      rsp = s.rsp;
    } else {
      if (chunks.length > 2 || chunks.some((c) => c.length > LEGACY)) {
        skipped.push(v.test);
        continue;
      }
      [adv, rsp] = chunks;
    }
    for (let k = 0; k < 3; k++)
      lines.push({
        t: i * 10 + k,
        addr: mac(i, 0xc4),
        addrType: i % 3 ? 'random' : 'public',
        rssi: -40 - ((i * 7 + k) % 60),
        conn: i % 2 === 0,
        adv,
        ...(rsp ? { rsp } : {}),
      });
  }
  return { lines, skipped };
}

/** The BTHome v2 vectors as devices: service data 0xFCD2 in the advertising data, the name in the response. */
export function bthomeLines(): Line[] | undefined {
  const p = requireSharedData(BTHOME);
  if (!p) return undefined;
  const vectors = JSON.parse(readFileSync(p, 'utf8')) as { service_data_hex: string; local_name?: string }[];
  const lines: Line[] = [];
  vectors.forEach((v, i) => {
    const data = fromHex(v.service_data_hex) ?? new Uint8Array(0);
    const adv = Uint8Array.from([2, 1, 6, data.length + 3, 0x16, 0xd2, 0xfc, ...data]);
    const name = new TextEncoder().encode(v.local_name ?? '').subarray(0, LEGACY - 2);
    const rsp = name.length ? Uint8Array.from([name.length + 1, 0x09, ...name]) : undefined;
    if (adv.length > LEGACY) return;
    lines.push({
      t: i,
      addr: mac(i, 0xa4),
      addrType: 'public',
      rssi: -50 - (i % 40),
      conn: false,
      adv,
      ...(rsp ? { rsp } : {}),
    });
  });
  return lines;
}

/** An AD structure. */
const ad = (type: number, ...data: (number | Uint8Array | number[])[]): number[] => {
  const bytes = data.flatMap((d) => (typeof d === 'number' ? [d] : [...d]));
  return [bytes.length + 1, type, ...bytes];
};
const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());

/**
 * Hostile advertisements that all fit legacy payloads (the Nano hears nothing else): invalid UTF-8 and
 * overlong forms, U+2028 / U+2029, every control character, HTML, names that only look blank, exactly 31-byte
 * payloads, AD lengths that run past the end or are zero, more manufacturer entries and UUIDs than a record
 * holds, duplicated UUIDs, TX power 127 and -128, RSSI at both ends, an empty advertising payload, one
 * address as public and as random, a device whose payloads change (fields it stops sending must go; see
 * scanResponseLines for the scan-response cases), and more devices than maxDevices (512) with some heard again before
 * the table fills, so the stalest by last sighting is evicted; then the hostile ones again, so they are
 * in the final table.
 */
export function hostileLines(maxDevices: number): Line[] {
  const lines: Line[] = [];
  let t = 0;
  const push = (l: Omit<Line, 't'>) => lines.push({ t: t++, ...l });
  const names: Uint8Array[] = [
    Uint8Array.from([0x41, 0xff, 0xfe, 0x42]), // invalid bytes
    Uint8Array.from([0xc0, 0x80, 0x43]), // overlong NUL
    Uint8Array.from([0xed, 0xa0, 0x80, 0x44]), // a UTF-16 surrogate in UTF-8
    Uint8Array.from([0x45, 0xe2, 0x82]), // cut in the middle of a character
    Uint8Array.from([0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
    utf8('line\u2028para\u2029end'),
    Uint8Array.from([0, 1, 2, 7, 8, 9, 10, 11, 12, 13, 27, 31, 127, 0x22, 0x5c]),
    utf8('<img src=x onerror=alert(1)>'),
    utf8('\u202eevil\u202c'),
    utf8('\u3164\u00ad\u200b'), // looks blank: not named
    utf8('\u{1f988} shark'),
    utf8('x'.repeat(LEGACY - 2)), // a 29-byte name: the whole 31-byte payload
  ];
  for (const [i, n] of names.entries())
    push({
      addr: mac(i, 0x02),
      addrType: 'random',
      rssi: -60 - i,
      conn: i % 2 === 0,
      adv: bytes(ad(0x09, n)),
    });
  // The same name as shortened (0x08) in the advertising data and complete (0x09) in the response.
  push({
    addr: mac(100, 0x02),
    addrType: 'random',
    rssi: -70,
    conn: true,
    adv: bytes(ad(1, 6), ad(0x08, utf8('Shor'))),
    rsp: bytes(ad(0x09, utf8('Shortened then complete'))),
  });
  // Exactly 31 bytes in both payloads, every field kind.
  push({
    addr: mac(101, 0x00),
    addrType: 'public',
    rssi: 20,
    conn: true,
    adv: bytes(ad(1, 6), ad(0x0a, 0x80), ad(0xff, 0x4c, 0x00, [...Array(21).keys()])),
    rsp: bytes(
      ad(0x03, 0x0d, 0x18, 0x0f, 0x18),
      ad(0x16, 0x6f, 0xfd, 1, 2, 3),
      ad(0x09, utf8('thirty-one bytes')),
    ),
  });
  // Ten manufacturer entries (a record holds eight).
  const mfr = (i: number) => ad(0xff, i, 0, 0xaa);
  push({
    addr: mac(102, 0x02),
    addrType: 'random',
    rssi: -127,
    conn: false,
    adv: bytes(...[0, 1, 2, 3, 4, 5].map(mfr)),
    rsp: bytes(...[6, 7, 8, 9].map(mfr)),
  });
  // 28 sixteen-bit UUIDs, some repeated (a record holds sixteen distinct).
  push({
    addr: mac(103, 0x02),
    addrType: 'random',
    rssi: -80,
    conn: true,
    adv: bytes(ad(0x03, ...Array.from({ length: 14 }, (_, i) => [0x00 + (i % 10), 0x18]).flat())),
    rsp: bytes(ad(0x02, ...Array.from({ length: 14 }, (_, i) => [0x10 + i, 0xfe]).flat())),
  });
  // Broken lengths: past the end, zero-length structures, zero padding, a lone length byte.
  push({
    addr: mac(104, 0x02),
    addrType: 'random',
    rssi: -90,
    conn: false,
    adv: Uint8Array.from([2, 1, 6, 9, 0x09, 0x41, 0x42]),
  });
  push({
    addr: mac(105, 0x02),
    addrType: 'random',
    rssi: -91,
    conn: false,
    adv: Uint8Array.from([0, 0, 3, 0x09, 0x4f, 0x4b, 0, 0, 0]),
  });
  push({ addr: mac(106, 0x02), addrType: 'random', rssi: -92, conn: false, adv: Uint8Array.from([0x1e]) });
  // TX power 127 ("not available" in some reports) and a 128-bit service data.
  push({
    addr: mac(107, 0x02),
    addrType: 'random',
    rssi: -50,
    conn: true,
    adv: bytes(ad(0x0a, 127), ad(0x21, [...Array(16).keys()], 0xee)),
  });
  // An empty advertising payload.
  push({ addr: mac(108, 0x02), addrType: 'random', rssi: -55, conn: false, adv: new Uint8Array(0) });
  // One address, public and random: two devices.
  push({
    addr: '11:22:33:44:55:66',
    addrType: 'public',
    rssi: -40,
    conn: true,
    adv: bytes(ad(0x09, utf8('the public one'))),
  });
  push({
    addr: '11:22:33:44:55:66',
    addrType: 'random',
    rssi: -41,
    conn: false,
    adv: bytes(ad(0x09, utf8('the random one'))),
  });
  // A device that changes: name + mfr, then only uuids (the name and mfr are gone), then back.
  const changing = { addr: mac(110, 0x02), addrType: 'random' as const, conn: true };
  push({ ...changing, rssi: -60, adv: bytes(ad(0x09, utf8('first')), ad(0xff, 0x06, 0x00, 1)) });
  push({ ...changing, rssi: -61, adv: bytes(ad(0x03, 0x0f, 0x18)) });
  push({
    ...changing,
    rssi: -62,
    adv: bytes(ad(0x09, utf8('first')), ad(0xff, 0x06, 0x00, 1)),
    rsp: bytes(ad(0x0a, 4)),
  });
  // A new advertising payload; the scan response is carried on, as every source carries the newest one.
  push({ ...changing, rssi: -63, adv: bytes(ad(0x09, utf8('second'))), rsp: bytes(ad(0x0a, 4)) });
  // Fill the table past maxDevices: the first 40 fillers are heard again halfway, so the stalest by last
  // sighting (not by first) are evicted.
  const filler = (i: number) => ({
    addr: mac(1000 + i, 0xd2),
    addrType: 'random' as const,
    rssi: -30 - (i % 90),
    conn: i % 4 === 0,
    adv: bytes(ad(0xff, i & 255, i >> 8, i & 7)),
  });
  const hostile = lines.map(({ t: _, ...l }) => l);
  const total = maxDevices + 88;
  for (let i = 0; i < total; i++) {
    push(filler(i));
    if (i === Math.floor(maxDevices / 2)) for (let k = 0; k < 40; k++) push({ ...filler(k), rssi: -33 });
  }
  // The hostile devices were evicted by then: heard again, they are in the table the sides compare.
  for (const l of hostile) push(l);
  // A scan response heard alone, and an advertisement without the scan response heard before it: the
  // engine keeps the newest scan response as the core does (simulator/src/engine/keep-scan-response.ts).
  lines.push(...scanResponseLines(t));
  return lines;
}

/**
 * Two cases the sides once disagreed on (issue 12's proof 3):
 * 1. A scan response with no advertising data (`rsp` without `adv`): shown as `rsp` on both sides.
 * 2. An advertisement without `rsp` after one with it (a passive scan, a missed response): both keep the
 *    newest scan response and its fields (tx here), as docs/protocol.md says ("newest advertising data with
 *    its newest scan response").
 */
export function scanResponseLines(t0: number): Line[] {
  const rspOnly = { addr: mac(109, 0x02), addrType: 'random' as const, conn: true };
  const dropped = { addr: mac(111, 0x02), addrType: 'random' as const, conn: true };
  return [
    { t: t0, ...rspOnly, rssi: -56, rsp: bytes(ad(0x09, utf8('rsp only'))) },
    { t: t0 + 1, ...dropped, rssi: -60, adv: bytes(ad(0x09, utf8('with rsp'))), rsp: bytes(ad(0x0a, 4)) },
    { t: t0 + 2, ...dropped, rssi: -61, adv: bytes(ad(0x09, utf8('with rsp'))) },
  ];
}
