// Issue 12, proof 3: the C core (the simulator with --core, its harness under ASan + UBSan) against the
// TypeScript engine. The same advert stream (a finite replay at speed 0: a demo scene recorded at test
// time, the captures and payload vectors in ../shared/data, hostile cases) and the same commands go to
// both; one client on each side folds its frames with the page's own model; after every step the two
// tables must be equal (ids, addr, addrType, rssi, name, tx, conn, mfr, uuids, svc, adv, rsp, count; first
// and last are each server's uptime: see core-differential-kit.ts). Every golden fixture of a command
// (up/*.json and the up-direction reject/*.json) sent to both gives the same ack / error / close code.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DeviceRecord, encode, NANO_LIMITS } from '@bleshark/shared-protocol';
import { loadFixtures, missingSharedData } from '@bleshark/shared-protocol/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUEUED } from '../../simulator/src/core/core-host.js';
import { LiveClient, type Msg } from '../../simulator/test/live-client.js';
import { buildCoreHost } from '../src/core-host/build-core-host.js';
import { HAS_GCC } from './core-build.js';
import {
  bthomeLines,
  CAPTURES,
  hostileLines,
  LEGACY,
  legacyView,
  recordDemo,
  vectorLines,
  writeRecording,
} from './core-differential-data.js';
import {
  diffTables,
  type Pair,
  Side,
  type SourceChoice,
  startPair,
  WAIT_MS,
} from './core-differential-kit.js';

let dir = '';
let harness = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  dir = await mkdtemp(join(tmpdir(), 'bleshark-core-diff-'));
  harness = (await buildCoreHost({ out: dir, sanitize: true })).path;
}, 240_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs `body` against a fresh pair and, after closing both, checks the harness said nothing and exited 0. */
async function withPair(source: SourceChoice, body: (p: Pair) => Promise<void>): Promise<void> {
  const pair = await startPair(harness, source);
  try {
    await body(pair);
  } finally {
    await pair.close();
  }
  expect(pair.core.core.stderr, 'the harness wrote to stderr (a sanitizer report?)').toBe('');
  expect(pair.core.core.exited).toMatchObject({ code: 0, signal: null });
}

type Step = { name: string; mismatches: string[]; devices?: number };

/**
 * Adverts per replay: the harness queues at most MAX_QUEUED reports (an advert and its scan response are
 * two) and drops the rest as a radio's queue overflows; a speed-0 replay must stay under it or the two
 * sides hear different streams (checked after every scenario: the harness dropped nothing).
 */
const REPLAY_ADVERTS = Math.floor(MAX_QUEUED / 2) - 100;

/** The filters of the scenario, each field alone and together, made from what the replay holds. */
function filtersFor(records: DeviceRecord[]): Record<string, unknown>[] {
  const named = records.find((r) => r.name && /^[\x20-\x7e]{3}/.test(r.name));
  const rssis = records.map((r) => r.rssi).sort((a, b) => a - b);
  const median = rssis[Math.floor(rssis.length / 2)] ?? -70;
  const companies = new Map<number, number>();
  for (const r of records) for (const [c] of r.mfr ?? []) companies.set(c, (companies.get(c) ?? 0) + 1);
  const company = [...companies].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 76;
  const service =
    records
      .flatMap((r) => [...(r.uuids ?? []), ...(r.svc ?? []).map(([u]) => u)])
      .find((u) => u.length === 4) ?? '180f';
  const addr = records[0]?.addr ?? '00:11';
  return [
    { text: named ? named.name!.slice(0, 3).toUpperCase() : 'a' },
    { text: addr.slice(3, 8).toUpperCase() },
    { minRssi: median },
    { company },
    { service: service.toUpperCase() },
    { service: `0000${service}-0000-1000-8000-00805F9B34FB` },
    { connectable: true },
    { named: true },
    { exclude: [76, 6, company] },
    { minRssi: median - 10, named: true, connectable: true, exclude: [76] },
    { text: 'no such device at all' },
    {},
  ];
}

/**
 * The scenario every stream goes through, the same commands on both sides in step: the table after the
 * launch replay; a snapshot-request; each filter (answered by a snapshot); the replay played again from
 * the start and folded from batches alone, unfiltered, under a filter, without duplicates and passive;
 * clear; the replay once more after clear, from batches and then from a snapshot. The scan-complete
 * summaries and the final status counters must agree too.
 */
async function scenario(pair: Pair): Promise<Step[]> {
  const ts = await Side.connect('typescript', pair.ts.wsUrl);
  const core = await Side.connect('core', pair.core.wsUrl);
  const sides = [ts, core];
  const steps: Step[] = [];
  let n = 0;
  const compare = (name: string) =>
    steps.push({ name, mismatches: diffTables(ts, core), devices: ts.records().length });
  const both = (fn: (s: Side, i: number) => Promise<unknown>) => Promise.all(sides.map((s, i) => fn(s, i)));
  const mark = () => sides.map((s) => s.since(0).length);
  const waitSnapshot = async (reason: string, from: number[]) =>
    both((s, i) =>
      s.waitFor('snapshot', (m) => m.reason === reason && !m.more, from[i]!, `snapshot ${reason}`),
    );
  try {
    await both((s) => s.settle(0, false));
    compare('after the launch replay (connect snapshot and batches)');

    let from = mark();
    await both((s) => s.command({ type: 'snapshot-request', id: `r${++n}` }));
    await waitSnapshot('request', from);
    compare('snapshot-request');

    const filters = filtersFor(ts.records());
    for (const filter of filters) {
      from = mark();
      const id = `f${++n}`;
      await both((s) => s.command({ type: 'filter', id, filter }));
      await waitSnapshot('filter', from);
      compare(`filter ${JSON.stringify(filter)}`);
    }

    const replay = async (name: string, scan: Record<string, unknown>, filter?: Record<string, unknown>) => {
      if (filter) {
        const f = mark();
        const id = `f${++n}`;
        await both((s) => s.command({ type: 'filter', id, filter }));
        await waitSnapshot('filter', f);
      }
      const f = mark();
      const id = `s${++n}`;
      await both((s) => s.command({ type: 'scan-start', id, ...scan }));
      await both((s, i) => s.settle(f[i]!, true));
      compare(name);
    };
    await replay('replayed again, folded from batches', { mode: 'active', duplicates: true }, {});
    await replay('replayed under a minRssi filter', {}, filters[2]);
    await replay('replayed without duplicates, named only', { duplicates: false }, { named: true });
    await replay('replayed passive, unfiltered', { mode: 'passive' }, {});

    from = mark();
    await both((s) => s.command({ type: 'clear', id: `c${++n}` }));
    await waitSnapshot('clear', from);
    compare('clear');
    await replay('replayed after clear, from batches', { mode: 'active', duplicates: true });
    from = mark();
    await both((s) => s.command({ type: 'snapshot-request', id: `r${++n}` }));
    await waitSnapshot('request', from);
    compare('replayed after clear, from a snapshot');

    // The scans' summaries (adverts, devices) and the final counters. Not compared: `reason` when the
    // replay ends by itself (the engine says `stopped`, the harness reports the end as a radio failure,
    // `error`: logged below and reported, see the issue's report).
    const completes = (s: Side) => s.seen.filter((m) => m.type === 'scan-complete');
    const summary = (s: Side) => completes(s).map((m) => `${m.adverts} adverts, ${m.devices} devices`);
    const [a, b] = sides.map(summary);
    steps.push({
      name: 'scan-complete summaries',
      mismatches:
        JSON.stringify(a) === JSON.stringify(b)
          ? []
          : [`typescript ${a?.join('; ')} vs core ${b?.join('; ')}`],
    });
    const [ra, rb] = sides.map((s) =>
      completes(s)
        .map((m) => m.reason)
        .join(' '),
    );
    steps.push({
      name: 'scan-complete reasons',
      mismatches: ra === rb ? [] : [`typescript ${ra} vs core ${rb}`],
    });
    const counters = (s: Side) => {
      const st = s.seen.filter((m) => m.type === 'status').at(-1) as Msg;
      return { devices: st.devices, shown: st.shown, evicted: st.evicted, filter: st.filter };
    };
    const [ca, cb] = sides.map(counters);
    steps.push({
      name: 'final status counters',
      mismatches:
        JSON.stringify(ca) === JSON.stringify(cb)
          ? []
          : [`typescript ${JSON.stringify(ca)} vs core ${JSON.stringify(cb)}`],
    });
    for (const s of sides)
      steps.push({
        name: `${s.name}: frames the page accepts, seq without gaps`,
        mismatches: [...s.invalid, ...s.gaps],
      });
    const lost = pair.core.core.dropped;
    steps.push({
      name: 'the same stream on both sides',
      mismatches: lost
        ? [`the harness dropped ${lost} reports (its queue was full: the replay outran it)`]
        : [],
    });
  } finally {
    for (const s of sides) s.close();
  }
  return steps;
}

/** Fails with every mismatch of every step, one line each (and logs them, for the record). */
function expectNoMismatches(what: string, steps: Step[]): void {
  const lines = steps.flatMap((s) => s.mismatches.map((m) => `${s.name}: ${m}`));
  const tables = steps.filter((s) => s.devices !== undefined);
  console.log(
    `${what}: ${tables.length} tables compared (${tables.map((s) => s.devices).join(', ')} devices), ${lines.length} mismatches`,
  );
  if (lines.length) console.log(lines.slice(0, 80).join('\n'));
  expect(lines).toEqual([]);
  // Not a comparison of two empty tables: the launch replay filled them.
  expect(tables[0]?.devices).toBeGreaterThan(0);
}

describe.skipIf(!HAS_GCC)(
  'the C core and the TypeScript engine give the same tables',
  { timeout: 240_000 },
  () => {
    it('a demo scene recorded at test time', async () => {
      const demo = await recordDemo(dir, REPLAY_ADVERTS);
      // The scene's one extended advertiser (a 249-byte name) is heard as the Nano hears it: without it.
      const { file, dropped, lines } = await legacyView(demo, REPLAY_ADVERTS);
      expect(dropped).toBeGreaterThan(0);
      expect(lines).toBe(REPLAY_ADVERTS);
      await withPair({ source: 'replay', replay: file, speed: 0 }, async (pair) => {
        expectNoMismatches('demo recording', await scenario(pair));
      });
    });

    for (const capture of CAPTURES)
      it.skipIf(!capture.path)(
        capture.path ? `the capture ${capture.rel}` : missingSharedData(capture.rel),
        async () => {
          await withPair({ source: 'hci-replay', replay: capture.path!, speed: 0 }, async (pair) => {
            expectNoMismatches(capture.rel, await scenario(pair));
          });
        },
      );

    const vectors = vectorLines();
    it.skipIf(!vectors)('the bluetooth-data-tools vectors as a recording', async () => {
      if (vectors!.skipped.length)
        console.log(`vectors whose AD structures fit no two legacy payloads: ${vectors!.skipped.join(', ')}`);
      const file = await writeRecording(dir, 'vectors', vectors!.lines);
      await withPair({ source: 'replay', replay: file, speed: 0 }, async (pair) => {
        expectNoMismatches('bluetooth-data-tools vectors', await scenario(pair));
      });
    });

    const bthome = bthomeLines();
    it.skipIf(!bthome)('the BTHome vectors as a recording', async () => {
      const file = await writeRecording(dir, 'bthome', bthome!);
      await withPair({ source: 'replay', replay: file, speed: 0 }, async (pair) => {
        expectNoMismatches('BTHome vectors', await scenario(pair));
      });
    });

    it('hostile advertisements, and more devices than maxDevices', async () => {
      const lines = hostileLines(NANO_LIMITS.maxDevices);
      for (const l of lines) {
        expect(l.adv?.length ?? 0).toBeLessThanOrEqual(LEGACY);
        expect(l.rsp?.length ?? 0).toBeLessThanOrEqual(LEGACY);
      }
      const file = await writeRecording(dir, 'hostile', lines);
      await withPair({ source: 'replay', replay: file, speed: 0 }, async (pair) => {
        const steps = await scenario(pair);
        expect(pair.ts.engine.table.evicted).toBeGreaterThan(0);
        expectNoMismatches('hostile', steps);
        // The named filter kept hostile names: they are in the compared tables, not evicted.
        expect(steps.find((s) => s.name === 'filter {"named":true}')?.devices).toBeGreaterThan(0);
      });
    });
  },
);

type Answer = string;

/**
 * What one side answers to one frame on a fresh connection: `ack <command>`, `error <code>`, `close
 * <code>`, or `none` (nothing before the answer to a probe sent right after it).
 */
async function answer(url: string, frame: string, id: string | undefined): Promise<Answer> {
  const c = await LiveClient.connect(url);
  try {
    await c.nextOf('hello', () => true, WAIT_MS);
    c.send(frame);
    // Without an id a success is silent: a probe right after it tells when the device has answered.
    // With one, the answer carrying it is awaited (the engine may ack a scan-start after later commands).
    if (!id) c.send({ type: 'snapshot-request', id: 'probe' });
    const want = id || 'probe';
    const closed = c.closed.then((cl) => ({ type: 'close', code: cl.code }));
    const got: Msg = await c
      .next((m) => (m.type === 'ack' || m.type === 'error') && (m.id === undefined || m.id === want), WAIT_MS)
      .catch(() => closed);
    if (got.type === 'close') return `close ${got.code}`;
    if (!id && got.id === 'probe') return got.type === 'ack' ? 'none' : `error ${got.code} (probe)`;
    return `${got.type} ${got.type === 'ack' ? got.command : got.code}${got.id === id ? '' : ` (id ${got.id})`}`;
  } finally {
    c.ws.close(1000);
    await Promise.race([c.closed, new Promise((r) => setTimeout(r, WAIT_MS))]);
  }
}

describe.skipIf(!HAS_GCC)(
  'the golden command fixtures get the same answers from both',
  { timeout: 240_000 },
  () => {
    it('every up/*.json and up-direction reject/*.json, in order, on fresh connections', async () => {
      const fx = loadFixtures();
      const cases = [
        ...fx.up.map((f) => ({
          name: `up/${f.name}`,
          frame: encode(f.message),
          id: f.message.id,
          expect: undefined,
        })),
        ...fx.reject
          .filter((f) => f.direction === 'up')
          .map((f) => ({ name: `reject/${f.name}`, frame: f.frame, id: readId(f.frame), expect: f.code })),
      ];
      await withPair({ source: 'demo', seed: 3, devices: 20, rate: 100 }, async (pair) => {
        const rows: string[] = [];
        const mismatches: string[] = [];
        for (const c of cases) {
          const a = await answer(pair.ts.wsUrl, c.frame, c.id);
          const b = await answer(pair.core.wsUrl, c.frame, c.id);
          rows.push(`${c.name}: ${a}${a === b ? '' : ` | core: ${b}`}`);
          if (a !== b) mismatches.push(`${c.name}: typescript ${a} vs core ${b}`);
          // A reject fixture names its code; too-large is the transport's 1009 when over maxInboundBytes.
          const bare = b.replace(/ \(id .*\)$/, '');
          if (
            c.expect &&
            ![`error ${c.expect}`, ...(c.expect === 'too-large' ? ['close 1009'] : [])].includes(bare)
          )
            mismatches.push(`${c.name}: core ${b}, fixture ${c.expect}`);
        }
        if (mismatches.length) console.log(rows.join('\n'));
        expect(mismatches).toEqual([]);
      });
    });
  },
);

describe.skipIf(!HAS_GCC)('hello from both', { timeout: 120_000 }, () => {
  it('carries the same protocol, schema, limits, caps and scan state', async () => {
    await withPair({ source: 'demo', seed: 3, devices: 5, rate: 20 }, async (pair) => {
      const [a, b] = await Promise.all(
        [pair.ts.wsUrl, pair.core.wsUrl].map((u, i) => Side.connect(String(i), u)),
      );
      a!.close();
      b!.close();
      const same = (h: Msg) => {
        const { since: _, ...scan } = h.scan;
        return { protocol: h.protocol, schema: h.schema, limits: h.limits, caps: h.caps, scan };
      };
      expect(same(b!.hello)).toEqual(same(a!.hello));
      // The source and whether it is synthetic (the page says "demo data"): from the simulator's source on both.
      const device = (h: Msg) => ({ source: h.device.source, demo: h.device.demo });
      expect(device(b!.hello)).toEqual(device(a!.hello));
    });
  });
});

/** The `id` of a raw frame when it is a JSON object with a string id. */
function readId(frame: string): string | undefined {
  try {
    const v: unknown = JSON.parse(frame);
    return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string'
      ? (v as { id: string }).id
      : undefined;
  } catch {
    return undefined;
  }
}
