import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { advertFor, FakeSource } from '../test/fake-source.js';
import { LiveClient } from '../test/live-client.js';
import { makeTestCert } from '../test/tls-cert.js';
import { type RunningSimulator, startSimulator } from './simulator.js';
import { SourceError } from './sources/scan-source.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('startSimulator', () => {
  it('listens on a free port, scans from launch, and says hello as the simulator', async () => {
    const source = new FakeSource();
    sim = await startSimulator({ source, port: 0, log: () => {} });
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.wsUrl).toBe(`ws://127.0.0.1:${sim.port}/scan/live`);
    expect(source.starts[0]).toEqual({ mode: 'active', interval: 100, window: 50, duplicates: true });
    source.advert(advertFor(1));
    const c = await LiveClient.connect(sim.wsUrl);
    const hello = await c.nextOf('hello');
    expect(hello.device).toMatchObject({ model: 'BLEShark Nano (simulator)', source: 'demo', demo: true });
    expect(hello.device.firmware).toMatch(/^sim-\d+\.\d+\.\d+/);
    expect(hello.epoch).toMatch(/^[0-9a-z]{1,16}$/);
    expect(hello.scan.scanning).toBe(true);
    expect(await c.nextOf('snapshot')).toMatchObject({ total: 1 });
    c.close();
  });

  it('gives every start a new epoch', async () => {
    const a = await startSimulator({ source: new FakeSource(), port: 0, log: () => {} });
    const b = await startSimulator({ source: new FakeSource(), port: 0, log: () => {} });
    const ca = await LiveClient.connect(a.wsUrl);
    const cb = await LiveClient.connect(b.wsUrl);
    const [ha, hb] = [await ca.nextOf('hello'), await cb.nextOf('hello')];
    expect(ha.epoch).not.toBe(hb.epoch);
    await a.close();
    await b.close();
  });

  it('close() closes every client with 1001 and closes the source', async () => {
    const source = new FakeSource();
    sim = await startSimulator({ source, port: 0, log: () => {} });
    const clients = await Promise.all([LiveClient.connect(sim.wsUrl), LiveClient.connect(sim.wsUrl)]);
    await sim.close();
    for (const c of clients) expect((await c.closed).code).toBe(1001);
    expect(source.closed).toBe(true);
  });

  it('auto falls back to the demo scene on a machine without Bluetooth and says why', async () => {
    const lines: string[] = [];
    sim = await startSimulator({ source: 'auto', port: 0, log: (l) => lines.push(l) });
    expect(sim.sourceName).toBe('demo');
    expect(sim.demo).toBe(true);
    expect(sim.fallbackReason).toBeTruthy();
    expect(lines.join('\n')).toMatch(/noble is not available, using the demo scene instead: .+/);
    const c = await LiveClient.connect(sim.wsUrl);
    expect((await c.nextOf('hello')).device).toMatchObject({ source: 'demo', demo: true });
    c.close();
  }, 10_000);

  it('records every discovery to --record while streaming the demo scene', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bleshark-rec-')), 'session.jsonl');
    sim = await startSimulator({ source: 'demo', rate: 500, port: 0, record: file, log: () => {} });
    const c = await LiveClient.connect(sim.wsUrl);
    await c.nextOf('batch', (m) => (m.d?.length ?? 0) > 0);
    c.close();
    await sim.close();
    sim = undefined;
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(1);
  });

  it('replays a recording into the same devices the recording session saw', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bleshark-rt-')), 'session.jsonl');
    const rec = await startSimulator({
      source: 'demo',
      rate: 400,
      devices: 30,
      port: 0,
      record: file,
      log: () => {},
    });
    await new Promise((r) => setTimeout(r, 400));
    await rec.close();
    const shown = [...rec.engine.table.values()].map((e) => e.rec.addr);
    // The recording holds every advert the source emitted; on a busy machine a few may come just before the
    // engine counts the scan as started or after it stopped, so the file can name more devices than the
    // table showed, never fewer.
    const recorded = new Set(
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { addr: string }).addr),
    );
    expect(shown.filter((a) => !recorded.has(a))).toEqual([]);
    sim = await startSimulator({ source: 'replay', replay: file, speed: 0, port: 0, log: () => {} });
    for (let i = 0; i < 500 && sim.engine.table.size < recorded.size; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(new Set([...sim.engine.table.values()].map((e) => e.rec.addr))).toEqual(recorded);
    expect(sim.sourceName).toBe('replay');
  });

  describe('a source or a recording that cannot start is a start-up failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bleshark-start-'));
    const HEADER =
      '{"bleshark":"recording","version":1,"source":"demo","started":"2025-01-01T00:00:00.000Z"}';
    const AD = '{"t":5,"addr":"aa:bb:cc:dd:ee:ff","addrType":"random","rssi":-60,"conn":true}';
    const good = join(dir, 'good.jsonl');
    writeFileSync(good, `${HEADER}\n${AD}\n`);
    writeFileSync(join(dir, 'empty.jsonl'), '');
    writeFileSync(join(dir, 'foreign.txt'), 'hello\n');
    symlinkSync(good, join(dir, 'link.jsonl'));

    it.each([
      ['missing.jsonl', /cannot read the recording .*missing\.jsonl: no such file/],
      ['empty.jsonl', /empty\.jsonl:1: empty file, not a BLEShark recording/],
      ['foreign.txt', /foreign\.txt:1: not a BLEShark recording header/],
    ])('rejects --replay %s with a message naming the file and line', async (name, re) => {
      await expect(
        startSimulator({ source: 'replay', replay: join(dir, name), port: 0, log: () => {} }),
      ).rejects.toThrow(re);
    });

    it('rejects a source whose start fails, and closes it', async () => {
      const source = new FakeSource();
      source.failStart = new SourceError('no-adapter', 'no adapter');
      await expect(startSimulator({ source, port: 0, log: () => {} })).rejects.toThrow('no adapter');
      expect(source.closed).toBe(true);
    });

    it.each([
      ['the same path', (f: string) => f],
      ['a relative ./ path', (f: string) => `./${relative(process.cwd(), f)}`],
      ['a symlink', () => join(dir, 'link.jsonl')],
    ])('refuses --record to the file being replayed given as %s, and leaves it intact', async (_, spell) => {
      const before = readFileSync(good, 'utf8');
      await expect(
        startSimulator({ source: 'replay', replay: good, record: spell(good), port: 0, log: () => {} }),
      ).rejects.toMatchObject({ code: 'record-is-input', message: expect.stringMatching(/would erase it/) });
      expect(readFileSync(good, 'utf8')).toBe(before);
    });

    it('fails when the --record file cannot be written (no such folder, /dev/full)', async () => {
      const targets = [
        join(dir, 'no-such-dir', 'r.jsonl'),
        ...(existsSync('/dev/full') ? ['/dev/full'] : []),
      ];
      for (const record of targets)
        await expect(
          startSimulator({ source: 'demo', record, port: 0, log: () => {} }),
        ).rejects.toMatchObject({
          code: 'record-failed',
          message: expect.stringContaining(`cannot write the recording ${record}`),
        });
    });
  });

  it('serves https and wss with --tls-cert / --tls-key', async () => {
    const tls = makeTestCert();
    if (!tls) {
      console.warn('openssl is not available: the TLS case is not exercised');
      return;
    }
    const { certFile: cert, keyFile: key } = tls;
    sim = await startSimulator({
      source: new FakeSource(),
      port: 0,
      tlsCert: cert,
      tlsKey: key,
      log: () => {},
    });
    expect(sim.url).toBe(`https://127.0.0.1:${sim.port}`);
    expect(sim.wsUrl).toBe(`wss://127.0.0.1:${sim.port}/scan/live`);
    const c = await LiveClient.connect(sim.wsUrl, { ca: readFileSync(cert) });
    expect(await c.nextOf('hello')).toMatchObject({ type: 'hello' });
    const same = await LiveClient.connect(sim.wsUrl, { ca: readFileSync(cert), origin: sim.url });
    expect(await same.nextOf('hello')).toMatchObject({ type: 'hello' });
    c.close();
    same.close();
  });
});
