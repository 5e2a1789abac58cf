// A tiny fixed "built page" for tests, so they never depend on the real page build. The page is short
// and free of repeats, so its deflate stream is the same under any zlib build.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_PAGE = '<!doctype html><title>BLEShark</title><p id=app>fixture</p>\n';
export const FIXTURE_NAMES = '{"76":"Apple"}\n';
/** Fixed identity for snapshots, so pinning the real SCHEMA_HASH does not touch them. */
export const FIXTURE_PROTOCOL = { version: 1, schemaHash: 'fixture0' } as const;

/** Makes `<tmp>/bleshark-XXXX/dist` holding the fixture page and name table; returns the temp root too. */
export async function makeFixtureDist(): Promise<{ root: string; dist: string; out: string }> {
  const root = await mkdtemp(join(tmpdir(), 'bleshark-bridge-'));
  const dist = join(root, 'dist');
  await mkdir(dist);
  await writeFile(join(dist, 'index.html'), FIXTURE_PAGE);
  await writeFile(join(dist, 'names.json'), FIXTURE_NAMES);
  return { root, dist, out: join(root, 'out') };
}
