// The simulator must serve exactly the bytes `pack` flashes (same zopfli recipe, same ETag), so what is
// tried on the simulator is what the Nano serves. Both take the recipe from src/pack/flash-recipe.ts
// (@bleshark/firmware-bridge/flash); this test, end to end over HTTP, keeps it that way.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../src/pack/pack.js';
import { FIXTURE_PROTOCOL, makeFixtureDist } from './fixture-dist.js';

/** A page and a name table big enough for zopfli and zlib to differ, with no randomness. */
const PAGE = `<!doctype html><title>BLEShark</title>${Array.from(
  { length: 400 },
  (_, i) => `<li class="d${i % 7}" data-rssi="-${40 + ((i * 37) % 60)}">device ${(i * 7919) % 1000}</li>`,
).join('\n')}\n`;
const NAMES = `${JSON.stringify(
  Object.fromEntries(
    Array.from({ length: 600 }, (_, i) => [String(i * 3 + 1), `Company ${(i * 104729) % 9973}`]),
  ),
)}\n`;

type Got = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** A raw GET over loopback: the body exactly as sent (fetch would gunzip it). */
const rawGet = (url: string): Promise<Got> =>
  new Promise((resolve, reject) => {
    get(url, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });

let fx = { root: '', dist: '', out: '' };
let sim: RunningSimulator | undefined;

beforeAll(async () => {
  fx = await makeFixtureDist();
  await writeFile(join(fx.dist, 'index.html'), PAGE);
  await writeFile(join(fx.dist, 'names.json'), NAMES);
  sim = await startSimulator({
    source: 'demo',
    host: '127.0.0.1',
    port: 0,
    uiDir: fx.dist,
    log: () => {},
  });
});

afterAll(async () => {
  await sim?.close();
  await rm(fx.root, { recursive: true, force: true });
});

describe('the simulator and pack', () => {
  it('serve and flash the same gzip bytes and ETag for every file', async () => {
    const r = await pack({ input: fx.dist, out: fx.out, budget: 14336, protocol: FIXTURE_PROTOCOL });
    expect(r.ok).toBe(true);
    const manifest = JSON.parse(await readFile(join(fx.out, 'manifest.json'), 'utf8')) as {
      files: { path: string; data: string; etag: string; gzipBytes: number }[];
    };
    const byPath = new Map(manifest.files.map((f) => [f.path, f]));
    for (const [url, path] of [
      ['/', '/index.html'],
      ['/names.json', '/names.json'],
    ] as const) {
      const packed = byPath.get(path);
      if (!packed) throw new Error(`pack did not write ${path}`);
      const flashed = await readFile(join(fx.out, packed.data));
      const served = await rawGet(`${sim?.url}${url}`);
      expect(served.status, url).toBe(200);
      expect(served.headers['content-encoding'], url).toBe('gzip');
      expect(served.body.length, url).toBe(packed.gzipBytes);
      expect(served.body.equals(flashed), url).toBe(true);
      expect(served.headers.etag, url).toBe(packed.etag);
      // The inputs are big enough that a different encoder (zlib -9) would give other bytes.
      const raw = path === '/index.html' ? PAGE : NAMES;
      expect(flashed.equals(gzipSync(raw, { level: 9 })), url).toBe(false);
    }
  });
});
