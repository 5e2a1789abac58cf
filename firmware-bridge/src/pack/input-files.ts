// Reads the built page folder: every file, as a path relative to the folder (with `/`), sorted bytewise so
// the order never depends on the file system. Hidden files, source maps and pre-compressed copies are
// left out: they are never served by the device.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The file the device serves at `/`; pack refuses a folder without it. */
export const PAGE_FILE = 'index.html';

export type InputFile = { readonly file: string; readonly bytes: Uint8Array };

export type InputResult =
  | { readonly ok: true; readonly files: readonly InputFile[] }
  | { readonly ok: false; readonly message: string };

/** True for files pack leaves out: hidden files, `.map` source maps, `.gz` copies. */
export const isSkipped = (name: string): boolean =>
  name.startsWith('.') || name.endsWith('.map') || name.endsWith('.gz');

async function walk(dir: string, prefix: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (isSkipped(entry.name)) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walk(join(dir, entry.name), rel, out);
    else if (entry.isFile()) out.push(rel);
  }
}

const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Reads every servable file of `dir`; a missing folder or page is a result, not an exception. */
export async function readInputDir(dir: string): Promise<InputResult> {
  const hint = 'Build the page first: `npm run build` (or pass --input DIR).';
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return { ok: false, message: `no built page at ${dir}. ${hint}` };
  const names: string[] = [];
  await walk(dir, '', names);
  if (!names.includes(PAGE_FILE)) return { ok: false, message: `no ${PAGE_FILE} in ${dir}. ${hint}` };
  names.sort(byBytes);
  const files: InputFile[] = [];
  for (const file of names) files.push({ file, bytes: new Uint8Array(await readFile(join(dir, file))) });
  return { ok: true, files };
}
