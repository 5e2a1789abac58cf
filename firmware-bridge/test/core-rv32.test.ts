// The C core on the Nano's instruction set: cross-compiled for RV32IMC (ilp32, -Os, picolibc) and run
// under qemu-system-riscv32 with semihosting, it replays a real HCI capture's advertising reports into the
// device table; the table it ends with must be the one the host build (gcc, ASan + UBSan) ends with for
// the same replay. Correctness only: the instruction counts and sizes are in bench/core-rv32.mjs.
// Outside CI a missing cross toolchain or QEMU skips with one line naming the Debian packages; under
// CI=true it fails.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDir,
  CAPTURE,
  captureReports,
  DEBIAN_PACKAGES,
  footprint,
  hasSessionCore,
  headerLimit,
  missingToolchain,
  type Report,
  replayBoth,
  sessionBoth,
} from '../core/rv32/rv32-build.mjs';
import { writeProtocolHeader } from '../src/header/protocol-header.js';
import { SANITIZER_ENV } from './core-build.js';

const missing = missingToolchain();
const HAVE_CAPTURE = existsSync(CAPTURE);
if (missing.length) {
  if (process.env.CI === 'true')
    throw new Error(
      `the RV32 core test needs ${missing.join(', ')} under CI=true (Debian: ${DEBIAN_PACKAGES} gcc)`,
    );
  console.warn(
    `skipping the RV32 core test: ${missing.join(', ')} not found (Debian: ${DEBIAN_PACKAGES} gcc)`,
  );
} else if (!HAVE_CAPTURE) {
  if (process.env.CI === 'true') throw new Error(`the RV32 core test needs the capture ${CAPTURE}`);
  console.warn(`skipping the RV32 core test: no capture at ${CAPTURE} (the ../shared/data folder)`);
}
const RUN = missing.length === 0 && HAVE_CAPTURE;
// The session API (bsk_core_*) is tested once core/src implements it.
const HAVE_CORE = RUN && (await hasSessionCore());

const SANITIZE = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all'];

let build: { dir: string; dispose: () => Promise<void> } | undefined;
let reports: Report[] = [];
let maxDevices = 0;
beforeAll(async () => {
  if (!RUN) return;
  build = await buildDir(writeProtocolHeader);
  reports = await captureReports();
  maxDevices = await headerLimit(build.dir, 'BLESHARK_NANO_MAX_DEVICES');
}, 60_000);
afterAll(async () => {
  await build?.dispose();
});

const key = (r: Report) => `${r.addr.join(',')}/${r.addrType}`;

describe.skipIf(!RUN)('the C core on RV32IMC under QEMU', { timeout: 180_000 }, () => {
  it('replays the capture into the same device table as the host build', async () => {
    expect(reports.length).toBeGreaterThan(0);
    const { rv32, host } = await replayBoth(
      build!.dir,
      reports,
      { rounds: 1, maxDevices },
      { hostFlags: SANITIZE, hostEnv: SANITIZER_ENV },
    );
    expect(rv32.status, rv32.stderr).toBe(0);
    expect(host?.status, host?.stderr).toBe(0);
    expect(rv32.parsed.ended).toBe(true);
    expect(rv32.parsed.digest).toEqual(host?.parsed.digest);
    // One device per address + type in the capture; every report was counted on the RV32 side.
    const devices = new Set(reports.map(key)).size;
    expect(rv32.parsed.digest[0]).toBe(`digest devices=${devices} evicted=0 refused=0 next=${devices + 1}`);
    expect(rv32.parsed.digest).toHaveLength(devices + 1);
    expect(rv32.parsed.costs).toHaveLength(reports.length);
    expect(rv32.parsed.costs.every((c) => c.instructions > 0)).toBe(true);
    // The layout the header promises on a 32-bit target.
    expect(rv32.parsed.sizeofDevice).toBe(96);
  });

  it('fills and evicts at the Nano maxDevices the same way as the host build', async () => {
    const rounds = Math.ceil((maxDevices * 1.5) / new Set(reports.map(key)).size);
    const { rv32, host } = await replayBoth(
      build!.dir,
      reports,
      { rounds, rename: true, maxDevices },
      { hostFlags: SANITIZE, hostEnv: SANITIZER_ENV },
    );
    expect(rv32.status, rv32.stderr).toBe(0);
    expect(host?.status, host?.stderr).toBe(0);
    expect(rv32.parsed.ended).toBe(true);
    expect(rv32.parsed.digest).toEqual(host?.parsed.digest);
    const head = /^digest devices=(\d+) evicted=(\d+)/.exec(rv32.parsed.digest[0] ?? '');
    expect(Number(head?.[1])).toBe(maxDevices);
    expect(Number(head?.[2])).toBeGreaterThan(0);
    expect(rv32.parsed.costs).toHaveLength(reports.length * rounds);
  });

  it.skipIf(!HAVE_CORE)('serves clients the same frames, byte for byte, as the host build', async () => {
    // New devices every round (the table fills), 2 ms apart so batches fill up; all clients but the first
    // filter by RSSI, so they get different frames.
    const rounds = 4;
    const { rv32, host } = await sessionBoth(
      build!.dir,
      reports,
      { rounds, rename: true, maxDevices, gapMs: 2 },
      { hostFlags: SANITIZE, hostEnv: SANITIZER_ENV, filter: true },
    );
    expect(rv32.status, `${rv32.stderr}${rv32.parsed.closes.join('\n')}`).toBe(0);
    expect(host?.status, host?.stderr).toBe(0);
    expect(rv32.parsed.ended).toBe(true);
    expect(rv32.parsed.closes).toEqual([]);
    expect(rv32.parsed.comparable).toEqual(host?.parsed.comparable);
    const types = new Set(rv32.parsed.frames.map((f) => f.type));
    for (const t of ['hello', 'snapshot', 'ack', 'batch']) expect(types).toContain(t);
    expect(rv32.parsed.adverts).toHaveLength(reports.length * rounds);
  });

  it('links what a firmware links, with and without the core (for the benchmark)', async () => {
    const f = await footprint(build!.dir, { haveCore: HAVE_CORE });
    expect(f.delta.text).toBeGreaterThan(0);
    expect(f.own.text).toBeGreaterThan(0);
    expect(f.own.text + f.own.rodata).toBeLessThanOrEqual(f.delta.text + f.delta.rodata);
    expect(f.delta.bss).toBeGreaterThanOrEqual(maxDevices * 96);
  });
});
