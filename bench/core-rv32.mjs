#!/usr/bin/env node
// The C core (firmware-bridge/core) on the Nano's instruction set: built for RV32IMC (ilp32, -Os,
// -ffunction-sections -fdata-sections, --gc-sections, picolibc) and run under qemu-system-riscv32 with
// -icount shift=0, counting with rdinstret around each call. INSTRUCTIONS ON RV32IMC (QEMU), NOT CYCLES ON
// THE CHIP: the ESP32-C3's caches, flash wait states and branch costs are not modelled.
//
//   node bench/core-rv32.mjs [--quick]
//
// Prints one table and appends one JSON line per row to bench/results/core-rv32.jsonl. Measures, from one
// run: the core's flash (text + rodata; the linked program minus a baseline without the core, and the
// core's own objects from the linker map), static RAM (.data + .bss with one instance of the core's state
// at the Nano's limits), bytes per device and per client (builds one device / one client apart), the
// worst stack (-fstack-usage / -fcallgraph-info, and the stack painted during the run), instructions per
// advert ingested and per batch frame. Compares against issue 12's goals.
import { parseArgs } from 'node:util';
import {
  buildDir,
  captureReports,
  DEBIAN_PACKAGES,
  footprint,
  hasSessionCore,
  headerLimit,
  missingToolchain,
  replayBoth,
  sessionBoth,
  stackGraph,
  toolVersions,
} from '../firmware-bridge/core/rv32/rv32-build.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { appendResult, gitCommit, machine } from './lib/machine.mjs';
import { printTable, quantile } from './lib/stats.mjs';

export const title =
  'RV32: the C core on RV32IMC under QEMU (-Os, picolibc) — instructions on RV32IMC (QEMU), not cycles on the chip';

/** Issue 12's goals. */
export const GOALS = {
  flashBytes: 24 * 1024,
  ramBytes: 64 * 1024,
  bytesPerDevice: 96,
  advertMedian: 2000,
  batchFrame: 40_000,
};

/** The entry points a firmware calls, for the stack figure. */
const SESSION_ENTRIES = [
  'bsk_core_init',
  'bsk_core_advert',
  'bsk_core_drops',
  'bsk_core_scan_failed',
  'bsk_core_scan_ended',
  'bsk_core_tick',
  'bsk_core_client_open',
  'bsk_core_client_close',
  'bsk_core_client_text',
  'bsk_core_client_binary',
  'bsk_core_next_frame',
  'bsk_core_sent',
  'bsk_core_wait_ms',
];
const PART_ENTRIES = [
  'bsk_table_seen',
  'bsk_table_init',
  'bsk_filter_match',
  'bsk_parse_command',
  'bsk_json_str',
];

const stats = (values) => ({
  n: values.length,
  median: quantile(values, 0.5),
  p95: quantile(values, 0.95),
  max: values.length ? Math.max(...values) : Number.NaN,
});

const fmt = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : String(v));
const kb = (v) => `${fmt(v)} B (${(v / 1024).toFixed(1)} KB)`;

function must(r, what) {
  if (r.status !== 0)
    throw new Error(`${what} exited with ${r.status ?? r.signal}: ${r.stderr.slice(0, 2000)}`);
  return r;
}

export async function run({ quick = false } = {}) {
  const missing = missingToolchain();
  if (missing.length) throw new Error(`missing ${missing.join(', ')} (Debian: ${DEBIAN_PACKAGES} gcc)`);
  await ensureBuilt(['firmware-bridge']);
  const { writeProtocolHeader } = await import('@bleshark/firmware-bridge');
  const haveCore = await hasSessionCore();
  const reports = await captureReports();
  const devicesInCapture = new Set(reports.map((r) => `${r.addr.join(',')}/${r.addrType}`)).size;
  const rows = [];
  const row = (figure, value, goal = '', met = '', note = '') =>
    rows.push({ figure, value, goal, met, note });
  const dirs = [];
  try {
    // ---- footprint at the Nano's limits, and one device / one client more ----
    const nano = await buildDir(writeProtocolHeader);
    dirs.push(nano);
    const maxDevices = await headerLimit(nano.dir, 'BLESHARK_NANO_MAX_DEVICES');
    const maxClients = await headerLimit(nano.dir, 'BLESHARK_NANO_MAX_CLIENTS');
    const oneMoreDevice = await buildDir(writeProtocolHeader, { maxDevices: maxDevices + 1 });
    dirs.push(oneMoreDevice);
    const oneMoreClient = await buildDir(writeProtocolHeader, { maxClients: maxClients + 1 });
    dirs.push(oneMoreClient);
    const f = await footprint(nano.dir, { haveCore });
    const fd = await footprint(oneMoreDevice.dir, { haveCore });
    const fc = await footprint(oneMoreClient.dir, { haveCore });
    const ram = (x) => x.delta.data + x.delta.bss;
    const flash = f.delta.text + f.delta.rodata;
    const own = f.own.text + f.own.rodata;
    const what = haveCore
      ? 'the session API (bsk_core_*) and all it reaches'
      : 'table + filter + parser + JSON writer';
    row(
      'flash: text + rodata linked for the firmware',
      kb(flash),
      '<= 24 KB',
      flash <= GOALS.flashBytes ? 'yes' : 'no',
      `${what}; the linked program minus a baseline without the core (includes libc/libgcc code only the core needs)`,
    );
    row(
      'flash: of which the core objects',
      kb(own),
      '',
      '',
      `text ${fmt(f.own.text)} + rodata ${fmt(f.own.rodata)} (linker map, after --gc-sections); ` +
        f.perObject
          .sort((a, b) => b.text + b.rodata - a.text - a.rodata)
          .map((o) => `${o.object} ${fmt(o.text + o.rodata)}`)
          .join(', '),
    );
    row(
      'flash: largest functions',
      f.coreFunctions
        .slice(0, 5)
        .map((x) => `${x.name} ${fmt(x.size)}`)
        .join(', '),
    );
    row(
      `static RAM at ${maxDevices} devices + ${maxClients} clients`,
      kb(ram(f)),
      '<= 64 KB',
      ram(f) <= GOALS.ramBytes ? 'yes' : 'no',
      `.data ${fmt(f.delta.data)} + .bss ${fmt(f.delta.bss)}: one static ${haveCore ? 'bsk_core_t' : 'bsk_table_t (no session core yet)'} plus the core's own statics (${fmt(f.own.data + f.own.bss)} B)`,
    );
    const perDevice = ram(fd) - ram(f);
    row(
      'static RAM per device',
      `${fmt(perDevice)} B`,
      '<= 96 B',
      perDevice <= GOALS.bytesPerDevice ? 'yes' : 'no',
      `builds with maxDevices ${maxDevices} and ${maxDevices + 1}${haveCore ? `: the ${maxClients} clients' state of a device is inside its entry (6 bits each)` : ''}`,
    );
    const perClient = ram(fc) - ram(f);
    row(
      'static RAM per client',
      `${fmt(perClient)} B`,
      '',
      '',
      `builds with maxClients ${maxClients} and ${maxClients + 1}`,
    );

    // ---- stack: static call graph (frames from -fstack-usage) ----
    const graph = await stackGraph(f.objDir);
    const entries = new Set(haveCore ? SESSION_ENTRIES : PART_ENTRIES);
    const worst = graph.functions
      .filter((x) => entries.has(x.name))
      .sort((a, b) => b.deepest.bytes - a.deepest.bytes);
    const top = worst[0];
    if (top)
      row(
        'worst stack (static call graph)',
        `${fmt(top.deepest.bytes)} B`,
        '',
        '',
        `${top.deepest.chain.map((c) => `${c.name} ${c.frame}`).join(' > ')}; next: ${worst
          .slice(1, 4)
          .map((x) => `${x.name} ${fmt(x.deepest.bytes)}`)
          .join(
            ', ',
          )}${graph.notes.length ? `; not followed: ${graph.notes.join('; ')}` : ''}; libc calls (memcpy, memset, ...) count 0`,
      );

    // ---- instructions: the device table alone (bsk_table_seen) ----
    const rounds = quick ? 40 : 200;
    const steady = await replayBoth(nano.dir, reports, { rounds, maxDevices }, { host: false });
    must(steady.rv32, 'the table replay (same devices)');
    const churn = await replayBoth(nano.dir, reports, { rounds, rename: true, maxDevices }, { host: false });
    must(churn.rv32, 'the table replay (new devices)');
    const seen = (x) => x.rv32.parsed.costs.filter((c) => c.seen !== 0).map((c) => c.instructions);
    const s1 = stats(seen(steady));
    const s2 = stats(seen(churn));
    const advertRow = (figure, s, goal, note) =>
      row(
        figure,
        `median ${fmt(s.median)}, p95 ${fmt(s.p95)}, max ${fmt(s.max)}`,
        goal ? 'median <= 2,000' : '',
        goal ? (s.median <= GOALS.advertMedian ? 'yes' : 'no') : '',
        `${fmt(s.n)} reports; ${note}`,
      );
    advertRow(
      'instructions per advert, bsk_table_seen, devices heard again',
      s1,
      !haveCore,
      `the capture (${reports.length} reports, ${devicesInCapture} devices) replayed ${rounds} times`,
    );
    advertRow(
      'instructions per advert, bsk_table_seen, new devices',
      s2,
      !haveCore,
      `addresses renamed every round: the table fills to ${maxDevices} and evicts the stalest`,
    );
    row('stack of bsk_table_seen (painted during the run)', `${fmt(churn.rv32.parsed.stack)} B`);

    // ---- instructions: the whole core ----
    if (haveCore) {
      const same = await sessionBoth(nano.dir, reports, { rounds, maxDevices, gapMs: 10 }, { host: false });
      must(same.rv32, 'the session run (same devices)');
      const fresh = await sessionBoth(
        nano.dir,
        reports,
        { rounds, rename: true, maxDevices, gapMs: 2 },
        { host: false, filter: true },
      );
      must(fresh.rv32, 'the session run (new devices)');
      const clients = `${maxClients} clients`;
      advertRow(
        `instructions per advert, bsk_core_advert, ${clients}, devices heard again`,
        stats(same.rv32.parsed.adverts),
        true,
        `the capture replayed ${rounds} times, 10 ms apart, scanning, no filter`,
      );
      advertRow(
        `instructions per advert, bsk_core_advert, ${clients}, new devices`,
        stats(fresh.rv32.parsed.adverts),
        true,
        `renamed every round, 2 ms apart (500/s), 3 of the clients filter minRssi -70; table fills and evicts`,
      );
      const batches = [...same.rv32.parsed.frames, ...fresh.rv32.parsed.frames].filter(
        (x) => x.type === 'batch',
      );
      const full = batches.filter((x) => x.bytes >= 1000);
      const fs = stats(full.map((x) => x.instructions));
      const perByte = full.map((x) => x.instructions / x.bytes);
      const at1400 = quantile(perByte, 0.5) * 1400;
      row(
        'instructions per batch frame (>= 1,000 B), bsk_core_next_frame',
        `median ${fmt(fs.median)}, p95 ${fmt(fs.p95)}, max ${fmt(fs.max)}; ${fmt(at1400)} per 1,400 B`,
        '<= 40,000 per full batch frame',
        at1400 <= GOALS.batchFrame ? 'yes' : 'no',
        `${fmt(full.length)} frames of median ${fmt(
          quantile(
            full.map((x) => x.bytes),
            0.5,
          ),
        )} B (max ${fmt(Math.max(...full.map((x) => x.bytes)))}); median ${quantile(perByte, 0.5).toFixed(1)} instructions per byte; ${fmt(batches.length)} batch frames in all`,
      );
      const other = (type) =>
        stats(fresh.rv32.parsed.frames.filter((x) => x.type === type).map((x) => x.instructions));
      for (const type of ['hello', 'snapshot', 'status', 'ack']) {
        const s = other(type);
        if (s.n)
          row(
            `instructions per ${type} frame`,
            `median ${fmt(s.median)}, max ${fmt(s.max)}`,
            '',
            '',
            `${s.n} frames`,
          );
      }
      row(
        'stack of the core calls (painted during the run)',
        `${fmt(Math.max(same.rv32.parsed.stack ?? 0, fresh.rv32.parsed.stack ?? 0))} B`,
        '',
        '',
        "the deepest any bsk_core_* call went below the harness loop (includes that loop's own frame)",
      );
      row(
        'sizeof(bsk_core_t) on RV32',
        `${fmt(fresh.rv32.parsed.sizeofCore)} B`,
        '',
        '',
        `one client ${fmt(fresh.rv32.parsed.sizeofClient)} B`,
      );
    } else
      row('instructions per batch frame', 'not yet', '', '', 'core/src does not implement bsk_core_* yet');
  } finally {
    for (const d of dirs) await d.dispose();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(
      `core-rv32: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (see --help)`,
    );
    process.exit(2);
  }
  if (values.help) {
    console.log(
      'Usage: node bench/core-rv32.mjs [--quick]\n\nBuilds the C core for RV32IMC, runs it under QEMU and prints its flash, RAM, stack and\ninstruction counts (not cycles); appends one JSON line per row to bench/results/core-rv32.jsonl.\n\n  --quick   40 rounds of the capture instead of 200\n\nExit codes: 0 measured; 1 failed; 2 bad option.',
    );
    process.exit(0);
  }
  process.env.BENCH_MODE = values.quick ? 'quick' : 'full';
  const m = machine();
  const v = toolVersions();
  console.log(
    `core-rv32 (${values.quick ? 'quick' : 'full'}): ${m.cpu}, ${m.cores} cores, Node ${m.node}, commit ${gitCommit()}\n${v.gcc}; ${v.qemu}`,
  );
  const t0 = performance.now();
  try {
    const rows = await run({ quick: values.quick });
    printTable(`${title} [${((performance.now() - t0) / 1000).toFixed(1)} s]`, rows);
    for (const r of rows) await appendResult('core-rv32', r);
  } catch (err) {
    console.error(`core-rv32: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  }
}
