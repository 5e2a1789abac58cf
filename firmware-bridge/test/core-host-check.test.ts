// `bleshark-bridge check` against the simulator running the C core (`--core`, the harness under ASan +
// UBSan): the conformance checker's every check passes, and the harness reports nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCoreSimulator } from '@bleshark/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import type { CommandIo } from '../src/command.js';
import { buildCoreHost } from '../src/core-host/build-core-host.js';
import { HAS_GCC, SANITIZER_ENV } from './core-build.js';

let dir = '';
let harness = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  dir = await mkdtemp(join(tmpdir(), 'bleshark-core-check-'));
  harness = (await buildCoreHost({ out: dir, sanitize: true })).path;
}, 240_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!HAS_GCC)('bleshark-bridge check against --core', () => {
  it('passes every check and the harness says nothing', async () => {
    const sim = await startCoreSimulator({
      core: harness,
      coreEnv: SANITIZER_ENV,
      source: 'demo',
      seed: 7,
      // The demo at its own rate: adverts stream in throughout, also while app.clear waits for its
      // `snapshot {reason: clear}`, which the core sends empty (decided at the clear) all the same.
      host: '127.0.0.1',
      port: 0,
      log: () => {},
    });
    const out: string[] = [];
    const err: string[] = [];
    const io: CommandIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
    try {
      const code = await runCli(['check', sim.wsUrl], io);
      expect(out.filter((l) => l.startsWith('fail'))).toEqual([]);
      expect(out.at(-1)).toMatch(/^\d+ passed, 0 failed/);
      expect(err).toEqual([]);
      expect(code).toBe(0);
    } finally {
      await sim.close();
    }
    expect(sim.core.stderr).toBe('');
    expect(sim.core.exited).toMatchObject({ code: 0, signal: null });
  }, 120_000);
});
