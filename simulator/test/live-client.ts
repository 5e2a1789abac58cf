// A real `ws` client for tests that records every message and close, with waits that time out.
import WebSocket, { type ClientOptions } from 'ws';

// biome-ignore lint/suspicious/noExplicitAny: test messages are inspected loosely
export type Msg = any;

export class LiveClient {
  readonly ws: WebSocket;
  readonly messages: Msg[] = [];
  /** The raw text of every frame, in order. */
  readonly raw: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #used = new Set<number>();
  #waiters = new Set<() => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      this.messages.push(JSON.parse(text));
      for (const w of this.#waiters) w();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const w of this.#waiters) w();
      });
    });
    ws.on('error', () => {});
  }

  static connect(url: string, options: ClientOptions = {}): Promise<LiveClient> {
    const ws = new WebSocket(url, options);
    const c = new LiveClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The first message not returned before for which `pred` holds (waits for it). */
  next(pred: (m: Msg) => boolean = () => true, timeoutMs = 15_000): Promise<Msg> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = 0; i < this.messages.length; i++) {
          if (this.#used.has(i) || !pred(this.messages[i])) continue;
          this.#used.add(i);
          done();
          resolve(this.messages[i]);
          return;
        }
        if (this.ws.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error('closed while waiting'));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting; last: ${JSON.stringify(this.messages.at(-1))?.slice(0, 200)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Waits for a message of `type` (optionally also matching `pred`). */
  nextOf(type: string, pred: (m: Msg) => boolean = () => true, timeoutMs = 15_000): Promise<Msg> {
    return this.next((m) => m.type === type && pred(m), timeoutMs);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Applies snapshot / batch frames to a table the way the page does; checks seq has no gaps. */
export class PageTable {
  devices = new Map<number, Msg>();
  #building: Map<number, Msg> | undefined;
  lastSeq = 0;
  gaps = 0;

  apply(m: Msg): void {
    if (m.type !== 'snapshot' && m.type !== 'batch') return;
    if (m.seq !== this.lastSeq + 1) this.gaps++;
    this.lastSeq = m.seq;
    if (m.type === 'snapshot') {
      this.#building ??= new Map();
      for (const d of m.d) this.#building.set(d.id, d);
      if (!m.more) {
        this.devices = this.#building;
        this.#building = undefined;
      }
      return;
    }
    for (const d of m.d ?? []) this.devices.set(d.id, d);
    for (const [id, rssi, seen = 1] of m.u ?? []) {
      const d = this.devices.get(id);
      if (!d) continue;
      d.rssi = rssi;
      d.count += seen;
      d.last = m.t;
    }
    for (const id of m.x ?? []) this.devices.delete(id);
  }
}
