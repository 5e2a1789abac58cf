// Whether two paths name the same file: `--record` must never truncate the file that is being replayed.
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Symbolic links followed at most while resolving a path whose target does not exist yet. */
const MAX_LINKS = 40;

/**
 * The absolute path `file` names with every symbolic link followed. A file that does not exist yet
 * resolves through its folder (and a dangling link to where it points), so `x`, `./x`, `dir/../x` and a
 * link to `x` all give the same answer whether or not `x` exists.
 */
export function resolvedPath(file: string, links = 0): string {
  const abs = resolve(file);
  try {
    return realpathSync(abs);
  } catch {}
  if (links < MAX_LINKS) {
    try {
      if (lstatSync(abs).isSymbolicLink())
        return resolvedPath(resolve(dirname(abs), readlinkSync(abs)), links + 1);
    } catch {}
  }
  const parent = dirname(abs);
  return parent === abs ? abs : join(resolvedPath(parent, links), basename(abs));
}

/** True when `a` and `b` are the same file: the same device and inode when both exist, else the same resolved path. */
export function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return resolvedPath(a) === resolvedPath(b);
  }
}
