// The HTTP(S) server of the simulator: the page at GET /, the WebSocket at GET /scan/live (guarded before
// the upgrade), one ClientSession per client, and the shared batch / status / ping timers. With a
// `backend` (the C core behind `--core PATH`) the clients are the backend's instead: the server keeps
// HTTP, the upgrade checks and RFC 6455 (pings), and the backend does everything above the WebSocket.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  CLOSE_GOING_AWAY,
  CLOSE_TRY_LATER,
  ENDPOINT_PATH,
  type HelloMessage,
  type Limits,
} from '@bleshark/shared-protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ScanEngine } from '../engine/scan-engine.js';
import type { LogFn } from '../log.js';
import { ClientFrameGate } from './client-frame-gate.js';
import { ClientSession } from './client-session.js';
import { buildHello, DEFAULT_CAPS } from './hello.js';
import type { PairingThrottleOptions } from './pairing-throttle.js';
import type { Timing } from './profiles.js';
import { StaticFiles, securityHeaders } from './static-files.js';
import {
  type HandshakeRefusal,
  headerRefusal,
  MAX_HEADERS,
  UpgradeGuard,
  versionRefusal,
} from './upgrade-guard.js';

/** Every default of LiveServerOptions, each documented here once. */
export const LIVE_SERVER_DEFAULTS = {
  /** Listen address: loopback only, so nothing outside this machine reaches the simulator by accident. */
  host: '127.0.0.1',
  /** Listen port (0 picks a free one). */
  port: 8080,
  /**
   * Milliseconds a connection has to finish its TLS handshake (with `tls`), and then to send its request
   * headers; a connection that has not is dropped.
   */
  handshakeTimeoutMs: 10_000,
  /**
   * Milliseconds an HTTP connection may sit without a byte in or out before it is dropped (also one that
   * never sends anything); WebSocket connections are watched by pings instead.
   */
  idleTimeoutMs: 30_000,
  /** `hello.caps`: everything the protocol defines (see hello.ts). */
  caps: DEFAULT_CAPS,
} as const;

/** One client of a SessionBackend: what the server pings and closes. */
export type BackendSession = {
  readonly ws: WebSocket;
  /** Pings, or terminates the peer when its last pong is older than the timeout. */
  heartbeat(): void;
  /** Closes with code (1001 on shutdown); terminates if the peer does not finish the close in time. */
  close(code: number, reason: string): void;
};

/**
 * What serves the WebSocket clients instead of the engine and ClientSession (the C core, `--core`): every
 * frame in and out, hello, snapshots, batches, status, commands, rate limits and the clients limit.
 */
export type SessionBackend = {
  /** ws's maxPayload: the backend sees frames up to this size and answers larger ones itself. */
  readonly maxPayload: number;
  /** true when the backend validates UTF-8 itself (ws then hands it text frames as they came). */
  readonly skipUTF8Validation: boolean;
  /**
   * Called first when a socket was upgraded (before the frame gate taps it): the backend may watch the
   * client's bytes in front of ws (the core's: close reasons, which ws no longer validates). Optional.
   */
  watch?(socket: Duplex, ws: WebSocket, head: Buffer): void;
  /** A client was upgraded: the backend owns it from now on. */
  accept(ws: WebSocket, peer: string): BackendSession;
};

export type LiveServerOptions = {
  /** The scan engine, whose table the server's own sessions serve. Give this or `backend`. */
  engine?: ScanEngine;
  /** A backend that serves the clients instead (the C core). Give this or `engine`. */
  backend?: SessionBackend;
  /** Listen address. Default LIVE_SERVER_DEFAULTS.host. */
  host?: string;
  /** Listen port; 0 picks a free one. Default LIVE_SERVER_DEFAULTS.port. */
  port?: number;
  /** The limits announced in hello and enforced (a profile). */
  limits: Limits;
  timing: Timing;
  /** Extra allowed origins (exact). Default []. */
  allowOrigins?: readonly string[];
  /** Pairing token. Default: none (no token needed). */
  token?: string;
  /** PEM certificate and key: serve https + wss. Default: plain http + ws. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** TLS handshake + request headers deadline, ms. Default LIVE_SERVER_DEFAULTS.handshakeTimeoutMs. */
  handshakeTimeoutMs?: number;
  /** HTTP idle deadline, ms. Default LIVE_SERVER_DEFAULTS.idleTimeoutMs. */
  idleTimeoutMs?: number;
  /** The backoff for wrong pairing tokens (see PairingThrottle). Default: 5 free, then 1 s doubling to 60 s. */
  pairingThrottle?: PairingThrottleOptions;
  /** The built page directory. */
  uiDir: string;
  /** `hello.device`. */
  device: HelloMessage['device'];
  /** `hello.epoch`: random per simulator start. */
  epoch: string;
  /** `hello.caps`. Default LIVE_SERVER_DEFAULTS.caps. */
  caps?: readonly string[];
  log?: LogFn;
};

export class LiveServer {
  readonly sessions = new Set<ClientSession>();
  /** The clients of `backend` (empty without one). */
  readonly backendSessions = new Set<BackendSession>();
  readonly http: Server;
  #o: LiveServerOptions;
  #log: LogFn;
  #wss: WebSocketServer;
  #files: StaticFiles;
  #guard: UpgradeGuard | undefined;
  #timers: NodeJS.Timeout[] = [];
  #nextClient = 1;
  #port = 0;
  #closing = false;
  #unsubscribe = new Map<ClientSession, () => void>();
  /** Every open TCP connection, TLS handshakes under way included, so close() can end them all. */
  #sockets = new Set<Socket>();
  /** TLS sockets whose handshake completed (the others cannot be answered in clear text). */
  #secured = new WeakSet<object>();

  constructor(options: LiveServerOptions) {
    if ((options.engine === undefined) === (options.backend === undefined))
      throw new Error('LiveServer: give exactly one of engine and backend');
    this.#o = options;
    this.#log = options.log ?? (() => {});
    this.#files = new StaticFiles(options.uiDir);
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.backend?.maxPayload ?? options.limits.maxInboundBytes,
      perMessageDeflate: false,
      skipUTF8Validation: options.backend?.skipUTF8Validation ?? false,
      clientTracking: false,
      // The protocol has no subprotocol. RFC 6455 4.2.2: a server that agrees to none of the offered ones
      // answers without Sec-WebSocket-Protocol (ws would otherwise echo the first one offered).
      handleProtocols: () => false,
    });
    const handler = (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res);
    // Slow, silent or bloated connections must not hold the server: a deadline for the TLS handshake and
    // the headers, an idle deadline, a header budget (headerRefusal in upgrade-guard.ts).
    const handshakeMs = options.handshakeTimeoutMs ?? LIVE_SERVER_DEFAULTS.handshakeTimeoutMs;
    const idleMs = options.idleTimeoutMs ?? LIVE_SERVER_DEFAULTS.idleTimeoutMs;
    const httpOptions = {
      headersTimeout: handshakeMs,
      requestTimeout: Math.max(30_000, handshakeMs),
      keepAliveTimeout: Math.min(5_000, idleMs),
      // How often the header and request deadlines are checked (Node's default is every 30 s).
      connectionsCheckingInterval: Math.min(1_000, Math.max(25, Math.floor(handshakeMs / 4))),
    };
    this.http = options.tls
      ? createHttpsServer(
          { ...httpOptions, cert: options.tls.cert, key: options.tls.key, handshakeTimeout: handshakeMs },
          handler,
        )
      : createHttpServer(httpOptions, handler);
    // One more than allowed, so that a request over the limit can be told from one at it.
    this.http.maxHeadersCount = MAX_HEADERS + 1;
    this.http.timeout = idleMs;
    this.http.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    if (options.tls) this.http.on('secureConnection', (socket: object) => this.#secured.add(socket));
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#onUpgrade(req, socket, head),
    );
    this.http.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      // A TLS handshake that failed or timed out has nothing to write to: drop it (writing a clear-text
      // answer there would wait for a handshake that never comes, and keep the socket forever).
      if ((options.tls && !this.#secured.has(socket)) || !socket.writable || err.code === 'ECONNRESET') {
        socket.destroy();
        return;
      }
      const [status, text] =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large']
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'Request Timeout']
            : [400, 'Bad Request'];
      refuse(socket, status, text, `${text.toLowerCase()}: ${err.code ?? 'malformed request'}`);
    });
  }

  get port(): number {
    return this.#port;
  }

  /** Listens and starts the timers; resolves with the real port. */
  async listen(): Promise<number> {
    const { host = LIVE_SERVER_DEFAULTS.host, port = LIVE_SERVER_DEFAULTS.port } = this.#o;
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const addr = this.http.address();
    this.#port = typeof addr === 'object' && addr ? addr.port : port;
    // Listening first, then gzip every page file in the background (zopfli takes a while).
    void this.#files.warm();
    this.#guard = new UpgradeGuard({
      host,
      port: this.#port,
      tls: this.#o.tls !== undefined,
      allowOrigins: this.#o.allowOrigins ?? [],
      ...(this.#o.token !== undefined ? { token: this.#o.token } : {}),
      ...(this.#o.pairingThrottle ? { throttle: this.#o.pairingThrottle } : {}),
    });
    const { timing } = this.#o;
    const every = (ms: number, fn: (s: ClientSession) => void) => {
      const t = setInterval(() => {
        for (const s of this.sessions) fn(s);
      }, ms);
      t.unref();
      this.#timers.push(t);
    };
    every(timing.batchIntervalMs, (s) => s.tick());
    every(timing.statusIntervalMs, (s) => s.sendStatus());
    every(timing.pingIntervalMs, (s) => s.heartbeat());
    if (this.#o.backend) {
      const t = setInterval(() => {
        for (const s of this.backendSessions) s.heartbeat();
      }, timing.pingIntervalMs);
      t.unref();
      this.#timers.push(t);
    }
    return this.#port;
  }

  /**
   * Closes every client with 1001 (terminating those that do not answer within 2 s), then the server and
   * every connection still open, TLS handshakes under way included.
   */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#files.stop();
    for (const t of this.#timers) clearInterval(t);
    const closed = [...this.sessions, ...this.backendSessions].map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.ws.readyState === s.ws.CLOSED) return resolve();
          s.ws.once('close', () => resolve());
          s.close(CLOSE_GOING_AWAY, 'simulator shutting down');
        }),
    );
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
    await Promise.race([Promise.all(closed), grace]);
    for (const s of this.sessions) s.ws.terminate();
    for (const s of this.backendSessions) s.ws.terminate();
    this.#wss.close();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
      // closeAllConnections() knows only connections that reached HTTP: not those still in (or never
      // starting) their TLS handshake, nor upgraded or refused ones still closing.
      for (const socket of this.#sockets) socket.destroy();
    });
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = pathOf(req.url);
    const wsHost = this.#guard?.validHost(req);
    const bad = headerRefusal(req.rawHeaders);
    if (bad) {
      this.#plain(req, res, bad.status, `${bad.why}\n`, wsHost, { Connection: 'close' });
      return;
    }
    if (path === ENDPOINT_PATH) {
      const body = 'This is the WebSocket endpoint: connect with a WebSocket client.\n';
      res.writeHead(426, {
        ...securityHeaders(wsHost),
        'Content-Type': 'text/plain; charset=utf-8',
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Version': '13',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      this.#plain(req, res, 405, 'Method not allowed\n', wsHost, { Allow: 'GET, HEAD' });
      return;
    }
    if (path === undefined) {
      this.#notFound(req, res, wsHost);
      return;
    }
    // serve() waits for a file still being gzipped in the background and never rejects.
    void this.#files.serve(req, res, path, wsHost).then((served) => {
      if (!served) this.#notFound(req, res, wsHost);
    });
  }

  #notFound(req: IncomingMessage, res: ServerResponse, wsHost: string | undefined): void {
    this.#plain(req, res, 404, 'Not found\n', wsHost);
  }

  /** A short text answer, with the security headers every response carries. */
  #plain(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: string,
    wsHost: string | undefined,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      ...securityHeaders(wsHost),
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = pathOf(req.url);
    if (path !== ENDPOINT_PATH) {
      refuse(socket, 404, 'Not Found', `no WebSocket endpoint here; use ${ENDPOINT_PATH}`);
      return;
    }
    if (this.#closing || !this.#guard) {
      refuse(socket, 503, 'Service Unavailable', 'shutting down');
      return;
    }
    const peer = req.socket.remoteAddress ?? '?';
    const refusal: HandshakeRefusal | undefined =
      // Cut headers first: the Origin or Host the checks below read may be among those dropped.
      headerRefusal(req.rawHeaders) ??
      // ws would upgrade version 8 too; the device speaks 13 only.
      versionRefusal(req.headers['sec-websocket-version']) ??
      this.#guard.refuse(req, new URL(req.url ?? '/', 'http://localhost'));
    if (refusal) {
      this.#log('info', `refused ${peer}: ${refusal.status} ${refusal.why}`);
      refuse(socket, refusal.status, refusal.statusText, refusal.why, refusal.headers);
      return;
    }
    // ws accepts payload lengths that are not minimally encoded; the gate fails those with 1002.
    const gate = new ClientFrameGate(head, {
      onViolation: (v) =>
        this.#log('info', `${peer}: ${v.length} bytes in a ${v.form}-bit length, closing with 1002`),
    });
    this.#wss.handleUpgrade(req, socket, gate.head, (ws) => {
      this.#o.backend?.watch?.(socket, ws, gate.head);
      gate.attach(socket, ws);
      this.#accept(ws, req);
    });
  }

  #accept(ws: WebSocket, req: IncomingMessage): void {
    const { limits, engine, backend } = this.#o;
    const peer = req.socket.remoteAddress ?? '?';
    ws.on('error', (err) => this.#log('debug', `socket error (${peer}): ${err.message}`));
    if (this.#closing) {
      ws.close(CLOSE_GOING_AWAY, 'simulator shutting down');
      return;
    }
    if (backend) {
      const session = backend.accept(ws, peer);
      this.backendSessions.add(session);
      ws.on('close', () => this.backendSessions.delete(session));
      return;
    }
    if (!engine) return;
    if (this.sessions.size >= limits.maxClients) {
      this.#log('info', `refused ${peer}: ${limits.maxClients} clients already connected (1013)`);
      ws.close(CLOSE_TRY_LATER, `too many clients (max ${limits.maxClients}); try again later`);
      setTimeout(() => ws.terminate(), 5000).unref();
      return;
    }
    const client = this.#nextClient++;
    const hello = buildHello({
      device: this.#o.device,
      epoch: this.#o.epoch,
      client,
      t: engine.now(),
      limits,
      timing: this.#o.timing,
      caps: this.#o.caps ?? LIVE_SERVER_DEFAULTS.caps,
      scan: engine.state,
    });
    const session = new ClientSession({
      ws,
      engine,
      limits,
      timing: this.#o.timing,
      hello,
      clients: () => this.sessions.size,
      log: this.#log,
    });
    this.sessions.add(session);
    this.#unsubscribe.set(session, engine.subscribe(session));
    this.#log('info', `client ${client} connected from ${peer} (${this.sessions.size}/${limits.maxClients})`);
    ws.on('close', (code) => {
      this.#unsubscribe.get(session)?.();
      this.#unsubscribe.delete(session);
      this.sessions.delete(session);
      session.dispose();
      this.#log('info', `client ${client} closed (${code})`);
    });
  }
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

function refuse(
  socket: Duplex,
  status: number,
  text: string,
  why: string,
  headers: Record<string, string> = {},
): void {
  const body = `${why}\n`;
  const all: Record<string, string> = {
    ...securityHeaders(undefined),
    Connection: 'close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  };
  const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${lines.join('')}\r\n${body}`);
}
