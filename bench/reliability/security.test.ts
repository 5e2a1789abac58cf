// Refusals before the upgrade (foreign Origin, mismatched Host, missing or wrong token) and the default
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
