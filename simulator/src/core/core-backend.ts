// `--core PATH`: the C core (bleshark-core-host) in place of the TypeScript engine and sessions. The scan
// source stays here and plays the radio (its adverts go to the core as raw AD bytes; the core's scan
// start / stop requests drive it); so do HTTP, the upgrade checks and RFC 6455 liveness. Everything above
// the WebSocket (device table, filters, hello, snapshots, batches, status, commands, rate limits, the
// clients limit, UTF-8 and size checks of inbound frames) is the core's: each client's frames come from
// it, one in flight at a time, and each `ws.send` completion is reported back as the core's `sent`.
import type { Duplex } from 'node:stream';
import { CLOSE_INTERNAL, CLOSE_TRY_LATER } from '@bleshark/shared-protocol';
import { WebSocket } from 'ws';
import type { LogFn } from '../log.js';
import type { BackendSession, SessionBackend } from '../server/live-server.js';
import { Liveness } from '../server/liveness.js';
import type { Timing } from '../server/profiles.js';
import type { Advertisement, ScanSource, SourceError } from '../sources/scan-source.js';
import { coreReport } from './advert-bytes.js';
import { watchCloseReasons } from './close-reason-watch.js';
import { type CoreInit, type CoreScanParams, MAX_TEXT_BYTES } from './codec.js';
import { type CoreExit, CoreHost } from './core-host.js';

export type CoreBackendOptions = {
  /** The harness program (`bleshark-bridge core-host` builds it). */
  path: string;
  /** The radio. */
  source: ScanSource;
  /** The core's configuration (hello.device, epoch, table size, hash seed); hello.device.source and
   * demo default to the source's own name and demo flag. */
  init: Omit<CoreInit, 'type' | 'now'>;
  /** Uptime in ms. */
  now: () => number;
  timing: Timing;
  /** For the 1013 reason when the core refuses a client. */
  maxClients: number;
  log: LogFn;
  /** Environment of the harness. Default process.env. */
  env?: NodeJS.ProcessEnv;
};

/** The close reason every client gets when the harness dies. */
export const CORE_DIED_REASON = 'internal error: the device core stopped';

class CoreSession implements BackendSession {
  readonly ws: WebSocket;
  readonly conn: number;
  readonly liveness: Liveness;

  constructor(ws: WebSocket, conn: number, liveness: Liveness) {
    this.ws = ws;
    this.conn = conn;
    this.liveness = liveness;
  }

  heartbeat(): void {
    this.liveness.heartbeat();
  }

  close(code: number, reason: string): void {
    this.liveness.close(code, reason);
  }
}

export class CoreBackend implements SessionBackend {
  /** The core sees inbound frames up to 64 KiB and closes with 1009 above its own limit itself. */
  readonly maxPayload = MAX_TEXT_BYTES;
  /** The core validates UTF-8 (1007) itself, as it must on esp_http_server. */
  readonly skipUTF8Validation = true;
  readonly host: CoreHost;
  /** Resolves when the harness ended while running (not after close()). */
  readonly died: Promise<CoreExit>;
  #o: CoreBackendOptions;
  #sessions = new Map<number, CoreSession>();
  #nextConn = 1;
  #dead = false;
  #closing = false;
  /** What the radio was last asked for; a stop of our own is not a failure. */
  #scanning = false;
  #stopping = false;
  #duplicates = true;
  /** Devices reported since the scan (re)started, when duplicates are off: the controller's filter. */
  #reported = new Set<string>();
  #lastError: SourceError | undefined;
  /** Set while init runs: the scan at launch failing is a start-up failure, as without --core. */
  #starting = false;
  #startError: string | undefined;
  #detach: () => void = () => {};

  constructor(options: CoreBackendOptions) {
    this.#o = options;
    this.host = new CoreHost({
      path: options.path,
      now: options.now,
      init: { source: options.source.name, demo: options.source.demo, ...options.init },
      scanStart: (p) => this.#scanStart(p),
      scanStop: () => this.#scanStop(),
      ...(options.env ? { env: options.env } : {}),
    });
    this.host.on('frame', (conn, data) => this.#onFrame(conn, data));
    this.host.on('close', (conn, code, reason) => this.#sessions.get(conn)?.close(code, reason));
    this.host.on('open-result', (conn, accepted) => {
      if (accepted) return;
      const s = this.#sessions.get(conn);
      this.#o.log('info', `conn ${conn} refused by the core: ${this.#o.maxClients} clients connected (1013)`);
      s?.close(CLOSE_TRY_LATER, `too many clients (max ${this.#o.maxClients}); try again later`);
    });
    this.died = new Promise((resolve) => {
      this.host.once('exit', (e) => {
        if (e.expected || this.#closing) return;
        this.#dead = true;
        for (const s of this.#sessions.values()) s.close(CLOSE_INTERNAL, CORE_DIED_REASON);
        resolve(e);
      });
    });
  }

  /** Starts the harness (init) and feeds it the source's adverts. Rejects when the harness cannot start. */
  async start(): Promise<void> {
    const { source } = this.#o;
    const advert = (ad: Advertisement) => this.#onAdvert(ad);
    const state = (s: 'scanning' | 'stopped') => {
      if (s !== 'stopped' || this.#stopping || !this.#scanning) return;
      this.#scanning = false;
      this.host.failed(this.#lastError?.message ?? 'the scan source stopped');
    };
    const error = (err: SourceError) => {
      this.#lastError = err;
      this.#o.log('warn', `source error: ${err.code}: ${err.message}`);
    };
    // The source ran out normally (a replay's end): the scan ends as a scan-stop ends it, not as an error.
    const end = () => {
      if (!this.#scanning) return;
      this.#scanning = false;
      this.host.ended();
    };
    source.on('advert', advert);
    source.on('state', state);
    source.on('error', error);
    source.on('end', end);
    this.#detach = () => {
      source.off('advert', advert);
      source.off('state', state);
      source.off('error', error);
      source.off('end', end);
    };
    this.#starting = true;
    try {
      await this.host.start();
      if (this.#startError !== undefined) throw new Error(`the scan at launch failed: ${this.#startError}`);
    } catch (err) {
      this.#detach();
      throw err;
    } finally {
      this.#starting = false;
    }
  }

  watch(socket: Duplex, ws: WebSocket, head: Buffer): void {
    watchCloseReasons(socket, ws, head);
  }

  accept(ws: WebSocket, peer: string): BackendSession {
    const conn = this.#nextConn++;
    const liveness = new Liveness({ ws, client: conn, timing: this.#o.timing, log: this.#o.log });
    const session = new CoreSession(ws, conn, liveness);
    if (this.#dead) {
      session.close(CLOSE_INTERNAL, CORE_DIED_REASON);
      return session;
    }
    this.#sessions.set(conn, session);
    this.host.open(conn);
    this.#o.log('info', `conn ${conn} connected from ${peer}`);
    ws.on('message', (data, isBinary) => {
      if (liveness.closing) return;
      if (isBinary) this.host.binary(conn);
      else this.host.text(conn, toBytes(data));
    });
    ws.on('close', (code) => {
      liveness.dispose();
      this.#sessions.delete(conn);
      this.host.closed(conn);
      this.#o.log('info', `conn ${conn} closed (${code})`);
    });
    return session;
  }

  /** Stops the harness (after the server closed its clients), then the radio. */
  async close(): Promise<CoreExit> {
    this.#closing = true;
    const e = await this.host.stop();
    this.#detach();
    await this.#o.source.stop().catch(() => {});
    return e;
  }

  #onFrame(conn: number, data: Buffer): void {
    const s = this.#sessions.get(conn);
    if (!s) return; // closed: the harness forgets it at our 'close'
    if (s.ws.readyState !== WebSocket.OPEN || s.liveness.closing) {
      this.host.sent(conn); // dropped by the transport
      return;
    }
    s.ws.send(data, { binary: false }, () => this.host.sent(conn));
  }

  #onAdvert(ad: Advertisement): void {
    const r = coreReport(ad);
    if (!r) {
      this.host.drops(1);
      return;
    }
    if (!this.#duplicates) {
      const key = `${Buffer.from(r.addr).toString('hex')}/${r.addrType}`;
      if (this.#reported.has(key)) return;
      this.#reported.add(key);
    }
    const { adv, rsp, ...head } = r;
    this.host.advert({ ...head, scanRsp: false, data: adv });
    if (rsp) this.host.advert({ ...head, scanRsp: true, data: rsp });
  }

  async #scanStart(p: CoreScanParams): Promise<string | undefined> {
    try {
      this.#lastError = undefined;
      await this.#o.source.start({
        mode: p.passive ? 'passive' : 'active',
        interval: p.interval,
        window: p.window,
        duplicates: p.duplicates,
      });
      this.#duplicates = p.duplicates;
      this.#reported.clear();
      this.#scanning = true;
      return undefined;
    } catch (err) {
      const message = err instanceof Error && err.message ? err.message : 'the scan could not start';
      if (this.#starting) this.#startError = message;
      else this.#o.log('warn', `scan start failed: ${message}`);
      return message;
    }
  }

  async #scanStop(): Promise<void> {
    this.#stopping = true;
    this.#scanning = false;
    try {
      await this.#o.source.stop();
    } catch (err) {
      this.#o.log('warn', `scan stop failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.#stopping = false;
    }
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return new Uint8Array(data);
}
