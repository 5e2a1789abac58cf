// The checks made on GET /scan/live BEFORE the WebSocket upgrade: the protocol version (ws would also
// accept the draft version 8), Host (against DNS rebinding), Origin (against cross-site WebSocket
// hijacking; ws does no Origin check itself) and the optional pairing token, with a per-peer backoff for
// wrong tokens.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { PairingThrottle, type PairingThrottleOptions } from './pairing-throttle.js';

export type GuardOptions = {
  /** The address the server listens on (the --host value). */
  host: string;
  /** The real port. */
  port: number;
  /** true when serving https/wss. */
  tls: boolean;
  /** Extra origins allowed besides same-origin, compared exactly (`https://example.test:8443`). Default []. */
  allowOrigins: readonly string[];
  /** Pairing token; when set, `?token=` or the `bleshark_token` cookie must equal it. Default: none. */
  token?: string;
  /** The backoff for wrong tokens per peer. Default: PairingThrottle's defaults (5 free, 1 s doubling to 60 s). */
  throttle?: PairingThrottleOptions;
};

/** A refusal that is not a 403: its status line and extra response headers. */
export type HandshakeRefusal = {
  status: number;
  statusText: string;
  why: string;
  headers: Record<string, string>;
};

/** RFC 6455 4.1 `version = DIGIT | NZDIGIT DIGIT | "1" DIGIT DIGIT | "2" DIGIT-0-4 DIGIT | "25" DIGIT-0-5`. */
const VERSION = /^(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/;

/**
 * Only version 13 is spoken (RFC 6455 4.2.2): any other well-formed version gets 426 naming 13, a missing
 * or malformed one (or several) 400 (4.2.1); both name 13 in Sec-WebSocket-Version (4.4).
 */
export function versionRefusal(header: string | undefined): HandshakeRefusal | undefined {
  if (header === '13') return undefined;
  const headers = { 'Sec-WebSocket-Version': '13' };
  if (header !== undefined && VERSION.test(header))
    return {
      status: 426,
      statusText: 'Upgrade Required',
      why: `WebSocket version ${header} is not supported; use 13`,
      headers: { ...headers, Upgrade: 'websocket', Connection: 'Upgrade, close' },
    };
  return {
    status: 400,
    statusText: 'Bad Request',
    why: header === undefined ? 'Sec-WebSocket-Version is missing' : 'Sec-WebSocket-Version is malformed',
    headers,
  };
}

/** Header fields a request may carry; more answers 431 (Node's parser keeps one more, to tell them apart). */
export const MAX_HEADERS = 64;

/**
 * A request whose header fields cannot all be trusted: more than MAX_HEADERS (the parser would have cut the
 * rest, an Origin or a second Host among them) is a 431, a second Host a 400 (RFC 9112 3.2). `rawHeaders`
 * is the request's `rawHeaders` (name, value, name, value ...).
 */
export function headerRefusal(rawHeaders: readonly string[]): HandshakeRefusal | undefined {
  if (rawHeaders.length > 2 * MAX_HEADERS)
    return {
      status: 431,
      statusText: 'Request Header Fields Too Large',
      why: `more than ${MAX_HEADERS} header fields; send at most ${MAX_HEADERS}`,
      headers: {},
    };
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() === 'host') hosts++;
  if (hosts > 1)
    return { status: 400, statusText: 'Bad Request', why: 'more than one Host header', headers: {} };
  return undefined;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

const bracket = (h: string): string => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

/** The `host:port` values a request may carry in Host. */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', bracket(host.toLowerCase())]);
  if (WILDCARD.has(host)) {
    // Listening on every interface: this machine's own addresses are its names too.
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(bracket(a.address.toLowerCase().split('%')[0] ?? ''));
  }
  return new Set([...names].map((n) => `${n}:${port}`));
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time string equality (both sides hashed first, so lengths do not leak either). */
export const safeEqual = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return part.slice(i + 1).trim();
      }
    }
  }
  return undefined;
}

const forbidden = (why: string): HandshakeRefusal => ({
  status: 403,
  statusText: 'Forbidden',
  why,
  headers: {},
});

export class UpgradeGuard {
  readonly options: GuardOptions;
  /** Wrong pairing tokens per peer. */
  readonly throttle: PairingThrottle;
  #hosts: Set<string>;

  constructor(options: GuardOptions) {
    this.options = options;
    this.throttle = new PairingThrottle(options.throttle);
    this.#hosts = allowedHosts(options.host, options.port);
  }

  /** The Host header when it names this server (lowercased), else undefined. */
  validHost(req: IncomingMessage): string | undefined {
    const h = req.headers.host?.toLowerCase();
    return h && this.#hosts.has(h) ? h : undefined;
  }

  /**
   * Why the upgrade is refused (a 403 with a one-line reason, or a 429 while the peer sits out a wait for
   * wrong tokens), or undefined when it may proceed. A request without an Origin header is allowed: browsers
   * always send one on WebSocket handshakes, so only non-browser tools (curl, scripts, the conformance
   * checker) omit it, and those are not the CSWSH threat. A missing token costs nothing; a wrong one counts
   * against the peer's address, and past the free ones the peer's next tokens are not even compared until
   * its wait is over.
   */
  refuse(req: IncomingMessage, url: URL): HandshakeRefusal | undefined {
    const host = this.validHost(req);
    if (!host) return forbidden('Host header does not name this server');
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const same = `${this.options.tls ? 'https' : 'http'}://${host}`;
      if (origin.toLowerCase() !== same && !this.options.allowOrigins.includes(origin))
        return forbidden('Origin is not allowed (same-origin or --allow-origin only)');
    }
    const token = this.options.token;
    if (token !== undefined && token !== '') {
      const given = url.searchParams.get('token') ?? cookie(req.headers.cookie, 'bleshark_token');
      if (given === undefined || given === null)
        return forbidden('a pairing token is required (?token= or the bleshark_token cookie)');
      const peer = req.socket?.remoteAddress;
      const wait = this.throttle.waitMs(peer);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        return {
          status: 429,
          statusText: 'Too Many Requests',
          why: `too many wrong pairing tokens from this address; try again in ${seconds} s`,
          headers: { 'Retry-After': String(seconds) },
        };
      }
      if (!safeEqual(given, token)) {
        this.throttle.failed(peer);
        return forbidden('the pairing token is wrong');
      }
      this.throttle.succeeded(peer);
    }
    return undefined;
  }
}
