// The core's sessions (bsk_core_*): its C unit tests under ASan + UBSan, and a scripted run behind a
// small host program (core/host/session-run.c) whose every frame must pass shared-protocol's parseDown,
// whose seq must count without gaps, and whose batches and snapshots, folded as the page folds them,
// must end with exactly the devices that pass each client's filter. The run mixes a real HCI capture,
// hostile AD bytes, a table small enough to evict, the golden command fixtures, filters, clear, timed
// scans, a client that stops reading and clients the core closes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type DeviceRecord, type DownMessage, parseDown, toHex } from '@bleshark/shared-protocol';
import { loadFixtures } from '@bleshark/shared-protocol/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE, captureReports } from '../core/rv32/rv32-build.mjs';
import { buildCoreProgram, type CoreBuild, coreBuildDir, HAS_GCC, SANITIZER_ENV } from './core-build.js';

let build: CoreBuild | undefined;
let unit = '';
let runner = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  build = await coreBuildDir();
  unit = await buildCoreProgram(build.dir, 'session-test', ['test/session-test.c']);
  runner = await buildCoreProgram(build.dir, 'session-run', ['host/session-run.c']);
}, 180_000);
afterAll(async () => {
  await build?.dispose();
});

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

const NAMES = ['Polar H10', 'Éclair', '\u2028x', 'a"b\\c', '😀', '\u3164', 'x'.repeat(20)];

/** AD bytes of at most 31: names (some invalid UTF-8), manufacturer data, UUIDs, tx, padding, cuts. */
function adBytes(r: Rng): string {
  const out: number[] = [];
  for (let k = r.int(6); k > 0; k--) {
    let s: number[];
    switch (r.int(7)) {
      case 0: {
        const name = [...new TextEncoder().encode(r.pick(NAMES))];
        if (r.chance(0.2)) name.push(0xff, 0xe2);
        s = [name.length + 1, r.pick([8, 9]), ...name];
        break;
      }
      case 1:
        s = [5, 0xff, r.pick([0x4c, 6, 0x75]), 0, r.int(256), r.int(256)];
        break;
      case 2:
        s = [3, 3, r.pick([0x0f, 0x0d]), 0x18];
        break;
      case 3:
        s = [2, 0x0a, r.int(256)];
        break;
      case 4:
        s = [4, 0x16, 0x2c, 0xfe, r.int(256)];
        break;
      case 5:
        s = [0];
        break;
      default:
        s = [9, 0xff, 0x4c];
    }
    if (out.length + s.length > 31) break;
    out.push(...s);
  }
  return toHex(Uint8Array.from(out)) || '-';
}

/** The script: time moves on by a few ms a line; every few lines the clients' frames are drained. */
async function script(): Promise<string> {
  const r = rng(2024);
  const lines: string[] = ['init 48', 't 0', 'open', 'open', 'drain'];
  let t = 0;
  const at = (ms: number) => {
    t += ms;
    lines.push(`t ${t}`);
  };
  const capture = existsSync(CAPTURE) ? await captureReports() : [];
  const commands = [
    ...loadFixtures().up.map((f) => JSON.stringify(f.message)),
    '{"type":"filter","id":"named","filter":{"named":true}}',
    '{"type":"filter","filter":{"minRssi":-70,"exclude":[76]}}',
    '{"type":"filter","filter":{}}',
    '{"type":"scan-start","id":"d1","duration":1}',
    '{"type":"scan-start","id":"again"}',
    '{"type":"scan-stop","id":"stop"}',
    '{"type":"clear","id":"clr"}',
    '{"type":"snapshot-request","id":"snap"}',
    '{"type":"scan-start","window":9999}',
    'not json',
    '{"type":"filter","filter":{"text":"\\ud800","service":"180F"}}',
  ];
  const addrs = Array.from(
    { length: 90 },
    (_, i) => `c0ffee${(i * 2654435761).toString(16).slice(-6).padStart(6, '0')}`,
  );
  let ci = 0;
  for (let step = 0; step < 2500; step++) {
    at(1 + r.int(12));
    if (capture.length && r.chance(0.3)) {
      const rep = capture[r.int(capture.length)] as (typeof capture)[number];
      const addr = rep.addr.map((b) => b.toString(16).padStart(2, '0')).join('');
      lines.push(
        `${rep.scanRsp ? 'rsp' : 'adv'} ${addr} ${rep.addrType} ${rep.conn ? 1 : 0} ${rep.rssi} ${toHex(Uint8Array.from(rep.data)) || '-'}`,
      );
    } else {
      lines.push(
        `${r.chance(0.2) ? 'rsp' : 'adv'} ${r.pick(addrs)} ${r.int(2)} ${r.int(2)} ${r.int(100) - 99} ${adBytes(r)}`,
      );
    }
    if (r.chance(0.02)) lines.push(`text ${r.int(2)} ${commands[ci++ % commands.length]}`);
    if (r.chance(0.01)) lines.push('hold 0');
    if (r.chance(0.01)) lines.push('release 0');
    if (r.chance(0.005)) lines.push('drops 3');
    if (step === 1200) lines.push('open', 'drain', 'bin 2', 'drain', 'close 2');
    if (step === 1500) lines.push('open', 'drain', `text 2 ${' '.repeat(1025)}`, 'drain', 'close 2');
    if (step === 1800) lines.push('fail controller reset', 'text 1 {"type":"scan-start"}');
    if (r.chance(0.3)) lines.push('drain');
  }
  lines.push(
    'release 0',
    'text 0 {"type":"scan-start"}',
    'text 0 {"type":"filter","filter":{}}',
    'text 1 {"type":"filter","filter":{"minRssi":-60}}',
    'drain',
  );
  for (const addr of addrs.slice(0, 30)) {
    at(3);
    lines.push(`adv ${addr} 1 1 ${r.int(100) - 99} ${adBytes(r)}`);
  }
  at(1000);
  lines.push('drain');
  at(1000);
  lines.push('drain', 'dump 0', 'dump 1');
  return `${lines.join('\n')}\n`;
}

type Page = { seq: number; table: Map<number, DeviceRecord>; building?: Map<number, DeviceRecord> };

describe.skipIf(!HAS_GCC)('the C core sessions', { timeout: 120_000 }, () => {
  it('passes its unit tests under ASan and UBSan', () => {
    const r = spawnSync(unit, [], { env: SANITIZER_ENV, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('ok\n');
    expect(r.status).toBe(0);
  });

  it('sends only frames the protocol accepts, and the page ends with the filtered table', async () => {
    const r = spawnSync(runner, [], {
      input: await script(),
      env: SANITIZER_ENV,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').slice(0, -1);
    const size = Number(lines[0]?.split(' ')[1]);
    // static RAM at the Nano's limits (512 devices, 4 clients), x86-64; the goal is 64 KB
    expect(size).toBeLessThanOrEqual(64 * 1024);
    const pages = new Map<number, Page>();
    const types = new Map<string, number>();
    const closes: string[] = [];
    const bad: string[] = [];
    const dumps = new Map<number, number[]>();
    for (const line of lines.slice(1)) {
      if (line.startsWith('open ')) {
        pages.set(Number(line.slice(5)), { seq: 0, table: new Map() });
        continue;
      }
      if (line.startsWith('ids ')) {
        const [, slot, ...ids] = line.split(' ');
        dumps.set(Number(slot), ids.map(Number));
        continue;
      }
      const sp = line.indexOf(' ');
      const slot = Number(line.slice(0, sp));
      const text = line.slice(sp + 1);
      if (text.startsWith('close ')) {
        closes.push(text);
        continue;
      }
      const parsed = parseDown(text);
      if (!parsed.ok) {
        if (bad.length < 5) bad.push(`${parsed.message}: ${text.slice(0, 300)}`);
        continue;
      }
      if (new TextEncoder().encode(text).length > 4096) bad.push(`over maxFrameBytes: ${text.slice(0, 100)}`);
      const msg: DownMessage = parsed.msg;
      types.set(msg.type, (types.get(msg.type) ?? 0) + 1);
      const page = pages.get(slot) as Page;
      if (msg.type === 'snapshot' || msg.type === 'batch') {
        if (msg.seq !== page.seq + 1) bad.push(`client ${slot}: seq ${msg.seq} after ${page.seq}`);
        page.seq = msg.seq;
      }
      if (msg.type === 'snapshot') {
        page.building ??= new Map();
        for (const d of msg.d) {
          if (page.building.has(d.id)) bad.push(`client ${slot}: ${d.id} twice in one snapshot`);
          page.building.set(d.id, d);
        }
        if (!msg.more) {
          if (page.building.size > msg.total) bad.push(`client ${slot}: more records than total`);
          page.table = page.building;
          page.building = undefined;
        }
      } else if (msg.type === 'batch') {
        for (const d of msg.d ?? []) page.table.set(d.id, d);
        for (const [id, rssi] of msg.u ?? []) {
          const d = page.table.get(id);
          if (!d) bad.push(`client ${slot}: update for ${id}, which the page does not hold`);
          else d.rssi = rssi;
        }
        for (const id of msg.x ?? []) {
          if (!page.table.delete(id))
            bad.push(`client ${slot}: removal of ${id}, which the page does not hold`);
        }
      }
    }
    expect(bad).toEqual([]);
    for (const type of ['hello', 'status', 'batch', 'snapshot', 'scan-complete', 'error', 'ack'])
      expect(types.get(type) ?? 0, type).toBeGreaterThan(0);
    expect(closes).toEqual(['close 1003 binary frames are not accepted', 'close 1009 message too big']);
    for (const slot of [0, 1]) {
      const want = (dumps.get(slot) ?? []).sort((a, b) => a - b);
      const got = [...(pages.get(slot)?.table.keys() ?? [])].sort((a, b) => a - b);
      expect(got, `client ${slot}`).toEqual(want);
      expect(want.length).toBeGreaterThan(0);
    }
  });
});
