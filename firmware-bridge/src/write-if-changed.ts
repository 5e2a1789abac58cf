// Output files are rewritten only when their bytes change, so a firmware build that depends on them
// (make, CMake, PlatformIO) recompiles nothing after a pack that changed nothing.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What happened to one output file. */
export type WriteOutcome = 'created' | 'changed' | 'unchanged';

export type WrittenFile = { readonly path: string; readonly outcome: WriteOutcome };

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Writes `bytes` to `file` unless it already holds exactly them (its mtime is then left alone). The new
 * content goes to a temporary file beside it first and is renamed over, so a reader never sees half a file.
 */
export async function writeIfChanged(file: string, bytes: Uint8Array): Promise<WriteOutcome> {
  const old = await readIfExists(file);
  if (old?.equals(bytes)) return 'unchanged';
  await mkdir(dirname(file), { recursive: true });
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
