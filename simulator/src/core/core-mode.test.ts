// `--core PATH`: the simulator with the C core's harness (built with ASan + UBSan) in place of its engine
// and sessions, driven by real ws clients on loopback. Every test ends by checking that the harness said
// nothing on stderr (a sanitizer report would be there) and, after close, exited 0.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL, parseDown } from '@bleshark/shared-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCoreHost, CORE_SANITIZER_ENV, HAS_GCC, sanitizedCoreHost } from '../../test/core-host.js';
import { LiveClient, type Msg, PageTable } from '../../test/live-client.js';
import { main } from '../cli.js';
import { type RunningCoreSimulator, startCoreSimulator } from '../simulator.js';
import { CoreHost, MAX_QUEUED, MAX_UNANSWERED } from './core-host.js';

let harness: BuiltCoreHost | undefined;
let sim: RunningCoreSimulator | undefined;
const clients: LiveClient[] = [];

beforeAll(async () => {
  if (HAS_GCC) harness = await sanitizedCoreHost();
}, 240_000);
afterAll(async () => {
  await harness?.dispose();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  if (sim) {
    const core = sim.core;
    await sim.close();
    sim = undefined;
    expect(core.stderr).toBe('');
    expect(core.exited).toMatchObject({ code: 0, signal: null });
  }
});

const start = async (extra: { devices?: number; rate?: number } = {}) => {
  sim = await startCoreSimulator({
    core: harness!.path,
    coreEnv: CORE_SANITIZER_ENV,
    source: 'demo',
    seed: 3,
    devices: extra.devices ?? 12,
    rate: extra.rate ?? 200,
    host: '127.0.0.1',
    port: 0,
    log: () => {},
  });
  return sim;
};
const connect = async (url: string) => {
  const c = await LiveClient.connect(url);
  clients.push(c);
  return c;
};

async function until(pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(pred()).toBe(true);
}

/** Every frame the client got so far parses against the wire schema. */
function expectSchemaValid(c: LiveClient): void {
  for (const text of c.raw) {
    const r = parseDown(text);
    expect(r.ok, `${text.slice(0, 200)}: ${r.ok ? '' : JSON.stringify(r)}`).toBe(true);
  }
}

describe.skipIf(!HAS_GCC)('the simulator with --core (the C core behind stdio)', { timeout: 60_000 }, () => {
  it('greets with hello and a snapshot, acks every command and shows the demo devices', async () => {
    const s = await start();
    const c = await connect(s.wsUrl);
    const hello: Msg = await c.nextOf('hello');
    expect(hello.device.model).toMatch(/C core/);
    // The demo source's own name and flag, as the TypeScript engine says them: the page shows "demo data".
    expect(hello.device).toMatchObject({ source: 'demo', demo: true });
    expect(hello.limits.maxClients).toBe(4);
    expect(hello.scan.scanning).toBe(true);
    const snap: Msg = await c.nextOf('snapshot', (m) => m.more === false);
    expect(snap.reason).toBe('connect');

    c.send({ type: 'scan-start', id: 's1', mode: 'active', interval: 100, window: 50 });
    expect(await c.nextOf('ack', (m) => m.id === 's1')).toMatchObject({ command: 'scan-start' });
    c.send({ type: 'filter', id: 'f1', filter: { minRssi: -127 } });
    expect(await c.nextOf('ack', (m) => m.id === 'f1')).toMatchObject({ command: 'filter' });
    expect(await c.nextOf('snapshot', (m) => m.reason === 'filter' && m.more === false)).toBeTruthy();
    c.send({ type: 'snapshot-request', id: 'r1' });
    expect(await c.nextOf('ack', (m) => m.id === 'r1')).toMatchObject({ command: 'snapshot-request' });
    expect(await c.nextOf('snapshot', (m) => m.reason === 'request' && m.more === false)).toBeTruthy();

    // The demo's devices arrive in batches (or the request's snapshot) through the core's table.
    await until(() => {
      const table = new PageTable();
      for (const m of c.messages) table.apply(m);
      return table.devices.size >= 3;
    });
    const status: Msg = await c.nextOf('status', () => true, 20_000);
    expect(status.devices).toBeGreaterThan(0);

    c.send({ type: 'clear', id: 'c1' });
    expect(await c.nextOf('ack', (m) => m.id === 'c1')).toMatchObject({ command: 'clear' });
    // Empty, though adverts stream in while the ack is in flight: the devices heard since the clear come
    // in the batches after it, all of them new (ids are never reused).
    const upToAck = c.messages.slice(
      0,
      c.messages.findIndex((m) => m.type === 'ack' && m.id === 'c1'),
    );
    const before = Math.max(0, ...upToAck.flatMap((m) => (m.d ?? []).map((d: Msg) => d.id as number)));
    const cleared: Msg = await c.nextOf('snapshot', (m) => m.reason === 'clear');
    expect(cleared).toMatchObject({ total: 0, more: false, d: [] });
    const at = c.messages.indexOf(cleared);
    const after: Msg = await c.nextOf('batch', (m) => c.messages.indexOf(m) > at && (m.d ?? []).length > 0);
    for (const d of after.d) expect(d.id).toBeGreaterThan(before);
    c.send({ type: 'scan-stop', id: 's2' });
    expect(await c.nextOf('ack', (m) => m.id === 's2')).toMatchObject({ command: 'scan-stop' });
    expect(await c.nextOf('scan-complete')).toMatchObject({ reason: 'stopped' });
    c.send({ type: 'reboot', id: 'u1' });
    expect(await c.nextOf('error', (m) => m.id === 'u1')).toMatchObject({ code: 'unknown-type' });

    const seqs = c.messages.filter((m) => m.type === 'batch' || m.type === 'snapshot').map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expectSchemaValid(c);
  });

  it('leaves the close codes to the core: 1009 oversized, 1007 invalid UTF-8, 1003 binary, 1013 full', async () => {
    const s = await start();
    const big = await connect(s.wsUrl);
    await big.nextOf('hello');
    big.send(JSON.stringify({ type: 'clear', pad: 'x'.repeat(1100) }));
    expect((await big.closed).code).toBe(1009);

    const bad = await connect(s.wsUrl);
    await bad.nextOf('hello');
    // ws on this side sends the bytes as they are; ws on the simulator's side must not judge them.
    bad.ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    expect((await bad.closed).code).toBe(1007);

    const bin = await connect(s.wsUrl);
    await bin.nextOf('hello');
    bin.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await bin.closed).code).toBe(1003);

    const four = await Promise.all([0, 1, 2, 3].map(() => connect(s.wsUrl)));
    await Promise.all(four.map((c) => c.nextOf('hello')));
    const fifth = await connect(s.wsUrl);
    expect((await fifth.closed).code).toBe(1013);
    expect(fifth.messages).toEqual([]);
    for (const c of four) expectSchemaValid(c);
  });

  it('closes every client with 1011 when the harness dies, and the CLI exits 1 with one line', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const exit = main(
      [
        '--core',
        harness!.path,
        '--source',
        'demo',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--log-level',
        'info',
      ],
      {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        signals: new (await import('node:events')).EventEmitter(),
      },
    );
    await until(() => out.some((l) => l.startsWith('listening on ')));
    const url = out.find((l) => l.startsWith('listening on '))!.slice('listening on '.length);
    const pid = Number(/pid (\d+)/.exec(err.join('\n'))?.[1]);
    expect(pid).toBeGreaterThan(0);
    const c = await connect(`${url.replace(/^http/, 'ws')}/scan/live`);
    await c.nextOf('hello');
    process.kill(pid, 'SIGKILL');
    expect((await c.closed).code).toBe(1011);
    expect(await exit).toBe(1);
    const fatal = err.filter((l) => l.startsWith('bleshark-sim:'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(
      /^bleshark-sim: the C core \(.*\) was killed by SIGKILL; every client was closed with 1011$/,
    );
  });

  it('keeps the upgrade checks and RFC 6455 pings in TypeScript', async () => {
    sim = await startCoreSimulator({
      core: harness!.path,
      coreEnv: CORE_SANITIZER_ENV,
      source: 'demo',
      rate: 1,
      host: '127.0.0.1',
      port: 0,
      token: 'sesame',
      timing: { pingIntervalMs: 200 },
      log: () => {},
    });
    const url = sim.wsUrl;
    await expect(LiveClient.connect(`${url}?token=wrong`)).rejects.toThrow(/HTTP 403/);
    await expect(LiveClient.connect(`${url}?token=sesame`, { origin: 'http://evil.test' })).rejects.toThrow(
      /HTTP 403/,
    );
    const c = await connect(`${url}?token=sesame`);
    await c.nextOf('hello');
    await new Promise<void>((resolve) => c.ws.once('ping', () => resolve()));
  });

  it('drops adverts past its queue as the radio would, and tells the core (status.drops)', async () => {
    const host = new CoreHost({
      path: harness!.path,
      env: CORE_SANITIZER_ENV,
      now: () => Math.floor(performance.now()),
      init: {
        maxDevices: 512,
        hashSeed: 1,
        scanOnInit: true,
        capsOff: 0,
        model: 'm',
        firmware: 'f',
        address: '02:00:00:00:00:02',
        epoch: 'e',
      },
      scanStart: async () => undefined,
      scanStop: async () => {},
    });
    await host.start();
    const statuses: Msg[] = [];
    host.on('frame', (conn, data) => {
      const m = JSON.parse(data.toString('utf8'));
      if (m.type === 'status') statuses.push(m);
      setImmediate(() => host.sent(conn));
    });
    const burst = 20_000;
    for (let i = 0; i < burst; i++)
      host.advert({
        addr: Uint8Array.from([0x02, 0, 0, 0, (i >> 8) & 255, i & 255]),
        addrType: 1,
        scanRsp: false,
        conn: false,
        rssi: -60,
        data: Uint8Array.from([2, 1, 6]),
      });
    host.open(1);
    await until(() => statuses.some((m) => m.drops > 0), 30_000);
    expect(host.dropped).toBe(burst - MAX_UNANSWERED - MAX_QUEUED);
    expect(statuses.find((m) => m.drops > 0)).toMatchObject({ drops: host.dropped, devices: 512 });
    expect(await host.stop()).toMatchObject({ code: 0, signal: null });
    expect(host.stderr).toBe('');
  });

  it('ends the scan as stopped (not as an error) when a replay runs out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bleshark-core-replay-'));
    try {
      // 12 s of recording at speed 1: long enough for the client to connect before it ends.
      const lines = [
        '{"bleshark":"recording","version":1,"source":"demo","started":"2025-01-01T00:00:00.000Z"}',
      ];
      for (let i = 0; i < 60; i++)
        lines.push(
          JSON.stringify({
            t: 1000 + i * 200,
            addr: `c0:00:00:00:00:0${i % 4}`,
            addrType: 'random',
            rssi: -50,
            conn: true,
            adv: '020106',
          }),
        );
      const file = join(dir, 'short.jsonl');
      await writeFile(file, `${lines.join('\n')}\n`);
      sim = await startCoreSimulator({
        core: harness!.path,
        coreEnv: CORE_SANITIZER_ENV,
        source: 'replay',
        replay: file,
        host: '127.0.0.1',
        port: 0,
        log: () => {},
      });
      const c = await connect(sim.wsUrl);
      const hello: Msg = await c.nextOf('hello');
      expect(hello.device).toMatchObject({ source: 'replay', demo: false });
      expect(hello.scan.scanning).toBe(true);
      const done: Msg = await c.nextOf('scan-complete', () => true, 30_000);
      expect(done).toMatchObject({ reason: 'stopped', devices: 4 });
      expect(done).not.toHaveProperty('message');
      const status: Msg = await c.nextOf('status', (m) => m.scan.scanning === false);
      expect(status.scan.scanning).toBe(false);
      expectSchemaValid(c);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('closes a stuck client (a frame unsent for stuckClientMs) with 1013 while its frame is in flight', async () => {
    let clock = 1000;
    const host = new CoreHost({
      path: harness!.path,
      env: CORE_SANITIZER_ENV,
      now: () => clock,
      init: {
        maxDevices: 16,
        hashSeed: 1,
        scanOnInit: true,
        capsOff: 0,
        model: 'm',
        firmware: 'f',
        address: '02:00:00:00:00:02',
        epoch: 'e',
      },
      scanStart: async () => undefined,
      scanStop: async () => {},
    });
    await host.start();
    const frames: string[] = [];
    const closes: [number, number][] = [];
    host.on('frame', (_conn, data) => frames.push(data.toString('utf8'))); // never reported sent
    host.on('close', (conn, code) => closes.push([conn, code]));
    host.open(1);
    await until(() => frames.length === 1);
    expect(frames[0]).toMatch(/^\{"type":"hello"/);
    clock += PROTOCOL.stuckClientMs - 1000; // within the bound: the harness's ticks change nothing
    await new Promise((r) => setTimeout(r, 1500));
    expect(closes).toEqual([]);
    clock += 1000; // stuckClientMs after the hello left
    await until(() => closes.length > 0);
    expect(closes).toEqual([[1, 1013]]);
    expect(frames).toHaveLength(1);
    host.sent(1); // the stuck send completing late is still accepted
    host.closed(1);
    expect(await host.stop()).toMatchObject({ code: 0, signal: null });
    expect(host.stderr).toBe('');
  });

  it('cannot start when the scan at launch fails (a missing replay file): exit 2, one line', async () => {
    const err: string[] = [];
    const out: string[] = [];
    const argv = ['--core', harness!.path, '--source', 'replay', 'no-such-recording.jsonl', '--port', '0'];
    const code = await main([...argv, '--log-level', 'warn'], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual([expect.stringMatching(/^bleshark-sim: cannot start: .*no such file/i)]);
  });

  it('cannot start with a harness that is not there (exit 2, one line)', async () => {
    const err: string[] = [];
    const code = await main(
      ['--core', '/nonexistent/bleshark-core-host', '--source', 'demo', '--port', '0'],
      {
        out: () => {},
        err: (l) => err.push(l),
      },
    );
    expect(code).toBe(2);
    expect(err.filter((l) => l.startsWith('bleshark-sim:'))).toEqual([
      expect.stringMatching(/^bleshark-sim: cannot start: the C core: cannot run .*ENOENT/),
    ]);
  });
});
