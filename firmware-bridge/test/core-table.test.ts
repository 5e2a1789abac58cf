// Builds the C core's device table tests (core/test/table-test.c) under ASan + UBSan and runs them:
// ids in order, first/last/count, address + address type as the key, the scan response merged into its
// advertisement, refused payloads, eviction of the stalest at maxDevices, churn at the Nano's size; and a
// seeded stream of reports replayed into the C table and into a plain model of the documented rules.
import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCoreProgram,
  CORE_DIR,
  CORE_FLAGS,
  type CoreBuild,
  coreBuildDir,
  HAS_GCC,
  SANITIZER_ENV,
} from './core-build.js';

let build: CoreBuild | undefined;
let unit = '';
let replay = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  build = await coreBuildDir();
  unit = await buildCoreProgram(build.dir, 'table-test', ['test/table-test.c']);
  replay = await buildCoreProgram(build.dir, 'table-replay', ['host/table-replay.c']);
}, 120_000);
afterAll(async () => {
  await build?.dispose();
});

describe.skipIf(!HAS_GCC)('the C device table', { timeout: 60_000 }, () => {
  it('passes its unit tests under ASan and UBSan, at most 96 bytes per device', () => {
    const r = spawnSync(unit, [], { env: SANITIZER_ENV, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toMatch(/^ok device=\d+ table=\d+\n$/);
    expect(r.status).toBe(0);
    const device = Number(/device=(\d+)/.exec(r.stdout)?.[1]);
    expect(device).toBeLessThanOrEqual(96);
  });
});

type Report = {
  addr: string;
  type: number;
  rsp: boolean;
  conn: boolean;
  rssi: number;
  now: number;
  data: string;
};
type ModelEntry = {
  id: number;
  count: number;
  first: number;
  last: number;
  rssi: number;
  flags: number;
  adv?: string;
  rsp?: string;
};

/** The table's rules (bleshark_core.h, bsk_table_seen) written plainly: a Map in last-seen order. */
class TableModel {
  readonly entries = new Map<string, ModelEntry>();
  nextId = 1;
  evicted = 0;
  refused = 0;
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }

  seen(r: Report): string {
    if (r.data.length > 62 || r.type > 1) {
      this.refused++;
      return '0 0 0 0 0 0 0 0';
    }
    const key = `${r.addr}/${r.type}`;
    const rssi = Math.min(20, Math.max(-127, r.rssi));
    const old = this.entries.get(key);
    let seen: number;
    let evictedId = 0;
    let e: ModelEntry;
    if (old) {
      e = old;
      this.entries.delete(key);
      this.entries.set(key, e);
      let changed = (r.rsp ? e.rsp : e.adv) !== r.data;
      if (!r.rsp) {
        const flags = r.conn ? e.flags | 1 : e.flags & ~1;
        changed ||= flags !== e.flags;
        e.flags = flags;
        e.count++;
      }
      seen = changed ? 2 : 3;
      e.last = Math.max(e.last, r.now);
    } else {
      if (this.entries.size >= this.max) {
        const [stalestKey, stalest] = this.entries.entries().next().value as [string, ModelEntry];
        this.entries.delete(stalestKey);
        evictedId = stalest.id;
        this.evicted++;
      }
      e = { id: this.nextId++, count: 1, first: r.now, last: r.now, rssi, flags: !r.rsp && r.conn ? 1 : 0 };
      this.entries.set(key, e);
      seen = 1;
    }
    if (r.rsp) e.rsp = r.data;
    else e.adv = r.data;
    e.flags |= r.rsp ? 4 : 2;
    e.rssi = rssi;
    return `${seen} ${e.id} ${evictedId} ${e.count} ${e.first} ${e.last} ${e.rssi} ${e.flags}`;
  }
}

function reports(seed: number, n: number): Report[] {
  let s = seed;
  const int = (k: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % k;
  };
  const payloads = ['', '020106', '0201060509616263', '03ff4c00', 'aa'.repeat(31), 'bb'.repeat(32)];
  let now = 1000;
  return Array.from({ length: n }, () => {
    now += int(50);
    return {
      addr: `aabbcc0000${int(40).toString(16).padStart(2, '0')}`,
      type: int(20) === 0 ? 2 : int(2),
      rsp: int(10) < 3,
      conn: int(2) === 0,
      rssi: int(256) - 128,
      now: int(10) === 0 ? now - int(500) : now,
      data: payloads[int(payloads.length)] as string,
    };
  });
}

describe.skipIf(!HAS_GCC)('the C device table against its rules', { timeout: 60_000 }, () => {
  it('assigns ids, counts, merges scan responses and evicts the stalest as a plain model does', () => {
    for (const max of [1, 16, 512]) {
      const stream = reports(max, 3000);
      const input = stream
        .map(
          (r) =>
            `${r.addr} ${r.type} ${r.rsp ? 1 : 0} ${r.conn ? 1 : 0} ${r.rssi} ${r.now} ${r.data || '-'}\n`,
        )
        .join('');
      const run = spawnSync(replay, [String(max)], { input, env: SANITIZER_ENV, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const model = new TableModel(max);
      const want = stream.map((r) => model.seen(r));
      want.push(`order${[...model.entries.values()].map((e) => ` ${e.id}`).join('')}`);
      want.push(`evicted ${model.evicted} refused ${model.refused}`);
      expect(run.stdout.split('\n').slice(0, -1)).toEqual(want);
      if (max < 40) expect(model.evicted).toBeGreaterThan(0);
    }
  });
});

// The Nano's core is 32-bit (RV32, ILP32). Without its cross compiler here, gcc -m32 -ffreestanding checks
// the sources for ILP32 (every -Wconversion warning an error) against the string.h functions the core may
// use, and pins the table's sizes there; hosts whose gcc has no -m32 skip it with one line.
const HAS_M32 =
  HAS_GCC &&
  spawnSync('gcc', ['-m32', '-ffreestanding', '-fsyntax-only', '-x', 'c', '-'], { input: '' }).status === 0;
if (HAS_GCC && !HAS_M32) console.warn('skipping the ILP32 check of the C core: gcc has no -m32');

describe.skipIf(!HAS_M32)('the C core on a 32-bit target', { timeout: 60_000 }, () => {
  it('compiles for ILP32 without a warning, with 96 bytes per device', async () => {
    const dir = build?.dir as string;
    await writeFile(
      join(dir, 'string.h'),
      '#include <stddef.h>\nvoid *memcpy(void *, const void *, size_t);\nvoid *memset(void *, int, size_t);\n' +
        'int memcmp(const void *, const void *, size_t);\nvoid *memchr(const void *, int, size_t);\n' +
        'size_t strlen(const char *);\n',
    );
    await writeFile(
      join(dir, 'sizes.c'),
      '#include "bleshark_core.h"\n_Static_assert(sizeof(bsk_device_t) == 96, "bytes per device");\n' +
        '_Static_assert(sizeof(bsk_table_t) == 96 * BLESHARK_NANO_MAX_DEVICES + 2 * BSK_TABLE_BUCKETS + 28, "table");\n',
    );
    const src = join(CORE_DIR, 'src');
    const sources = (await readdir(src)).filter((f) => f.endsWith('.c')).map((f) => join(src, f));
    const flags = CORE_FLAGS.filter((f) => !f.startsWith('-fsanitize') && f !== '-fno-sanitize-recover=all');
    const args = [
      '-m32',
      '-ffreestanding',
      '-fsyntax-only',
      ...flags,
      '-I',
      join(CORE_DIR, 'include'),
      '-I',
      dir,
    ];
    const r = spawnSync('gcc', [...args, ...sources, join(dir, 'sizes.c')], { encoding: 'utf8' });
    expect(`${r.stderr}${r.stdout}`).toBe('');
    expect(r.status).toBe(0);
  });
});
