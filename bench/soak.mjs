#!/usr/bin/env node
// `npm run soak -- --minutes N`: the soak run against the built simulator, printing memory over time and
// appending the samples to bench/results/soak.jsonl. Not part of CI (the reliability suite runs 1 minute).
import { parseArgs } from 'node:util';
import { ensureBuilt } from './lib/build.mjs';
import { appendResult } from './lib/machine.mjs';
import { soak } from './lib/soak-core.mjs';
import { printTable } from './lib/stats.mjs';

const USAGE =
  'usage: npm run soak -- [--minutes N]  (default 10, at most 1440; appends to bench/results/soak.jsonl)';
let values;
try {
  ({ values } = parseArgs({
    options: { minutes: { type: 'string', default: '10' }, help: { type: 'boolean', short: 'h' } },
  }));
} catch (err) {
  console.error(`soak: ${err instanceof Error ? err.message : err}; ${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const minutes = Number(values.minutes);
if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
  console.error('soak: --minutes must be a number in (0, 1440]');
  process.exit(2);
}
await ensureBuilt(['simulator']);
const { startSimulator } = await import('@bleshark/simulator');
console.log(
  `soak: ${minutes} min, nano profile, demo 1,000 adverts/s over 1,500 devices, 2 steady clients, churn every 2 s, a 3 s pause every 10 s`,
);
const { samples, stats } = await soak({
  startSimulator,
  durationMs: minutes * 60_000,
  sampleMs: Math.max(5000, Math.round((minutes * 60_000) / 60)),
  onSample: (s) =>
    console.log(
      `${String(s.s).padStart(6)} s  heap ${s.heapMB} MB  rss ${s.rssMB} MB  devices ${s.devices}  frames ${s.frames}`,
    ),
});
printTable('Soak: memory over time (heap after a full GC)', samples);
const warm = samples.find((s) => s.s >= 15) ?? samples[0];
const last = samples[samples.length - 1];
const figures = {
  minutes,
  heapWarmMB: warm.heapMB,
  heapEndMB: last.heapMB,
  heapDeltaMB: +(last.heapMB - warm.heapMB).toFixed(1),
  rssEndMB: last.rssMB,
  churned: stats.churned,
  closes: stats.closes,
};
console.log(JSON.stringify(figures));
await appendResult('soak', figures);
