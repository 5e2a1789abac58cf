// Builds `bleshark-core-host` (core/host/core-host.c: the C core behind a stdio protocol, for the
// simulator's `--core PATH`) with the machine's gcc: C11, every warning an error, against the protocol
// header generated into a temporary folder (never a hand-copied one). `sanitize` adds ASan + UBSan, every
// report fatal: what the tests run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeProtocolHeader } from '../header/protocol-header.js';
import { ensureDir } from '../write-if-changed.js';

/** firmware-bridge/core, found from this file (src/core-host or dist/core-host). */
export const CORE_SOURCE_DIR = fileURLToPath(new URL('../../core/', import.meta.url));

/** The harness's file name in `out`. */
export const CORE_HOST_NAME = 'bleshark-core-host';

/** The Debian packages the build needs. */
export const CORE_HOST_PACKAGES =
  'gcc (and libasan / libubsan, which Debian installs with gcc, for --sanitize)';

/** The warnings of every build of the core (firmware-bridge/core's rule). */
export const CORE_HOST_WARNINGS = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-Wconversion', '-Wpedantic'];

/** What a sanitizer build adds: any report ends the program. */
export const CORE_HOST_SANITIZE = [
  '-g',
  '-O1',
  '-fno-omit-frame-pointer',
  '-fsanitize=address,undefined',
  '-fno-sanitize-recover=all',
];

export type CoreHostBuildOptions = {
  /** The folder to write the program into (created when missing). */
  out: string;
  /** Build with ASan + UBSan. Default false (-O2). */
  sanitize?: boolean;
  /** The compiler. Default `gcc`. */
  cc?: string;
};

export type CoreHostBuild = { path: string; sanitize: boolean; args: string[] };

/** gcc could not be run, or refused the sources: the message is one paragraph for the user. */
export class CoreHostBuildError extends Error {
  override name = 'CoreHostBuildError';
}

/**
 * True when `cc --version` runs. Only a compiler that is not there (ENOENT) or that fails counts as
 * missing: a spawn refused for a moment (EAGAIN, ENOMEM on a loaded machine) is tried again.
 */
export function hasCompiler(cc = 'gcc'): boolean {
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = spawnSync(cc, ['--version'], { stdio: 'ignore' });
    if (!r.error) return r.status === 0;
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') return false;
  }
  return false;
}

/** Builds the harness into `out`; resolves with its path, rejects with a CoreHostBuildError. */
export async function buildCoreHost(options: CoreHostBuildOptions): Promise<CoreHostBuild> {
  const cc = options.cc ?? 'gcc';
  const sanitize = options.sanitize === true;
  if (!hasCompiler(cc))
    throw new CoreHostBuildError(`${cc} not found: install it (Debian package: ${CORE_HOST_PACKAGES})`);
  const out = resolve(options.out);
  await ensureDir(out);
  const headerDir = await mkdtemp(join(tmpdir(), 'bleshark-core-host-'));
  try {
    await writeProtocolHeader(headerDir);
    const srcDir = join(CORE_SOURCE_DIR, 'src');
    const sources = (await readdir(srcDir))
      .filter((f) => f.endsWith('.c'))
      .sort()
      .map((f) => join(srcDir, f));
    const path = join(out, CORE_HOST_NAME);
    const args = [
      ...CORE_HOST_WARNINGS,
      ...(sanitize ? CORE_HOST_SANITIZE : ['-O2']),
      '-I',
      join(CORE_SOURCE_DIR, 'include'),
      '-I',
      headerDir,
      ...sources,
      join(CORE_SOURCE_DIR, 'host', 'core-host.c'),
      '-o',
      path,
    ];
    const r = await run(cc, args);
    if (r.code !== 0)
      throw new CoreHostBuildError(`${cc} failed (exit ${r.code}):\n${r.output.trimEnd().slice(-8000)}`);
    return { path, sanitize, args };
  } finally {
    await rm(headerDir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', (e) => done({ code: -1, output: e.message }));
    child.on('close', (code) => done({ code: code ?? -1, output }));
  });
}
