// Where a figure was measured: the machine, Node and the git commit; and the results log.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

export function gitCommit() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return 'unknown';
  }
}

/** Appends one JSON line {date, machine, commit, mode, figures} to bench/results/<name>.jsonl. */
export async function appendResult(name, figures, mode = process.env.BENCH_MODE ?? 'full') {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const line = {
    date: new Date().toISOString(),
    name,
    mode,
    machine: machine(),
    commit: gitCommit(),
    figures,
  };
  appendFileSync(`${RESULTS_DIR}${name}.jsonl`, `${JSON.stringify(line)}\n`);
}
