import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file whose package.json declares workspaces. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && readFileSync(pkg, 'utf8').includes('"workspaces"')) return dir;
    const up = dirname(dir);
    if (up === dir) return join(dirname(fileURLToPath(import.meta.url)), '../..');
    dir = up;
  }
}

/** `<repo root>/../shared/data`: real test data that is read in place, never copied into the repo. */
export const SHARED_DATA_DIR = join(repoRoot(), '..', 'shared', 'data');

/** Absolute path of `../shared/data/<rel>`, or undefined when the file is not there. */
export function sharedDataPath(rel: string): string | undefined {
  const p = join(SHARED_DATA_DIR, rel);
  return existsSync(p) ? p : undefined;
}

/** Why a test that needs `rel` is skipped; use it in the describe/it title. */
export const missingSharedData = (rel: string): string =>
  `skipped: needs ../shared/data/${rel} (looked in ${SHARED_DATA_DIR})`;

/**
 * Path of a shared data file for a test. When it is absent this throws under CI=true (so CI can
 * never pass by skipping) and otherwise returns undefined so the caller can skip with
 * `describe.skipIf(!path)(path ? title : missingSharedData(rel), ...)`.
 */
export function requireSharedData(rel: string): string | undefined {
  const p = sharedDataPath(rel);
  if (!p && process.env.CI === 'true') throw new Error(missingSharedData(rel).replace('skipped', 'missing'));
  return p;
}

/** Parsed JSON of a shared data file, or undefined when absent (see requireSharedData). */
export function readSharedJson<T>(rel: string): T | undefined {
  const p = requireSharedData(rel);
  return p === undefined ? undefined : (JSON.parse(readFileSync(p, 'utf8')) as T);
}
