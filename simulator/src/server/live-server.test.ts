import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { advertFor } from '../../test/fake-source.js';
import { type Harness, type HarnessOptions, startHarness } from '../../test/harness.js';
import { LiveClient } from '../../test/live-client.js';
import { closeCodeOf, maskedFrame, rawHandshake } from '../../test/raw-socket.js';

let h: Harness | undefined;
const clients: LiveClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h?.close();
  h = undefined;
});
const start = async (o: HarnessOptions = {}) => {
  h = await startHarness(o);
  return h;
};
const connect = async (url: string, options?: WebSocket.ClientOptions) => {
  const c = await LiveClient.connect(url, options);
  clients.push(c);
  return c;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Res = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('bad input on /scan/live', () => {
  it('answers invalid JSON, unknown types and wrong fields with error and keeps the connection', async () => {
    await start();
    const c = await connect(h!.wsUrl);
    await c.nextOf('snapshot');
    c.send('{not json');
    expect(await c.nextOf('error')).toMatchObject({ code: 'invalid-json' });
    c.send({ type: 'reboot', id: 'u1' });
    expect(await c.nextOf('error')).toMatchObject({ code: 'unknown-type', id: 'u1' });
    c.send({ type: 'filter', id: 'f1', filter: { minRssi: 'loud' } });
    expect(await c.nextOf('error')).toMatchObject({ code: 'invalid-field', id: 'f1' });
    c.send({ type: 'snapshot-request', id: 'ok' });
    expect(await c.nextOf('ack')).toMatchObject({ id: 'ok' });
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes with 1003 on a binary frame', async () => {
    await start();
    const c = await connect(h!.wsUrl);
    c.ws.send(Buffer.from([1, 2, 3]));
    expect((await c.closed).code).toBe(1003);
  });

  it('closes with 1009 when a message exceeds maxInboundBytes', async () => {
    await start();
    const c = await connect(h!.wsUrl);
    c.send(JSON.stringify({ type: 'clear', pad: 'x'.repeat(1100) }));
    expect((await c.closed).code).toBe(1009);
  });

  it('closes with 1007 on invalid UTF-8 (frame written as literal bytes)', async () => {
    await start();
    const conn = await rawHandshake(h!.port, '/scan/live');
    expect(conn.head).toMatch(/^HTTP\/1.1 101/);
    conn.socket.write(maskedFrame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    expect(await closeCodeOf(conn)).toBe(1007);
  });

  it('closes with 1002 on a non-minimal length without acting on that frame (literal bytes)', async () => {
    await start();
    const conn = await rawHandshake(h!.port, '/scan/live');
    const cmd = Buffer.from('{"type":"snapshot-request","id":"nm"}');
    const framed = maskedFrame(0x1, cmd);
    // The same frame with its length rewritten as 126 + a 16-bit length.
    const nonMinimal = Buffer.concat([Buffer.from([0x81, 0x80 | 126, 0, cmd.length]), framed.subarray(2)]);
    conn.socket.write(nonMinimal);
    expect(await closeCodeOf(conn)).toBe(1002);
    await conn.ended;
    expect(conn.rest().toString('latin1')).not.toContain('"ack"');
    expect(h!.logs.join('\n')).toMatch(/16-bit length, closing with 1002/);
  });

  it('closes with 1003 on a binary frame written as literal bytes', async () => {
    await start();
    const conn = await rawHandshake(h!.port, '/scan/live');
    conn.socket.write(maskedFrame(0x2, Buffer.from('{}')));
    expect(await closeCodeOf(conn)).toBe(1003);
  });

  it('answers a command flood with rate-limited, then closes with 1008 after 3 more', async () => {
    await start();
    const c = await connect(h!.wsUrl);
    const other = await connect(h!.wsUrl);
    await other.nextOf('snapshot');
    for (let i = 0; i < h!.limits.commandBurst + 4; i++) c.send({ type: 'snapshot-request', id: `r${i}` });
    const first = await c.nextOf('error');
    expect(first).toMatchObject({ code: 'rate-limited', id: `r${h!.limits.commandBurst}` });
    expect((await c.closed).code).toBe(1008);
    // The other client's stream is untouched.
    h!.source.advert(advertFor(7));
    const b = await other.nextOf('batch');
    expect(b.seq).toBe(2);
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes the client over maxClients with 1013 and a reason', async () => {
    await start();
    for (let i = 0; i < h!.limits.maxClients; i++) await (await connect(h!.wsUrl)).nextOf('hello');
    const extra = await connect(h!.wsUrl);
    const closed = await extra.closed;
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/too many clients/);
    expect(extra.messages).toHaveLength(0);
  });
});

describe('handshake guards', () => {
  it('refuses a foreign Origin with 403 before the upgrade', async () => {
    await start();
    const conn = await rawHandshake(h!.port, '/scan/live', { Origin: 'http://evil.test' });
    expect(conn.head).toMatch(/^HTTP\/1.1 403/);
    await conn.ended;
    expect(conn.rest().toString()).toMatch(/Origin/);
  });

  it('refuses a foreign Host (DNS rebinding) with 403', async () => {
    await start();
    const conn = await rawHandshake(h!.port, '/scan/live', { Host: `rebind.test:${h!.port}` });
    expect(conn.head).toMatch(/^HTTP\/1.1 403/);
  });

  it('accepts same-origin, an allowed origin, localhost and a missing Origin', async () => {
    await start({ allowOrigins: ['http://dev.test:5173'] });
    const p = h!.port;
    const cases: Record<string, string>[] = [
      { Origin: `http://127.0.0.1:${p}` },
      { Origin: 'http://dev.test:5173' },
      { Host: `localhost:${p}`, Origin: `http://localhost:${p}` },
      {},
    ];
    for (const headers of cases) {
      const conn = await rawHandshake(p, '/scan/live', headers);
      expect(conn.head).toMatch(/^HTTP\/1.1 101/);
      conn.socket.destroy();
    }
  });

  it('requires the token, by query or by cookie, when one is set', async () => {
    await start({ token: 's3cret' });
    await expect(connect(h!.wsUrl)).rejects.toThrow(/403/);
    await expect(connect(`${h!.wsUrl}?token=wrong`)).rejects.toThrow(/403/);
    await (await connect(`${h!.wsUrl}?token=s3cret`)).nextOf('hello');
    await (await connect(h!.wsUrl, { headers: { Cookie: 'a=b; bleshark_token=s3cret' } })).nextOf('hello');
    expect(h!.logs.join('\n')).not.toContain('s3cret');
  });

  it('answers version 8 with 426 + Sec-WebSocket-Version: 13 and an empty version with 400', async () => {
    await start();
    const v8 = await rawHandshake(h!.port, '/scan/live', { 'Sec-WebSocket-Version': '8' });
    expect(v8.head).toMatch(/^HTTP\/1.1 426 /);
    expect(v8.head).toMatch(/\r\nSec-WebSocket-Version: 13\r\n/);
    await v8.ended;
    const none = await rawHandshake(h!.port, '/scan/live', { 'Sec-WebSocket-Version': '' });
    expect(none.head).toMatch(/^HTTP\/1.1 400 /);
    expect(h!.server.sessions.size).toBe(0);
  });

  it('refuses with 431 a handshake whose Origin comes after the 64th header (not cut and let through)', async () => {
    await start();
    const filler: Record<string, string> = {};
    for (let i = 0; i < 70; i++) filler[`X-Filler-${i}`] = 'x';
    const conn = await rawHandshake(h!.port, '/scan/live', { ...filler, Origin: 'http://evil.test' });
    expect(conn.head).toMatch(/^HTTP\/1.1 431 /);
    await conn.ended;
    expect(conn.rest().toString()).toMatch(/more than 64 header fields/);
    // At the limit (64 in all, Origin last) the Origin is still read, and refused as foreign.
    const fit: Record<string, string> = {};
    for (let i = 0; i < 58; i++) fit[`X-Filler-${i}`] = 'x';
    const at = await rawHandshake(h!.port, '/scan/live', { ...fit, Origin: 'http://evil.test' });
    expect(at.head).toMatch(/^HTTP\/1.1 403 /);
    // A plain GET too (Host first: a Host cut off by the parser would get Node's own 400).
    const page = await rawHandshake(h!.port, '/', { ...filler, Connection: 'close', Upgrade: 'none' });
    expect(page.head).toMatch(/^HTTP\/1.1 431 /);
    expect(h!.server.sessions.size).toBe(0);
  });

  it('refuses a handshake with two Host headers with 400', async () => {
    await start();
    const conn = await rawHandshake(h!.port, '/scan/live', {
      Host: `127.0.0.1:${h!.port}\r\nHost: rebind.test`,
    });
    expect(conn.head).toMatch(/^HTTP\/1.1 400 /);
  });

  it('negotiates no subprotocol: the 101 carries no Sec-WebSocket-Protocol', async () => {
    await start();
    const conn = await rawHandshake(h!.port, '/scan/live', { 'Sec-WebSocket-Protocol': 'chat, superchat' });
    expect(conn.head).toMatch(/^HTTP\/1.1 101 /);
    expect(conn.head.toLowerCase()).not.toContain('sec-websocket-protocol');
    conn.socket.destroy();
    // A client that insists on a subprotocol therefore fails the connection itself (RFC 6455 4.1).
    const insisting = new WebSocket(h!.wsUrl, 'chat');
    const failed = await new Promise<Error>((resolve) => insisting.once('error', resolve));
    expect(failed.message).toMatch(/no subprotocol/);
  });

  it('answers 429 with Retry-After after too many wrong tokens from one address, then accepts again', async () => {
    await start({ token: 's3cret' });
    const wrong = () => rawHandshake(h!.port, '/scan/live?token=guess');
    for (let i = 0; i < 5; i++) expect((await wrong()).head).toMatch(/^HTTP\/1.1 403 /);
    // The sixth wrong token starts the wait; while it lasts no token is compared, not even the right one.
    expect((await wrong()).head).toMatch(/^HTTP\/1.1 403 /);
    const held = await rawHandshake(h!.port, '/scan/live?token=s3cret');
    expect(held.head).toMatch(/^HTTP\/1.1 429 /);
    expect(held.head).toMatch(/\r\nRetry-After: 1(?:\r\n|$)/);
    await held.ended;
    expect(held.rest().toString()).toMatch(/too many wrong pairing tokens/);
    // After the wait the right token is accepted.
    let ok: string | undefined;
    for (let i = 0; i < 100 && !ok?.startsWith('HTTP/1.1 101'); i++) {
      await sleep(100);
      const c = await rawHandshake(h!.port, '/scan/live?token=s3cret');
      ok = c.head;
      c.socket.destroy();
    }
    expect(ok).toMatch(/^HTTP\/1.1 101 /);
  });

  it('answers 404 to an upgrade on another path and 426 to a plain GET of /scan/live', async () => {
    await start();
    const conn = await rawHandshake(h!.port, '/other');
    expect(conn.head).toMatch(/^HTTP\/1.1 404/);
    const res = await get(h!.port, '/scan/live');
    expect(res.status).toBe(426);
  });
});

describe('liveness and backpressure', () => {
  it('terminates a peer that does not answer pings', async () => {
    await start({ timing: { pingIntervalMs: 40, pongTimeoutMs: 120 } });
    const dead = await connect(h!.wsUrl, { autoPong: false });
    const alive = await connect(h!.wsUrl);
    // Without the heartbeat the dead peer would stay open until the test's own timeout fails it.
    expect((await dead.closed).code).toBe(1006);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a client that stopped reading with 1013 after stuckClientMs', async () => {
    await start({ timing: { stuckClientMs: 300, maxBufferedBytes: 1024 } });
    const c = await connect(h!.wsUrl);
    await c.nextOf('snapshot');
    const sock = (c.ws as unknown as { _socket: import('node:net').Socket })._socket;
    sock.pause();
    // Fill the kernel buffers and then the server-side buffer.
    const big = 'n'.repeat(200);
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 200; i++)
        h!.source.advert(advertFor(round * 200 + i, -60, { name: `${big}${round}` }));
      await sleep(10);
      const s = [...h!.server.sessions][0];
      if (!s || s.ws.bufferedAmount > 1024) break;
    }
    await sleep(700);
    sock.resume();
    expect((await c.closed).code).toBe(1013);
    // It can reconnect and resync from a fresh snapshot.
    const again = await connect(h!.wsUrl);
    expect(await again.nextOf('snapshot', (m) => !m.more)).toMatchObject({
      reason: 'connect',
      total: h!.engine.table.size,
    });
  });
});

describe('GET / and the built page', () => {
  const ui = () => {
    const dir = mkdtempSync(join(tmpdir(), 'bleshark-ui-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title><p>hello page</p>');
    writeFileSync(join(dir, 'names.json'), '{"76":"Apple"}');
    return dir;
  };

  it('serves index.html gzipped with a content-hash ETag, no-cache, security headers and 304', async () => {
    await start({ uiDir: ui() });
    const res = await get(h!.port, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${h!.port}`);
    expect(gunzipSync(res.body).toString()).toContain('hello page');
    const again = await get(h!.port, '/', { 'If-None-Match': String(res.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toHaveLength(0);
    const head = await get(h!.port, '/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(res.body.length));
    const names = await get(h!.port, '/names.json');
    expect(names.headers['content-type']).toMatch(/application\/json/);
    expect(gunzipSync(names.body).toString()).toBe('{"76":"Apple"}');
    expect((await get(h!.port, '/nope.html')).status).toBe(404);
    expect((await get(h!.port, '/../package.json')).status).toBe(404);
  });

  it('answers If-None-Match: * with 304 when the page exists', async () => {
    await start({ uiDir: ui() });
    const res = await get(h!.port, '/', { 'If-None-Match': '*' });
    expect(res.status).toBe(304);
    expect(res.headers['content-security-policy']).toBeDefined();
    expect((await get(h!.port, '/', { 'If-None-Match': '"0000000000000000"' })).status).toBe(200);
    expect((await get(h!.port, '/nope.json', { 'If-None-Match': '*' })).status).toBe(404);
  });

  it('allows the inline script by its hash, not by unsafe-inline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bleshark-ui-'));
    const code = 'document.title="ok"';
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><title>x</title><script type="module">${code}</script>`,
    );
    await start({ uiDir: dir });
    const csp = String((await get(h!.port, '/')).headers['content-security-policy']);
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(code).digest('base64')}'`);
  });

  it('sends the same security headers on every answer, errors and refusals included', async () => {
    await start({ uiDir: ui() });
    const names = ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options'];
    const answers = [
      await get(h!.port, '/'),
      await get(h!.port, '/', { 'If-None-Match': '*' }),
      await get(h!.port, '/nope'),
      await get(h!.port, '/scan/live'),
      await get(h!.port, '/', {}, 'POST'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 304, 404, 426, 405]);
    for (const a of answers) for (const n of names) expect(a.headers[n], `${a.status} ${n}`).toBeDefined();
    for (const [path, headers] of [
      ['/scan/live', { Origin: 'http://evil.test' }],
      ['/elsewhere', {}],
      ['/scan/live', { 'Sec-WebSocket-Version': '8' }],
    ] as const) {
      const conn = await rawHandshake(h!.port, path, headers);
      for (const n of [
        'Content-Security-Policy',
        'X-Content-Type-Options',
        'Referrer-Policy',
        'X-Frame-Options',
      ])
        expect(conn.head, `${conn.head.split('\r\n')[0]} ${n}`).toContain(`\r\n${n}: `);
    }
  });

  it('serves a 503 page that says to run npm run build when the page is not built', async () => {
    await start({ uiDir: mkdtempSync(join(tmpdir(), 'bleshark-empty-')) });
    const res = await get(h!.port, '/');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body.toString()).toContain('npm run build');
  });
});
