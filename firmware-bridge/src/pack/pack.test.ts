import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, FIXTURE_PAGE, FIXTURE_PROTOCOL, makeFixtureDist } from '../../test/fixture-dist.js';
import { pack, sourceLabel } from './pack.js';

let fx = { root: '', dist: '', out: '' };
beforeEach(async () => {
  fx = await makeFixtureDist();
});
afterEach(async () => {
  await rm(fx.root, { recursive: true, force: true });
});

const run = (budget = 14336) => pack({ input: fx.dist, out: fx.out, budget, protocol: FIXTURE_PROTOCOL });
const OUTPUTS = [
  'bleshark_web_ui.c',
  'bleshark_web_ui.h',
  'data/index.html.gz',
  'data/names.json.gz',
  'manifest.json',
];

async function snapshotOf(dir: string): Promise<Map<string, { bytes: Buffer; mtimeMs: number }>> {
  const out = new Map<string, { bytes: Buffer; mtimeMs: number }>();
  for (const f of OUTPUTS)
    out.set(f, { bytes: await readFile(join(dir, f)), mtimeMs: (await stat(join(dir, f))).mtimeMs });
  return out;
}

describe('pack', () => {
  it('writes the C sources, the LittleFS folder and the manifest', async () => {
    const r = await run();
    expect(r.ok).toBe(true);
    expect(r.written.map((w) => [w.path, w.outcome])).toEqual(OUTPUTS.map((p) => [p, 'created']));
    await expect(await readFile(join(fx.out, 'bleshark_web_ui.h'), 'utf8')).toMatchFileSnapshot(
      '__snapshots__/bleshark_web_ui.h',
    );
    await expect(await readFile(join(fx.out, 'bleshark_web_ui.c'), 'utf8')).toMatchFileSnapshot(
      '__snapshots__/bleshark_web_ui.c',
    );
  });

  it('gzips files that round-trip to the input', async () => {
    await run();
    expect(gunzipSync(await readFile(join(fx.out, 'data/index.html.gz'))).toString()).toBe(FIXTURE_PAGE);
    expect(gunzipSync(await readFile(join(fx.out, 'data/names.json.gz'))).toString()).toBe(FIXTURE_NAMES);
  });

  it('lists every file in the manifest with sizes, hashes, ETag and the protocol identity', async () => {
    const r = await run();
    const m = JSON.parse(await readFile(join(fx.out, 'manifest.json'), 'utf8'));
    const gz = await readFile(join(fx.out, 'data/index.html.gz'));
    expect(m).toMatchObject({
      compressor: 'zopfli (numiterations 15)',
      protocolVersion: 1,
      schemaHash: 'fixture0',
      source: 'dist',
      page: '/index.html',
    });
    expect(m.files.map((f: { path: string }) => f.path)).toEqual(['/index.html', '/names.json']);
    expect(m.files[0]).toMatchObject({
      file: 'index.html',
      data: 'data/index.html.gz',
      contentType: 'text/html; charset=utf-8',
      rawBytes: FIXTURE_PAGE.length,
      gzipBytes: gz.length,
    });
    expect(m.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.files[0].etag).toBe(`"${m.files[0].gzipSha256.slice(0, 16)}"`);
    expect(r.size).toBe(`page: ${FIXTURE_PAGE.length} bytes -> ${gz.length} bytes gzipped (budget 14336)`);
  });

  it('gives byte-identical output on a second run and rewrites nothing', async () => {
    await run();
    const past = new Date('2020-01-01T00:00:00Z');
    for (const f of OUTPUTS) await utimes(join(fx.out, f), past, past);
    const first = await snapshotOf(fx.out);
    const again = await run();
    expect(again.written.every((w) => w.outcome === 'unchanged')).toBe(true);
    const second = await snapshotOf(fx.out);
    for (const f of OUTPUTS) {
      expect(second.get(f)?.bytes.equals(first.get(f)?.bytes as Buffer), f).toBe(true);
      expect(second.get(f)?.mtimeMs, f).toBe(past.getTime());
    }
  });

  it('gives byte-identical output into a fresh folder', async () => {
    await run();
    const a = await snapshotOf(fx.out);
    const other = join(fx.root, 'out2');
    await pack({ input: fx.dist, out: other, budget: 14336, protocol: FIXTURE_PROTOCOL });
    const b = await snapshotOf(other);
    for (const f of OUTPUTS) expect(b.get(f)?.bytes.equals(a.get(f)?.bytes as Buffer), f).toBe(true);
  });

  it('rewrites only what a changed asset touches and removes stale data files', async () => {
    await run();
    await writeFile(join(fx.dist, 'names.json'), '{"76":"Apple","6":"Microsoft"}\n');
    let r = await run();
    expect(r.written.filter((w) => w.outcome !== 'unchanged').map((w) => w.path)).toEqual([
      'bleshark_web_ui.c',
      'data/names.json.gz',
      'manifest.json',
    ]);
    await rm(join(fx.dist, 'names.json'));
    r = await run();
    expect(r.removed).toEqual(['data/names.json.gz']);
  });

  it('fails over budget with a clear message, the size line, and writes nothing', async () => {
    const r = await run(20);
    expect(r.ok).toBe(false);
    expect(r.size).toMatch(/^page: \d+ bytes -> \d+ bytes gzipped \(budget 20\)$/);
    expect(r.problem).toMatch(
      /gzipped page is \d+ bytes, \d+ over the budget of 20 bytes.*Nothing was written/,
    );
    expect(r.written).toEqual([]);
    await expect(stat(fx.out)).rejects.toThrow();
  });

  it('tells to run npm run build when the input is missing', async () => {
    const r = await pack({ input: join(fx.root, 'missing'), out: fx.out, budget: 1 });
    expect(r.ok).toBe(false);
    expect(r.problem).toMatch(/npm run build/);
  });

  it('names the input relative to the repository, else by its folder name', () => {
    expect(sourceLabel(fx.dist)).toBe('dist');
    expect(sourceLabel(join(import.meta.dirname, '..', '..', '..', 'device-ui', 'dist'))).toBe(
      'device-ui/dist',
    );
  });
});
