// Shared pieces of the reliability suite: sources with known ground truth, a table-keeping ws client,
// a forced GC for heap figures, and the browser gate (skip locally without Chromium, fail in CI).
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DeviceRecord, DownMessage } from '@bleshark/shared-protocol';
import { parseDown } from '@bleshark/shared-protocol';
import {
  type Advertisement,
  DemoSource,
  type ScanParams,
  type ScanSource,
  type ScanSourceEvents,
  type SourceOptions,
} from '@bleshark/simulator/sources';
import WebSocket from 'ws';

export const UI_INDEX = new URL('../../device-ui/dist/index.html', import.meta.url);
export const CHROMIUM = '/usr/bin/chromium';

/** Browser tests: undefined when they may run, else why they skip. Throws in CI when they cannot run. */
export function browserGate(): string | undefined {
  if (!existsSync(UI_INDEX))
    throw new Error(
      'device-ui/dist/index.html is missing: run `npm run build` (the root `npm test` builds first)',
    );
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; browser tests must not skip in CI`);
  const why = `${CHROMIUM} is missing: browser tests skipped (install the Debian chromium package)`;
  console.warn(why);
  return why;
}

/** Heap used after a full GC, in bytes. */
export function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `fn` every `everyMs` until it returns a truthy value or `timeoutMs` passes (then throws). */
export async function until<T>(fn: () => T, what: string, timeoutMs = 20_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A source base with start/stop/close bookkeeping; subclasses emit adverts while `scanning`. */
abstract class BaseSource extends EventEmitter<ScanSourceEvents> implements ScanSource {
  readonly name = 'demo' as const;
  readonly demo = true;
  scanning = false;
  abstract begin(): void;
  abstract end(): void;
  async start(_params: ScanParams): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    this.begin();
    this.emit('state', 'scanning');
  }
  async stop(): Promise<void> {
    if (!this.scanning) return;
    this.scanning = false;
    this.end();
    this.emit('state', 'stopped');
  }
  async close(): Promise<void> {
    await this.stop();
  }
}

/** A fixed set of `count` public addresses, emitted round-robin at `rate` adverts/s with drifting RSSI. */
export class FixedSource extends BaseSource {
  readonly addrs: string[];
  #timer: NodeJS.Timeout | undefined;
  #i = 0;
  #rate: number;
  constructor(count: number, rate: number, prefix = 'c0:ff:ee') {
    super();
    this.#rate = rate;
    this.addrs = Array.from({ length: count }, (_, i) => {
      const h = i.toString(16).padStart(6, '0');
      return `${prefix}:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
    });
  }
  begin(): void {
    const perTick = Math.max(1, Math.round(this.#rate / 50));
    this.#timer = setInterval(() => {
      for (let k = 0; k < perTick; k++) {
        const n = this.#i++;
        const addr = this.addrs[n % this.addrs.length]!;
        this.emit('advert', {
          addr,
          addrType: 'public',
          rssi: -40 - ((n * 7) % 50),
          conn: true,
          name: `fixed ${n % this.addrs.length}`,
          at: Date.now(),
        });
      }
    }, 20);
  }
  end(): void {
    clearInterval(this.#timer);
  }
}

/**
 * Wraps a DemoSource and records the newest advertisement per address (the ground truth a client must
 * converge to). `freeze()` stops forwarding, so the engine's table stops changing.
 */
export class GroundTruthSource extends BaseSource {
  readonly inner: DemoSource;
  readonly last = new Map<string, Advertisement>();
  forwarded = 0;
  frozen = false;
  constructor(options: SourceOptions) {
    super();
    this.inner = new DemoSource(options);
    this.inner.on('advert', (ad) => {
      if (this.frozen || !this.scanning) return;
      this.last.set(ad.addr, ad);
      this.forwarded++;
      this.emit('advert', ad);
    });
  }
  begin(): void {
    void this.inner.start({ mode: 'active', interval: 100, window: 50, duplicates: true });
  }
  end(): void {
    void this.inner.stop();
  }
  freeze(): void {
    this.frozen = true;
  }
  override async close(): Promise<void> {
    await super.close();
    await this.inner.close();
  }
}

/**
 * A ws client that keeps the device table the protocol describes: snapshot parts build a new table that
 * replaces the old one, batches apply on top. Records seq gaps, errors and the close code.
 */
export class TableClient {
  readonly ws: WebSocket;
  table = new Map<number, DeviceRecord>();
  #building: Map<number, DeviceRecord> | undefined;
  hello: Extract<DownMessage, { type: 'hello' }> | undefined;
  seq = 0;
  gaps: string[] = [];
  invalid = 0;
  frames = 0;
  batches = 0;
  snapshots: string[] = [];
  errors: string[] = [];
  acks: string[] = [];
  closeCode: number | undefined;
  lastT = 0;
  status: Extract<DownMessage, { type: 'status' }> | undefined;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, { perMessageDeflate: false, ...options });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code) => {
        this.closeCode = code;
        resolve(code);
      });
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data) => this.#onMessage(String(data)));
  }

  #onMessage(text: string): void {
    this.frames++;
    const r = parseDown(text, 1 << 20);
    if (!r.ok) {
      this.invalid++;
      return;
    }
    const m = r.msg;
    switch (m.type) {
      case 'hello':
        this.hello = m;
        return;
      case 'snapshot':
      case 'batch': {
        if (m.seq !== this.seq + 1) this.gaps.push(`${this.seq} -> ${m.seq}`);
        this.seq = m.seq;
        this.lastT = m.t;
        if (m.type === 'snapshot') {
          this.#building ??= new Map();
          for (const d of m.d) this.#building.set(d.id, d);
          if (!m.more) {
            this.table = this.#building;
            this.#building = undefined;
            this.snapshots.push(m.reason);
          }
          return;
        }
        this.batches++;
        for (const id of m.x ?? []) this.table.delete(id);
        for (const d of m.d ?? []) this.table.set(d.id, d);
        for (const [id, rssi, seen] of m.u ?? []) {
          const d = this.table.get(id);
          if (!d) {
            this.gaps.push(`update for unknown id ${id}`);
            continue;
          }
          d.rssi = rssi;
          d.last = m.t;
          d.count += seen ?? 1;
        }
        return;
      }
      case 'status':
        this.status = m;
        if (m.seq !== this.seq) this.gaps.push(`status.seq ${m.seq} != ${this.seq}`);
        return;
      case 'error':
        this.errors.push(m.code);
        return;
      case 'ack':
        this.acks.push(m.id);
        return;
      default:
        return;
    }
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  close(): Promise<number> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(1000);
    const t = setTimeout(() => this.ws.terminate(), 3000);
    return this.closed.finally(() => clearTimeout(t));
  }
}
