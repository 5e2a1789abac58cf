// The C core's harness for the simulator's `--core` tests: built once per test file with ASan + UBSan
// (every report fatal) into a temporary folder, by the bridge's own builder. Outside CI a missing gcc
// skips those tests with one line; under CI=true it fails.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCoreHost, hasCompiler } from '../../firmware-bridge/src/core-host/build-core-host.js';

export const HAS_GCC = hasCompiler();
if (!HAS_GCC) {
  if (process.env.CI === 'true') throw new Error('gcc is required under CI=true (Debian package: gcc)');
  console.warn('skipping the simulator --core tests: gcc not found (Debian package: gcc)');
}

/** Environment of a sanitizer build: a report ends the harness (non-zero) and leaks are looked for. */
export const CORE_SANITIZER_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  ASAN_OPTIONS: 'abort_on_error=0:halt_on_error=1:detect_leaks=1',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
};

export type BuiltCoreHost = { path: string; dispose: () => Promise<void> };

/** Builds bleshark-core-host with the sanitizers into a temporary folder. */
export async function sanitizedCoreHost(): Promise<BuiltCoreHost> {
  const dir = await mkdtemp(join(tmpdir(), 'bleshark-sim-core-'));
  try {
    const built = await buildCoreHost({ out: dir, sanitize: true });
    return { path: built.path, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
