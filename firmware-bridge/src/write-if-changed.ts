// Output files are rewritten only when their bytes change, so a firmware build that depends on them
// (make, CMake, PlatformIO) recompiles nothing after a pack that changed nothing.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** What happened to one output file. */
export type WriteOutcome = 'created' | 'changed' | 'unchanged';

export type WrittenFile = { readonly path: string; readonly outcome: WriteOutcome };

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}

const codeOf = (e: unknown) => (e as NodeJS.ErrnoException).code;

/**
 * Creates `dir` and its missing parents one level at a time. Not `mkdir(dir, { recursive: true })`: on
 * Node 20 that spins forever at full CPU under a path it cannot create (`/proc/x`), where this fails at once
 * with the error of the level that could not be made.
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); ; ) {
    try {
      if ((await stat(d)).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, '${d}'`), { code: 'ENOTDIR' });
    } catch (e) {
      if (codeOf(e) !== 'ENOENT') throw e;
      missing.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (e) {
      if (codeOf(e) !== 'EEXIST') throw e;
    }
  }
}

/**
 * Writes `bytes` to `file` unless it already holds exactly them (its mtime is then left alone). The new
 * content goes to a temporary file beside it first and is renamed over, so a reader never sees half a file.
 */
export async function writeIfChanged(file: string, bytes: Uint8Array): Promise<WriteOutcome> {
  const old = await readIfExists(file);
  if (old?.equals(bytes)) return 'unchanged';
  await ensureDir(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  return old ? 'changed' : 'created';
}

/** Writes every `relative path -> bytes` entry under `dir` in sorted order; returns what happened to each. */
export async function writeAllIfChanged(
  dir: string,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<WrittenFile[]> {
  const out: WrittenFile[] = [];
  for (const path of [...files.keys()].sort()) {
    out.push({ path, outcome: await writeIfChanged(join(dir, path), files.get(path) as Uint8Array) });
  }
  return out;
}
