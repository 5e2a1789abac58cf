// Seed inputs for the C core's libFuzzer targets (core/fuzz/*.c), written at test time into a temporary
// corpus folder: the golden `up` fixtures and `up` rejections as command frames, number literals around
// the rounding edges, and the advertising payloads of the real captures in ../shared/data (read in
// place) laid out in each target's own input format (see the comment at the top of each target).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from '@bleshark/shared-protocol';
import { loadFixtures, requireSharedData } from '@bleshark/shared-protocol/test-support';

export const FUZZ_TARGETS = ['command', 'number', 'advert', 'session'] as const;
export type FuzzTarget = (typeof FUZZ_TARGETS)[number];

/** Committed reproducers of fixed findings, one folder per target: they join every run's corpus. */
export const REGRESSIONS_DIR = fileURLToPath(new URL('../core/fuzz/regressions/', import.meta.url));

/** One advertising report as the controller gave it. */
export type Report = {
  addr: Uint8Array;
  addrType: number;
  scanRsp: boolean;
  conn: boolean;
  rssi: number;
  data: Uint8Array;
};

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Command frames: every golden `up` fixture and `up` rejection, plus frames at the grammar's edges. */
export function commandFrames(): Uint8Array[] {
  const f = loadFixtures();
  const frames = [
    ...f.up.map((x) => encode(x.message)),
    ...f.reject.filter((r) => r.direction === 'up').map((r) => r.frame),
    '{"type":"filter","filter":{"text":"\\ud83d\\ude00\\ud83d","exclude":[0,65535,1e0]},"id":"\\u00e9"}',
    '{"type":"scan-start","interval":3.0000000000000000001,"window":2.99999999999999999999,"duration":-0}',
    `{"type":"clear","deep":${'['.repeat(300)}${']'.repeat(300)}}`,
    '{"type":"clear","id":"x","__proto__":{"type":"scan-stop"},"type":"snapshot-request"}',
    ' \t\n{"type":"scan-stop"}\r\n',
  ];
  return [
    ...frames.map(utf8),
    Uint8Array.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), // a UTF-8 surrogate: 1007
    utf8(`{"type":"clear","pad":"${'x'.repeat(1100)}"}`), // over maxInboundBytes: 1009
  ];
}

/** Number literals: rounding ties at the fields' ends, underflow, overflow, signs and exponents. */
export const NUMBER_LITERALS = [
  '0',
  '-0',
  '3',
  '10240',
  '86400',
  '-127',
  '20',
  '3.0000000000000000001',
  '2.99999999999999999999',
  '1e-400',
  '1e999',
  '8.64e4',
  '864e2',
  '1.0000000000000002',
  '0.9999999999999999',
  '0.99999999999999999',
  '86400.000000000001',
  // 86400 +- half the spacing of doubles there (2^-37): exact ties, rounding to even.
  '86400.0000000000072759576141834259033203125',
  '86399.9999999999927240423858165740966796875',
  '2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324',
  '-1E+2',
  '1.5e1',
  '0.5',
];

/** Reads "(b'...',)" (a Python bytes repr some gap vectors hold instead of hex) back into bytes. */
function pythonBytes(s: string): Uint8Array | undefined {
  const m = /^\(b'(.*)',\)$/s.exec(s);
  if (!m?.[1]) return undefined;
  const body = m[1];
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, '\\': 92, "'": 39, '"': 34, '0': 0 };
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out.push(body.charCodeAt(i) & 0xff);
      continue;
    }
    const c = body[i + 1] ?? '';
    if (c === 'x') {
      out.push(Number.parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      out.push(simple[c] ?? c.charCodeAt(0));
      i += 1;
    }
  }
  return Uint8Array.from(out);
}

function chunk(s: string): Uint8Array | undefined {
  if (/^([0-9a-fA-F]{2})*$/.test(s))
    return Uint8Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
  return pythonBytes(s);
}

/** The LE Advertising Reports (subevent 0x02) of an H4 stream, controller to host. */
function h4Reports(bytes: Uint8Array): Report[] {
  const reports: Report[] = [];
  let i = 0;
  while (i < bytes.length) {
    const kind = bytes[i];
    if (kind === 0x04 && i + 3 <= bytes.length) {
      const len = bytes[i + 2] ?? 0;
      const ev = bytes.subarray(i + 1, i + 3 + len);
      i += 3 + len;
      if (ev[0] !== 0x3e || ev[2] !== 0x02) continue;
      let p = 4;
      for (let r = 0; r < (ev[3] ?? 0) && p + 10 <= ev.length; r++) {
        const type = ev[p] ?? 0;
        const dlen = ev[p + 8] ?? 0;
        if (p + 10 + dlen > ev.length) break;
        reports.push({
          addr: Uint8Array.from(ev.subarray(p + 2, p + 8)).reverse(),
          addrType: (ev[p + 1] ?? 0) & 1,
          scanRsp: type === 4,
          conn: type === 0 || type === 1,
          rssi: ((ev[p + 9 + dlen] ?? 0) << 24) >> 24,
          data: ev.slice(p + 9, p + 9 + dlen),
        });
        p += 10 + dlen;
      }
    } else if (kind === 0x02 && i + 5 <= bytes.length)
      i += 5 + ((bytes[i + 3] ?? 0) | ((bytes[i + 4] ?? 0) << 8));
    else if (kind === 0x01 && i + 4 <= bytes.length) i += 4 + (bytes[i + 3] ?? 0);
    else break;
  }
  return reports;
}

/**
 * Real reports: the capture's advertising reports and the gap vectors' payloads (advertising data, then
 * scan response, from addresses of our own). Outside CI, absent shared data gives an empty list.
 */
export async function realReports(): Promise<Report[]> {
  const reports: Report[] = [];
  const h4 = requireSharedData('hci/bumble_hci_data_001.h4.bin');
  if (h4) reports.push(...h4Reports(new Uint8Array(await readFile(h4))));
  const gap = requireSharedData('payloads/bluetooth-data-tools_test_gap.vectors.json');
  if (gap) {
    const vectors = JSON.parse(await readFile(gap, 'utf8')) as { input_chunks_hex: string[] }[];
    vectors.forEach((v, n) => {
      v.input_chunks_hex.forEach((c, k) => {
        const data = chunk(c);
        if (data)
          reports.push({
            addr: Uint8Array.from([0xc0, 0xff, 0xee, 0x00, n >> 8, n & 0xff]),
            addrType: 1,
            scanRsp: k > 0,
            conn: k === 0,
            rssi: -40 - (n % 50),
            data: data.subarray(0, 31),
          });
      });
    });
  }
  return reports;
}

const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const u16 = (v: number) => [(v >>> 8) & 0xff, v & 0xff];

/** fuzz-advert: header (now, table size, seed), then reports, a filter and a string check. */
function advertInput(reports: Report[], size: number): Uint8Array {
  const out: number[] = [...u32(1000), (size - 1) & 7, ...u32(0x9e3779b9)];
  for (const r of reports) {
    out.push(0x00, 0x80, r.addrType | (r.scanRsp ? 0x10 : 0) | (r.conn ? 0x20 : 0), ...r.addr);
    out.push(r.rssi & 0xff, 10, r.data.length, ...r.data);
  }
  out.push(0xc0, 0x01 | 0x02 | 0x20 | 0x80, 3, ...utf8('Kit'), 0x80, 0x00); // text, minRssi -127, named
  out.push(0xf0, 0, 0, 200, 0, 8, ...utf8('\u00e9\u2028"\\'), 0xff, 0xfe);
  return Uint8Array.from(out);
}

/** fuzz-session: header (now, devices, seed, scan on init), then ops in the target's numbering. */
function sessionInput(reports: Report[], frames: Uint8Array[]): Uint8Array {
  const out: number[] = [...u32(5000), 7, ...u32(0x12345678), 0x01];
  out.push(0, 14); // open, drain
  for (const r of reports)
    out.push(
      5,
      r.addr[5] ?? 0,
      r.addrType | (r.scanRsp ? 2 : 0) | (r.conn ? 4 : 0) | 0x10,
      r.rssi & 0xff,
      r.data.length,
      ...r.data,
    );
  out.push(14, 9, ...u16(150), 14, 0); // drain, 150 ms, drain, open a second client
  out.push(16, 4, 0x20, 14, 3, 7, 1, 14, 16, 4, 0x27, 9, ...u16(150), 14); // flood, minRssi filter, flood again
  for (const f of frames) out.push(2, ...u16(f.length), 0, ...f, 14);
  out.push(9, ...u16(0x8000 | 300), 14, 10, 0, 0, 9, ...u16(0x8000 | 3100), 10, 1, 0, 14); // 3 s, then 31 s unsent
  return Uint8Array.from(out);
}

/**
 * A libFuzzer dictionary (-dict): byte sequences mutation rarely builds by chance, because the harness's
 * own comparisons are not instrumented and the core compares decoded code points, not bytes: U+2028/9,
 * a UTF-8 surrogate, ill-formed and overlong sequences, U+FFFD, a supplementary character, their JSON
 * escapes, and the protocol's keys and values.
 */
export function dictionary(target: FuzzTarget): string {
  const bytes = [
    'e280a8',
    'e280a9',
    'eda080',
    'edbfbf',
    'efbfbd',
    'f09f9880',
    'c080',
    'e08080',
    'f4908080',
    'f8',
    'c2',
    'e2',
    '7f',
    '1f',
  ];
  const text = ['\\u2028', '\\ud800', '\\udc00', '\\ud83d\\ude00', '\\u0000', '\\"', 'e-400', '1e999', '0.5'];
  const keys =
    target === 'number' || target === 'advert'
      ? []
      : [
          '"type"',
          '"id"',
          '"filter"',
          '"text"',
          '"minRssi"',
          '"company"',
          '"service"',
          '"exclude"',
          '"connectable"',
          '"named"',
          '"mode"',
          '"interval"',
          '"window"',
          '"duration"',
          '"duplicates"',
          '"scan-start"',
          '"scan-stop"',
          '"snapshot-request"',
          '"clear"',
          '"passive"',
          '"__proto__"',
        ];
  // Dictionary lines are "..." with \\ for a backslash, \" for a quote and \xAB for any byte.
  const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return [
    ...bytes.map((h) => `"${h.replace(/../g, (b) => `\\x${b}`)}"`),
    ...[...text, ...keys].map(quote),
    '',
  ].join('\n');
}

/** Writes target's seed corpus into dir (plus any committed regressions); returns how many inputs. */
export async function seedCorpus(target: FuzzTarget, dir: string): Promise<number> {
  const inputs: Uint8Array[] = [];
  if (target === 'command') inputs.push(...commandFrames());
  if (target === 'number') inputs.push(...NUMBER_LITERALS.map(utf8));
  if (target === 'advert' || target === 'session') {
    const reports = await realReports();
    const groups: Report[][] = [];
    for (let i = 0; i < reports.length; i += 12) groups.push(reports.slice(i, i + 12));
    if (groups.length === 0) groups.push([]);
    if (target === 'advert') for (const [i, g] of groups.entries()) inputs.push(advertInput(g, 1 + (i % 8)));
    else {
      const frames = commandFrames().filter((f) => f.length <= 1024);
      for (let i = 0; i * 4 < frames.length; i++)
        inputs.push(sessionInput(groups[i % groups.length] ?? [], frames.slice(i * 4, i * 4 + 4)));
    }
  }
  await Promise.all(inputs.map((b, i) => writeFile(join(dir, `seed-${String(i).padStart(3, '0')}`), b)));
  let regressions: string[] = [];
  try {
    regressions = await readdir(join(REGRESSIONS_DIR, target));
  } catch {
    // no regressions for this target
  }
  for (const name of regressions)
    await writeFile(join(dir, `regression-${name}`), await readFile(join(REGRESSIONS_DIR, target, name)));
  return inputs.length + regressions.length;
}
