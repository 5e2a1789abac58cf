import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowedHosts, safeEqual, UpgradeGuard, versionRefusal } from './upgrade-guard.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const url = (q = '') => new URL(`http://localhost/scan/live${q}`);
const from = (remoteAddress: string, headers: Record<string, string>) =>
  ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('UpgradeGuard', () => {
  const g = new UpgradeGuard({
    host: '127.0.0.1',
    port: 8080,
    tls: false,
    allowOrigins: ['http://dev.test:5173'],
  });

  it('allows the listen address, localhost and [::1] with the port, nothing else', () => {
    expect([...allowedHosts('127.0.0.1', 8080)].sort()).toEqual([
      '127.0.0.1:8080',
      '[::1]:8080',
      'localhost:8080',
    ]);
    expect(g.refuse(req({ host: 'localhost:8080' }), url())).toBeUndefined();
    expect(g.refuse(req({ host: 'localhost:9999' }), url())?.why).toMatch(/Host/);
    expect(g.refuse(req({ host: 'attacker.test:8080' }), url())?.why).toMatch(/Host/);
    expect(g.refuse(req({}), url())?.why).toMatch(/Host/);
  });

  it('allows same-origin, exact allowlist entries and a missing Origin; refuses the rest', () => {
    const host = { host: '127.0.0.1:8080' };
    expect(g.refuse(req({ ...host, origin: 'http://127.0.0.1:8080' }), url())).toBeUndefined();
    expect(g.refuse(req({ ...host, origin: 'http://dev.test:5173' }), url())).toBeUndefined();
    expect(g.refuse(req(host), url())).toBeUndefined();
    expect(g.refuse(req({ ...host, origin: 'http://dev.test:5174' }), url())?.why).toMatch(/Origin/);
    expect(g.refuse(req({ ...host, origin: 'https://127.0.0.1:8080' }), url())?.why).toMatch(/Origin/);
    expect(g.refuse(req({ ...host, origin: 'null' }), url())?.why).toMatch(/Origin/);
  });

  it('checks the token from the query or the cookie', () => {
    const t = new UpgradeGuard({ host: '127.0.0.1', port: 1, tls: false, allowOrigins: [], token: 'k' });
    const host = { host: '127.0.0.1:1' };
    expect(t.refuse(req(host), url())?.why).toMatch(/token is required/);
    expect(t.refuse(req(host), url('?token=x'))?.why).toMatch(/wrong/);
    expect(t.refuse(req(host), url('?token=k'))).toBeUndefined();
    expect(t.refuse(req({ ...host, cookie: 'bleshark_token=k' }), url())).toBeUndefined();
    expect(t.refuse(req(host), url('?token=x'))?.status).toBe(403);
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('UpgradeGuard token backoff', () => {
  it('answers 429 with Retry-After once a peer sent too many wrong tokens, even for the right one', () => {
    const t = new UpgradeGuard({
      host: '127.0.0.1',
      port: 1,
      tls: false,
      allowOrigins: [],
      token: 'k',
      throttle: { freeFailures: 2, baseDelayMs: 1500 },
    });
    const host = { host: '127.0.0.1:1' };
    for (let i = 0; i < 3; i++)
      expect(t.refuse(from('10.1.1.1', host), url(`?token=x${i}`))?.status).toBe(403);
    const r = t.refuse(from('10.1.1.1', host), url('?token=k'));
    expect(r).toMatchObject({ status: 429, headers: { 'Retry-After': '2' } });
    expect(r?.why).toMatch(/too many wrong pairing tokens.*try again in 2 s/);
    // Another peer is not held back, and a missing token is not a guess.
    expect(t.refuse(from('10.1.1.2', host), url('?token=k'))).toBeUndefined();
    expect(t.refuse(from('10.1.1.2', host), url())?.status).toBe(403);
  });
});

describe('versionRefusal', () => {
  it('accepts 13 only', () => {
    expect(versionRefusal('13')).toBeUndefined();
  });

  it('answers another well-formed version with 426 naming 13', () => {
    for (const v of ['8', '0', '7', '14', '255']) {
      const r = versionRefusal(v);
      expect(r, v).toMatchObject({ status: 426, statusText: 'Upgrade Required' });
      expect(r?.headers).toMatchObject({ 'Sec-WebSocket-Version': '13', Upgrade: 'websocket' });
    }
  });

  it('answers a missing or malformed version with 400 naming 13', () => {
    for (const v of [undefined, '', '013', '256', '13, 8', '13.0', 'thirteen', '-13']) {
      const r = versionRefusal(v);
      expect(r, String(v)).toMatchObject({ status: 400, headers: { 'Sec-WebSocket-Version': '13' } });
    }
    expect(versionRefusal(undefined)?.why).toMatch(/missing/);
  });
});
