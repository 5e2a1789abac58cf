// Refusals before the upgrade (foreign Origin, mismatched Host, missing or wrong token), the defences
// around them (token backoff, header limit, no subprotocol, security headers on errors) and the default
// listen address (loopback only).
import { existsSync, readFileSync } from 'node:fs';
import { startSimulator } from '@bleshark/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawUpgrade } from '../lib/raw-ws.mjs';
import { FixedSource } from './helpers.ts';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

const quiet = { logLevel: 'error' as const, log: () => {} };

async function status(port: number, o: Parameters<typeof rawUpgrade>[1]): Promise<number> {
  const c = await rawUpgrade(port, o);
  c.socket.destroy();
  return c.status;
}

describe('handshake refusals (token set)', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSimulator({
      source: new FixedSource(3, 20),
      port: 0,
      token: 'pairing-token-1',
      ...quiet,
    });
  });
  afterAll(() => sim.close());

  it('upgrades a request with the right token (the control case)', async () => {
    expect(await status(sim.port, { path: '/scan/live?token=pairing-token-1' })).toBe(101);
    expect(await status(sim.port, { extra: 'Cookie: bleshark_token=pairing-token-1' })).toBe(101);
  });

  it('refuses a foreign Origin with 403 before the upgrade', async () => {
    for (const origin of [
      'http://evil.example',
      'http://127.0.0.1.evil.example',
      'null',
      `https://127.0.0.1:${sim.port}`,
    ])
      expect(await status(sim.port, { path: '/scan/live?token=pairing-token-1', origin })).toBe(403);
  });

  it('refuses a Host that does not name the server (DNS rebinding) with 403', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${sim.port}`,
      `127.0.0.1:${sim.port + 1}`,
      '192.168.4.1',
    ])
      expect(await status(sim.port, { path: '/scan/live?token=pairing-token-1', host })).toBe(403);
  });

  it('refuses a missing Host header without upgrading', async () => {
    const code = await status(sim.port, { path: '/scan/live?token=pairing-token-1', host: null });
    expect(code).not.toBe(101);
    expect([400, 403]).toContain(code);
  });

  it('refuses a missing or wrong token with 403', async () => {
    expect(await status(sim.port, {})).toBe(403);
    expect(await status(sim.port, { path: '/scan/live?token=' })).toBe(403);
    expect(await status(sim.port, { path: '/scan/live?token=pairing-token-2' })).toBe(403);
    expect(await status(sim.port, { path: '/scan/live?token=pairing-token-' })).toBe(403);
    expect(await status(sim.port, { extra: 'Cookie: bleshark_token=nope' })).toBe(403);
  });
});

/** Local addresses of listening TCP sockets on `port`, from /proc/net/tcp and tcp6. */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue;
      const [addr, p] = (cols[1] ?? '').split(':');
      if (p === hexPort) found.push(`${file.endsWith('6') ? 'v6' : 'v4'}:${addr}`);
    }
  }
  return found;
}

describe('listen address', () => {
  it('listens on 127.0.0.1 only when no host is given', async () => {
    const sim = await startSimulator({ source: new FixedSource(1, 10), port: 0, ...quiet });
    try {
      expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
      // Every listening socket on that port is bound to 127.0.0.1 (hex 0100007F), none to 0.0.0.0 or ::.
      const l = listeners(sim.port);
      if (existsSync('/proc/net/tcp')) expect(l).toEqual(['v4:0100007F']);
    } finally {
      await sim.close();
    }
  });
});

describe('defence in depth', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSimulator({
      source: new FixedSource(3, 20),
      port: 0,
      token: 'pairing-token-9',
      ...quiet,
    });
  });
  afterAll(() => sim.close());

  it('refuses with 431 a handshake whose Origin would be cut off after the 64th header', async () => {
    const filler = Array.from({ length: 70 }, (_, i) => `X-Filler-${i}: x`).join('\r\n');
    const c = await rawUpgrade(sim.port, { extra: `${filler}\r\nOrigin: http://evil.example` });
    c.socket.destroy();
    expect(c.status).toBe(431);
  });

  it('agrees to no subprotocol: the 101 carries no Sec-WebSocket-Protocol', async () => {
    const c = await rawUpgrade(sim.port, {
      path: '/scan/live?token=pairing-token-9',
      extra: 'Sec-WebSocket-Protocol: chat',
    });
    c.socket.destroy();
    expect(c.status).toBe(101);
    expect(c.headers.toLowerCase()).not.toContain('sec-websocket-protocol');
  });

  it('sends the security headers on errors too (405, 426, 404)', async () => {
    for (const [path, method, status] of [
      ['/', 'POST', 405],
      ['/scan/live', 'GET', 426],
      ['/nothing-here', 'GET', 404],
    ] as const) {
      const res = await fetch(`http://127.0.0.1:${sim.port}${path}`, { method });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(res.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      await res.arrayBuffer();
    }
  });

  // Last: it leaves this address waiting out a backoff.
  it('throttles token guessing per address: after 5 wrong tokens, 429 with Retry-After and no comparison', async () => {
    const answers: { status: number; retry: string | undefined }[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) {
      const c = await rawUpgrade(sim.port, { path: `/scan/live?token=guess-${i}` });
      c.socket.destroy();
      answers.push({ status: c.status, retry: /\r\nRetry-After: (\d+)/i.exec(c.headers)?.[1] });
    }
    const seconds = (performance.now() - t0) / 1000;
    const compared = answers.filter((a) => a.status === 403).length;
    console.info(`50 wrong tokens in ${seconds.toFixed(2)} s: ${compared} compared, the rest answered 429`);
    expect(answers.slice(0, 6).map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(40);
    for (const a of answers.filter((x) => x.status === 429))
      expect(Number(a.retry)).toBeGreaterThanOrEqual(1);
    // While the wait lasts, even the right token is not compared.
    const held = await rawUpgrade(sim.port, { path: '/scan/live?token=pairing-token-9' });
    held.socket.destroy();
    expect(held.status).toBe(429);
  });
});
