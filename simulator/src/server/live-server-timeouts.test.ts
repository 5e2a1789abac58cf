import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSource } from '../../test/fake-source.js';
import { LiveClient } from '../../test/live-client.js';
import { makeTestCert } from '../../test/tls-cert.js';
import { ScanEngine } from '../engine/scan-engine.js';
import { LiveServer, type LiveServerOptions } from './live-server.js';
import { PROFILES, resolveTiming } from './profiles.js';

const tls = makeTestCert();
if (!tls) console.warn('openssl is not available: the TLS cases are skipped');

const servers: LiveServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(o: Partial<LiveServerOptions> = {}): Promise<LiveServer> {
  const limits = PROFILES.nano;
  const engine = new ScanEngine({
    source: new FakeSource(),
    maxDevices: limits.maxDevices,
    maxRecordBytes: 1000,
  });
  const server = new LiveServer({
    engine,
    host: '127.0.0.1',
    port: 0,
    limits,
    // Nothing is sent on its own for a minute: only the timeouts under test can end a connection.
    timing: resolveTiming(limits, { statusIntervalMs: 60_000, pingIntervalMs: 60_000 }),
    uiDir: '/nonexistent-ui-dir',
    device: { model: 'test', firmware: 'test', address: '02:00:00:00:00:01', source: 'demo', demo: true },
    epoch: 'timeouts',
    ...o,
  });
  servers.push(server);
  await server.listen();
  await engine.start();
  return server;
}

/** Opens `n` raw TCP connections that send nothing. */
async function silent(port: number, n: number): Promise<{ socket: Socket; closed: Promise<void> }[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<{ socket: Socket; closed: Promise<void> }>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1');
          sockets.push(socket);
          socket.on('error', () => {});
          const closed = new Promise<void>((r) => socket.once('close', () => r()));
          socket.once('connect', () => resolve({ socket, closed }));
          socket.once('error', reject);
        }),
    ),
  );
}

/** Resolves with `p`, or rejects with `what` after `ms` (a bound for a test that would otherwise hang). */
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} (waited ${ms} ms)`)), ms).unref(),
    ),
  ]);

/** How many connections the server holds (TLS handshakes under way included). */
const connections = (s: LiveServer) =>
  new Promise<number>((resolve, reject) =>
    s.http.getConnections((err, n) => (err ? reject(err) : resolve(n))),
  );

async function untilConnections(s: LiveServer, n: number): Promise<void> {
  while ((await connections(s)) < n) await new Promise((r) => setTimeout(r, 10));
}

describe.skipIf(!tls)('with TLS', () => {
  it('drops connections that never start the TLS handshake after handshakeTimeoutMs', async () => {
    const s = await start({ ...(tls ? { tls } : {}), handshakeTimeoutMs: 300 });
    const conns = await silent(s.port, 20);
    await within(Promise.all(conns.map((c) => c.closed)), 15_000, 'silent connections were still open');
    expect(await connections(s)).toBe(0);
  }, 20_000);

  it('close() resolves and ends connections that never started TLS, before any timeout', async () => {
    const s = await start({ ...(tls ? { tls } : {}) });
    const conns = await silent(s.port, 20);
    await untilConnections(s, 20);
    await within(s.close(), 15_000, 'close() did not resolve');
    await within(Promise.all(conns.map((c) => c.closed)), 15_000, 'sockets were still open');
  }, 35_000);

  it('drops a connection that finished the handshake but sends no request after idleTimeoutMs', async () => {
    const s = await start({ ...(tls ? { tls } : {}), idleTimeoutMs: 300 });
    const socket = tlsConnect({ host: '127.0.0.1', port: s.port, ca: tls?.cert });
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    await new Promise<void>((r) => socket.once('secureConnect', () => r()));
    await within(closed, 15_000, 'the idle TLS connection was still open');
  }, 20_000);
});

describe('without TLS', () => {
  it('drops a connection that never sends a byte after idleTimeoutMs', async () => {
    const s = await start({ idleTimeoutMs: 300 });
    const conns = await silent(s.port, 5);
    await within(Promise.all(conns.map((c) => c.closed)), 15_000, 'silent connections were still open');
  }, 20_000);

  it('answers 408 and closes when the headers do not arrive within handshakeTimeoutMs', async () => {
    const s = await start({ handshakeTimeoutMs: 300 });
    const [c] = await silent(s.port, 1);
    let got = '';
    c?.socket.on('data', (d) => {
      got += d.toString('latin1');
    });
    c?.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n`);
    await within(c?.closed ?? Promise.resolve(), 15_000, 'the half-sent request was still open');
    expect(got).toMatch(/^HTTP\/1.1 408 /);
  }, 20_000);

  it('close() resolves while connections that sent nothing are open', async () => {
    const s = await start();
    const conns = await silent(s.port, 10);
    await untilConnections(s, 10);
    await within(s.close(), 15_000, 'close() did not resolve');
    await within(Promise.all(conns.map((c) => c.closed)), 15_000, 'sockets were still open');
  }, 35_000);

  it('leaves an open WebSocket alone: the idle timeout is for HTTP connections only', async () => {
    const s = await start({ idleTimeoutMs: 200 });
    const c = await LiveClient.connect(`ws://127.0.0.1:${s.port}/scan/live`);
    await c.nextOf('snapshot');
    // Several idle timeouts without a byte either way, then the socket still answers.
    await new Promise((r) => setTimeout(r, 1000));
    c.send({ type: 'snapshot-request', id: 'still-here' });
    expect(await c.nextOf('ack', undefined, 10_000)).toMatchObject({ id: 'still-here' });
    c.close();
  }, 20_000);
});
