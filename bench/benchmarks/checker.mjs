// 6. Conformance checker run time: `bleshark-bridge check` (checkCommand) against a simulator on
// loopback, nano and open profiles.
import { existsSync } from 'node:fs';
import { batchOf } from '../lib/hello.mjs';
import { ROOT } from '../lib/machine.mjs';
import { quantile, round } from '../lib/stats.mjs';

export const title = '6. Conformance checker run time against the simulator';

export async function run({ quick }) {
  const cmdPath = `${ROOT}firmware-bridge/dist/check/command.js`;
  if (!existsSync(cmdPath))
    return [{ note: 'firmware-bridge/dist/check/command.js missing: checker not built' }];
  const { checkCommand } = await import(cmdPath);
  const { startSimulator } = await import('@bleshark/simulator');
  const rows = [];
  for (const profile of quick ? ['nano'] : ['nano', 'open']) {
    // The profile's batch interval from a hello, on a simulator of its own (the timed runs see no extra client).
    const probe = await startSimulator({
      source: 'demo',
      profile,
      port: 0,
      logLevel: 'error',
      log: () => {},
    });
    const batch = await batchOf(probe.wsUrl)
      .catch(() => '?')
      .finally(() => probe.close());
    const times = [];
    let summary = '';
    let failed = [];
    const runs = quick ? 1 : 3;
    for (let i = 0; i < runs; i++) {
      const sim = await startSimulator({
        source: 'demo',
        profile,
        port: 0,
        logLevel: 'error',
        log: () => {},
      });
      const out = [];
      const t0 = performance.now();
      let code;
      try {
        code = await checkCommand([sim.wsUrl], { out: (l) => out.push(l), err: (l) => out.push(l) });
      } finally {
        times.push(performance.now() - t0);
        await sim.close();
      }
      summary = out.find((l) => /passed/.test(l) && /failed/.test(l)) ?? `exit ${code}`;
      failed = out.filter((l) => /^\s*fail\b/i.test(l)).map((l) => l.trim().split(/\s+/)[1]);
    }
    rows.push({
      profile,
      batch,
      runs,
      medianMs: round(quantile(times, 0.5), 0),
      maxMs: round(Math.max(...times), 0),
      result: summary.trim(),
      ...(failed.length ? { failedChecks: failed.join(', ') } : {}),
    });
  }
  return rows;
}
