// Builds the C core's device table tests (core/test/table-test.c) under ASan + UBSan and runs them:
// ids in order, first/last/count, address + address type as the key, the scan response merged into its
// advertisement, refused payloads, eviction of the stalest at maxDevices, churn at the Nano's size.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoreProgram, type CoreBuild, coreBuildDir, HAS_GCC, SANITIZER_ENV } from './core-build.js';

let build: CoreBuild | undefined;
let unit = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  build = await coreBuildDir();
  unit = await buildCoreProgram(build.dir, 'table-test', ['test/table-test.c']);
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
