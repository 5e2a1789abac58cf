// One minute of the soak run (`npm run soak` runs it longer): steady load with client churn and a pausing
// client on the nano profile; the heap after a full GC must stay flat.

import { startSimulator } from '@bleshark/simulator';
import { expect, it } from 'vitest';
import { soak } from '../lib/soak-core.mjs';

/** Heap after warm-up vs at the end (both after a full GC) may differ by at most this much. */
const HEAP_BOUND_MB = 30;
const WARM_UP_S = 15;

it(`keeps the heap flat within ${HEAP_BOUND_MB} MB over one minute of load and client churn`, {
  timeout: 120_000,
}, async () => {
  const { samples, stats } = await soak({ startSimulator, durationMs: 60_000, sampleMs: 5000 });
  console.info(
    samples.map((s) => `${s.s}s heap ${s.heapMB} MB rss ${s.rssMB} MB devices ${s.devices}`).join('\n'),
  );
  const warm = samples.find((s) => s.s >= WARM_UP_S)!;
  const last = samples[samples.length - 1]!;
  expect(samples.length).toBeGreaterThanOrEqual(10);
  expect(last.heapMB - warm.heapMB).toBeLessThan(HEAP_BOUND_MB);
  expect(stats.churned).toBeGreaterThanOrEqual(20);
  expect((stats.closes as Record<number, number>)[1013] ?? 0).toBe(0);
  expect(last.frames).toBeGreaterThan(1000);
});
