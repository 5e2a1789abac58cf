#!/usr/bin/env node
// `npm run bench` runs the benchmarks (the six of issue 7, issue 13's new-device latency and the C core on RV32) in one go; `npm run bench -- --quick` is the short
// version (under 2 minutes). `--only NAME` (repeatable) picks benchmarks by file name. Each prints a table
// and appends one JSON line per row to bench/results/<name>.jsonl. Loopback only.
import { parseArgs } from 'node:util';
import { ensureBuilt } from './lib/build.mjs';
import { appendResult, gitCommit, machine } from './lib/machine.mjs';
import { printTable } from './lib/stats.mjs';

const BENCHMARKS = [
  'wire-cost',
  'latency',
  'new-device',
  'render',
  'fanout',
  'page-size',
  'checker',
  'core-rv32',
];

const USAGE = `Usage: node bench/run.mjs [--quick] [--only NAME]...

Runs the benchmarks (building missing or stale dist/ first), prints a table each and appends one JSON line
per row to bench/results/NAME.jsonl. Loopback only.

  --quick       shorter windows (under 2 minutes for all)
  --only NAME   run only this benchmark; repeat to add (${BENCHMARKS.join(', ')})
  -h, --help    show this help

Exit codes: 0 every benchmark ran; 1 one failed; 2 bad option.`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (see --help)`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const quick = values.quick;
const only = values.only ?? [];
const unknown = only.filter((o) => !BENCHMARKS.includes(o));
if (unknown.length) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')}`);
  process.exit(2);
}
process.env.BENCH_MODE = quick ? 'quick' : 'full';
const hardStop = setTimeout(
  () => {
    console.error('bench: took too long, stopping');
    process.exit(1);
  },
  (quick ? 4 : 30) * 60_000,
);
hardStop.unref();

await ensureBuilt();
const m = machine();
console.log(
  `bench (${quick ? 'quick' : 'full'}): ${m.cpu}, ${m.cores} cores, ${m.memGB} GB, Node ${m.node}, commit ${gitCommit()}`,
);
const t0 = performance.now();
let failed = 0;
for (const name of BENCHMARKS) {
  if (only.length && !only.includes(name)) continue;
  const started = performance.now();
  const mod = await import(`./benchmarks/${name}.mjs`);
  try {
    const rows = await mod.run({ quick });
    printTable(`${mod.title} [${((performance.now() - started) / 1000).toFixed(1)} s]`, rows);
    for (const row of rows) await appendResult(name, row);
  } catch (err) {
    failed++;
    console.error(
      `\n## ${mod.title}\nFAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
}
console.log(
  `\nbench: done in ${((performance.now() - t0) / 1000).toFixed(1)} s${failed ? `, ${failed} failed` : ''}`,
);
process.exit(failed ? 1 : 0);
