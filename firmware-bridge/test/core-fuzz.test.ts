// Proof 6 of issue 12: the C core under libFuzzer (Debian clang, -fsanitize=fuzzer,address,undefined).
// Each target in core/fuzz/ is built against the generated protocol header and run for a bounded time
// (BLESHARK_FUZZ_SECONDS each, 15 by default: about a minute for all) from a corpus seeded with the
// golden fixtures and the real captures; corpus and artifacts live in a temporary folder. A crash, a
// sanitizer report or a failed invariant fails the test with the reproducer's path and bytes (kept in
// the temporary folder). Longer runs: core/fuzz/README.md. Outside CI a missing clang / libFuzzer skips
// with one line; under CI=true it fails.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCompiler } from '../src/core-host/build-core-host.js';
import { CORE_DIR, CORE_FLAGS, type CoreBuild, coreBuildDir } from './core-build.js';
import { dictionary, FUZZ_TARGETS, type FuzzTarget, seedCorpus } from './core-fuzz-corpus.js';

const SECONDS = Number(process.env.BLESHARK_FUZZ_SECONDS ?? 15);
/** A folder of your own to keep each target's corpus in between runs (BLESHARK_FUZZ_CORPUS); else a temporary one. */
const KEEP_CORPUS = process.env.BLESHARK_FUZZ_CORPUS;

/** True when clang links a libFuzzer program with ASan and UBSan (clang + libclang-rt-dev). */
function hasLibFuzzer(): boolean {
  if (!hasCompiler('clang')) return false;
  const dir = mkdtempSync(join(tmpdir(), 'bleshark-fuzz-probe-'));
  try {
    writeFileSync(
      join(dir, 'probe.c'),
      '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\n' +
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n',
    );
    // clang is there: only a failed link (no libclang-rt-dev) means no libFuzzer; a spawn the busy
    // machine refused (r.error) is tried again.
    for (let attempt = 0; ; attempt++) {
      const r = spawnSync('clang', ['-fsanitize=fuzzer,address,undefined', 'probe.c', '-o', 'probe'], {
        cwd: dir,
      });
      if (!r.error || attempt === 4) return r.status === 0;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HAS_FUZZER = hasLibFuzzer();
if (!HAS_FUZZER) {
  if (process.env.CI === 'true')
    throw new Error(
      'clang with libFuzzer is required under CI=true (Debian packages: clang libclang-rt-dev)',
    );
  console.warn(
    'skipping the C core fuzz targets: clang/libFuzzer not found (Debian packages: clang libclang-rt-dev)',
  );
}

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs a program to its end (bounded by killAfterMs: then it is killed by its pid). */
function run(cmd: string, args: string[], cwd: string, killAfterMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout = (stdout + d.toString()).slice(-20_000);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-200_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// The core's warning flags; the harness is built without coverage instrumentation (its oracles would
// only add noise to libFuzzer's guidance), the core with it.
const WARN = CORE_FLAGS.filter((f) => !f.startsWith('-fsanitize'));
const SANITIZE = ['-fsanitize=address,undefined'];

let build: CoreBuild | undefined;
const binaries = new Map<FuzzTarget, string>();

async function compile(args: string[], cwd: string): Promise<void> {
  const r = await run('clang', args, cwd, 240_000);
  if (r.code !== 0) throw new Error(`clang ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
}

beforeAll(async () => {
  if (!HAS_FUZZER) return;
  build = await coreBuildDir();
  const dir = build.dir;
  const include = ['-I', join(CORE_DIR, 'include'), '-I', dir];
  const src = join(CORE_DIR, 'src');
  const objects: string[] = [];
  for (const f of (await readdir(src)).filter((n) => n.endsWith('.c')).sort()) {
    const o = join(dir, `core-${basename(f, '.c')}.o`);
    await compile(
      [...WARN, '-O1', ...SANITIZE, '-fsanitize=fuzzer-no-link', ...include, '-c', join(src, f), '-o', o],
      dir,
    );
    objects.push(o);
  }
  for (const t of FUZZ_TARGETS) {
    const o = join(dir, `fuzz-${t}.o`);
    const exe = join(dir, `fuzz-${t}`);
    await compile(
      [...WARN, '-O1', ...SANITIZE, ...include, '-c', join(CORE_DIR, 'fuzz', `fuzz-${t}.c`), '-o', o],
      dir,
    );
    await compile(['-fsanitize=fuzzer,address,undefined', o, ...objects, '-lm', '-o', exe], dir);
    binaries.set(t, exe);
  }
}, 600_000);

afterAll(async () => {
  await build?.dispose();
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The reproducers libFuzzer left (crash-, leak-, timeout-, oom-), copied to a folder that is kept. */
async function reproducers(artifacts: string, target: FuzzTarget): Promise<string> {
  const found = (await readdir(artifacts)).filter((n) => /^(crash|leak|timeout|oom)-/.test(n));
  if (found.length === 0) return '(no reproducer written)';
  const keep = await mkdtemp(join(tmpdir(), `bleshark-fuzz-${target}-crash-`));
  const lines: string[] = [];
  for (const name of found) {
    const to = join(keep, name);
    await copyFile(join(artifacts, name), to);
    const bytes = new Uint8Array(await readFile(to));
    lines.push(
      `${to} (${bytes.length} bytes): ${hex(bytes.subarray(0, 2048))}${bytes.length > 2048 ? '...' : ''}`,
    );
  }
  return lines.join('\n');
}

/** The lines of libFuzzer's output that say what failed. */
function why(stderr: string): string {
  const keep = stderr
    .split('\n')
    .filter((l) =>
      /fuzz invariant failed|ERROR:|SUMMARY:|runtime error|#\d+ 0x[0-9a-f]+ in (?!fuzzer::|__)/.test(l),
    );
  return keep.slice(0, 30).join('\n');
}

describe.skipIf(!HAS_FUZZER)('the C core under libFuzzer (bounded run, 0 crashes)', () => {
  for (const target of FUZZ_TARGETS)
    it(`fuzz-${target}: ${SECONDS} s from the seeded corpus without a crash`, {
      timeout: SECONDS * 1000 + 120_000,
    }, async () => {
      const exe = binaries.get(target);
      if (!build || !exe) throw new Error('the fuzz targets were not built');
      const corpus = KEEP_CORPUS ? join(KEEP_CORPUS, target) : join(build.dir, `corpus-${target}`);
      const artifacts = join(build.dir, `artifacts-${target}`);
      await mkdir(corpus, { recursive: true });
      await mkdir(artifacts);
      const seeds = await seedCorpus(target, corpus);
      const dict = join(build.dir, `${target}.dict`);
      await writeFile(dict, dictionary(target));
      const r = await run(
        exe,
        [
          `-max_total_time=${SECONDS}`,
          '-rss_limit_mb=1024',
          '-timeout=10',
          '-print_final_stats=1',
          `-dict=${dict}`,
          `-artifact_prefix=${artifacts}/`,
          corpus,
        ],
        build.dir,
        SECONDS * 1000 + 90_000,
      );
      const done = /Done (\d+) runs in (\d+) second/.exec(r.stderr);
      if (r.code !== 0 || !done) {
        throw new Error(
          `fuzz-${target} failed (exit ${r.code}) after ${seeds} seeds:\n${why(r.stderr)}\nreproducer:\n${await reproducers(artifacts, target)}\n` +
            `replay it with: ${exe} <file>  (the build folder is removed after the run; rebuild as core/fuzz/README.md says)`,
        );
      }
      console.log(
        `fuzz-${target}: ${Number(done[1]).toLocaleString('en')} executions in ${done[2]} s from ${seeds} seeds, 0 crashes`,
      );
      expect(Number(done[1])).toBeGreaterThan(0);
      if (!KEEP_CORPUS) await rm(corpus, { recursive: true, force: true });
    });
});
