// Builds firmware-bridge/core with the machine's gcc (C11, every warning an error, ASan + UBSan) against
// the protocol header generated into a temporary folder, for the core's tests. Outside CI a missing gcc
// skips those tests with one line; under CI=true it fails.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasCompiler } from '../src/core-host/build-core-host.js';
import { writeProtocolHeader } from '../src/header/protocol-header.js';

export const CORE_DIR = fileURLToPath(new URL('../core/', import.meta.url));

// hasCompiler retries a spawn the busy machine refused (EAGAIN): only ENOENT means gcc is missing.
export const HAS_GCC = hasCompiler('gcc');
if (!HAS_GCC) {
  if (process.env.CI === 'true') throw new Error('gcc is required under CI=true (Debian package: gcc)');
  console.warn('skipping the C core tests: gcc not found (Debian package: gcc)');
}

export const CORE_FLAGS = [
  '-std=c11',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-Wconversion',
  '-Wpedantic',
  '-g',
  '-fsanitize=address,undefined',
  '-fno-sanitize-recover=all',
];

export type CoreBuild = { dir: string; dispose: () => Promise<void> };

/** A temporary folder holding the generated bleshark_protocol.h. */
export async function coreBuildDir(): Promise<CoreBuild> {
  const dir = await mkdtemp(join(tmpdir(), 'bleshark-core-'));
  await writeProtocolHeader(dir);
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Compiles the core's sources plus `extra` (paths inside core/) into `dir/name`; returns its path. */
export async function buildCoreProgram(dir: string, name: string, extra: string[]): Promise<string> {
  const src = join(CORE_DIR, 'src');
  const sources = (await readdir(src)).filter((f) => f.endsWith('.c')).map((f) => join(src, f));
  const out = join(dir, name);
  const args = [
    ...CORE_FLAGS,
    '-I',
    join(CORE_DIR, 'include'),
    '-I',
    dir,
    ...sources,
    ...extra.map((f) => join(CORE_DIR, f)),
    '-o',
    out,
  ];
  const r = spawnSync('gcc', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc failed:\n${r.stderr}${r.stdout}`);
  return out;
}

/** Environment for a sanitizer build: any report fails the run. */
export const SANITIZER_ENV = {
  ...process.env,
  ASAN_OPTIONS: 'abort_on_error=0:halt_on_error=1:detect_leaks=1',
  UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
};
