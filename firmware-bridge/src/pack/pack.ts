// `bleshark-bridge pack`: read the built page, build the bundle model, check the budget, write what changed.
import { readdir, unlink } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { PROTOCOL_VERSION, SCHEMA_HASH } from '@bleshark/shared-protocol';
import { REPO_ROOT } from '../repo-paths.js';
import { type WrittenFile, writeAllIfChanged } from '../write-if-changed.js';
import { readInputDir } from './input-files.js';
import { DATA_DIR, packOutputs } from './pack-outputs.js';
import { budgetProblem, buildWebBundle, type ProtocolIdentity, sizeLine } from './web-bundle.js';

export type PackOptions = {
  /** The built page folder. */
  readonly input: string;
  /** Where the outputs go (created when missing). */
  readonly out: string;
  /** Most gzip bytes the page may take. */
  readonly budget: number;
  /** The protocol written into the outputs; default: shared-protocol's PROTOCOL_VERSION and SCHEMA_HASH. */
  readonly protocol?: ProtocolIdentity;
};

export type PackReport = {
  readonly ok: boolean;
  /** The size line, when the page could be read. */
  readonly size?: string;
  /** Why it failed. */
  readonly problem?: string;
  /** Every output with what happened to it (empty when nothing was written). */
  readonly written: readonly WrittenFile[];
  /** Stale `data/*.gz` files (from assets that no longer exist) that were deleted. */
  readonly removed: readonly string[];
};

/** The input folder as banners name it: relative to the repository when inside it, else its own name. */
export function sourceLabel(input: string): string {
  const rel = relative(REPO_ROOT, input);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return basename(input);
}

async function listGz(dir: string, prefix: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const rel = `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listGz(join(dir, e.name), rel)));
    else if (e.isFile() && e.name.endsWith('.gz')) out.push(rel);
  }
  return out;
}

export async function pack(options: PackOptions): Promise<PackReport> {
  const input = await readInputDir(options.input);
  if (!input.ok) return { ok: false, problem: input.message, written: [], removed: [] };
  const bundle = await buildWebBundle({
    source: sourceLabel(options.input),
    files: input.files,
    protocol: options.protocol ?? { version: PROTOCOL_VERSION, schemaHash: SCHEMA_HASH },
    budget: options.budget,
  });
  const size = sizeLine(bundle);
  const problem = budgetProblem(bundle);
  if (problem)
    return { ok: false, size, problem: `${problem} Nothing was written.`, written: [], removed: [] };
  const outputs = packOutputs(bundle);
  const written = await writeAllIfChanged(options.out, outputs);
  const removed: string[] = [];
  for (const stale of (await listGz(join(options.out, DATA_DIR), DATA_DIR)).sort()) {
    if (outputs.has(stale)) continue;
    await unlink(join(options.out, stale));
    removed.push(stale);
  }
  return { ok: true, size, written, removed };
}
