// One client on /scan/live: hello + snapshot on connect, then batches from a pending map (at most one item
// per device, newest wins), sent only while the socket has drained below a threshold. Memory per client is
// bounded by the device count, never by time.
import {
  CLOSE_POLICY,
  CLOSE_TRY_LATER,
  CLOSE_UNSUPPORTED_DATA,
  type ErrorCode,
  encode,
  type Filter,
  filterSchema,
  type HelloMessage,
  known,
  type Limits,
  matchesFilter,
  PROTOCOL,
  parseUp,
  type ScanCompleteMessage,
  type SnapshotMessage,
  type StatusMessage,
  scanTimingProblem,
  type UpMessage,
} from '@bleshark/shared-protocol';
import { WebSocket } from 'ws';
import type { DeviceEntry } from '../engine/device-table.js';
import type { EngineListener, ScanEngine } from '../engine/scan-engine.js';
import { FrameBuilder } from './frame-builder.js';
import type { Timing } from './profiles.js';
import { TokenBucket } from './token-bucket.js';

export type SessionOptions = {
  ws: WebSocket;
  engine: ScanEngine;
  /** The limits announced in hello and enforced here. */
  limits: Limits;
  timing: Timing;
  /** The first message (built by the server for this client). */
  hello: HelloMessage;
  /** How many clients are connected now (for status). */
  clients: () => number;
  /** Diagnostics sink: never receives message contents. */
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
};

type SnapshotReason = SnapshotMessage['reason'];

export class Session implements EngineListener {
  readonly client: number;
  readonly ws: WebSocket;
  /** The last batch/snapshot seq sent (0 before the first). */
  seq = 0;
  filter: Filter = {};
  /** Sightings merged into a pending item since the connection opened. */
  coalesced = 0;
  #engine: ScanEngine;
  #limits: Limits;
  #timing: Timing;
  #clients: () => number;
  #log: SessionOptions['log'];
  /** id -> sightings since the device was last sent to this client. */
  #pending = new Map<number, number>();
  /** ids to send in `x`. */
  #removals = new Set<number>();
  /** id -> the record revision this client holds. */
  #sent = new Map<number, number>();
  #snapshotDue: SnapshotReason | undefined;
  #builder: FrameBuilder;
  #bucket: TokenBucket;
  #strikes = 0;
  #blockedSince: number | undefined;
  #lastPong = performance.now();
  #closing = false;
  #killTimer: NodeJS.Timeout | undefined;

  constructor(options: SessionOptions) {
    this.ws = options.ws;
    this.client = options.hello.client;
    this.#engine = options.engine;
    this.#limits = options.limits;
    this.#timing = options.timing;
    this.#clients = options.clients;
    this.#log = options.log;
    this.#builder = new FrameBuilder(this.#limits.maxBatchItems, PROTOCOL.batchTargetBytes);
    this.#bucket = new TokenBucket(this.#limits.commandsPerSecond, this.#limits.commandBurst);
    this.ws.on('pong', () => {
      this.#lastPong = performance.now();
    });
    this.ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    this.#send(encode(options.hello));
    this.#sendSnapshot('connect');
  }

  /** Devices this client is known to hold (for tests and diagnostics). */
  get held(): number {
    return this.#sent.size;
  }

  /** Devices waiting to be sent (at most one item each). */
  get pendingCount(): number {
    return this.#pending.size + this.#removals.size;
  }

  // --- engine events -------------------------------------------------------------------------------

  sighting(entry: DeviceEntry, _change: 'new' | 'changed' | 'seen'): void {
    const id = entry.rec.id;
    const seen = this.#pending.get(id);
    if (seen !== undefined) {
      this.#pending.set(id, seen + 1);
      this.coalesced++;
      return;
    }
    if (!this.#sent.has(id) && !matchesFilter(entry.rec, this.filter)) return;
    this.#pending.set(id, 1);
  }

  removed(id: number): void {
    this.#pending.delete(id);
    if (this.#sent.delete(id)) this.#removals.add(id);
  }

  cleared(): void {
    this.#pending.clear();
    this.#removals.clear();
    this.#sent.clear();
    this.#requestSnapshot('clear');
  }

  scanState(): void {
    this.sendStatus();
  }

  scanComplete(msg: ScanCompleteMessage): void {
    this.#send(encode(msg));
  }

  // --- timers (driven by the server) ---------------------------------------------------------------

  /** The batch tick: a due snapshot, then batches while the socket stays under the buffer threshold. */
  tick(): void {
    if (this.#closing || this.ws.readyState !== WebSocket.OPEN) return;
    const now = performance.now();
    if (!this.#drained()) {
      this.#blockedSince ??= now;
      if (now - this.#blockedSince >= this.#timing.stuckClientMs) this.#closeStuck();
      return;
    }
    this.#blockedSince = undefined;
    if (this.#snapshotDue) this.#sendSnapshot(this.#snapshotDue);
    while ((this.#pending.size || this.#removals.size) && this.#drained()) {
      if (!this.#sendBatch()) break;
    }
  }

  sendStatus(): void {
    if (this.#closing || !this.#drained()) return;
    const e = this.#engine;
    let shown = e.table.size;
    if (Object.keys(this.filter).length) {
      shown = 0;
      for (const d of e.table.values()) if (matchesFilter(d.rec, this.filter)) shown++;
    }
    const msg: StatusMessage = {
      type: 'status',
      t: e.now(),
      scan: e.state,
      filter: this.filter,
      rate: e.rate,
      devices: e.table.size,
      shown,
      drops: e.drops,
      coalesced: this.coalesced,
      evicted: e.table.evicted,
      clients: this.#clients(),
      seq: this.seq,
    };
    this.#send(encode(msg));
  }

  /** Pings, or terminates the peer when its last pong is older than the timeout. */
  heartbeat(): void {
    if (performance.now() - this.#lastPong > this.#timing.pongTimeoutMs) {
      this.#log('info', `client ${this.client}: no pong, terminated`);
      this.ws.terminate();
      return;
    }
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  /** Closes (1001 on shutdown); terminates if the peer does not finish the close handshake in time. */
  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.ws.close(code, reason);
    this.#killTimer = setTimeout(() => this.ws.terminate(), Math.max(this.#timing.stuckClientMs, 5000));
    this.#killTimer.unref();
  }

  /** Called by the server once the socket closed. */
  dispose(): void {
    clearTimeout(this.#killTimer);
    this.#closing = true;
    this.#pending.clear();
    this.#removals.clear();
    this.#sent.clear();
  }

  // --- internals -----------------------------------------------------------------------------------

  #drained(): boolean {
    return this.ws.bufferedAmount < this.#timing.maxBufferedBytes;
  }

  #send(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN && !this.#closing) this.ws.send(text);
  }

  #closeStuck(): void {
    this.#log(
      'info',
      `client ${this.client}: not reading for ${this.#timing.stuckClientMs} ms, closing with 1013`,
    );
    this.close(CLOSE_TRY_LATER, 'not reading: reconnect and resync');
  }

  #requestSnapshot(reason: SnapshotReason): void {
    this.#snapshotDue = reason;
    if (this.#drained()) this.#sendSnapshot(reason);
  }

  /** Sends the whole filtered table as parts; this client then holds exactly those records. */
  #sendSnapshot(reason: SnapshotReason): void {
    this.#snapshotDue = undefined;
    this.#pending.clear();
    this.#removals.clear();
    this.#sent.clear();
    const table = this.#engine.table;
    const t = this.#engine.now();
    const matching: DeviceEntry[] = [];
    for (const e of table.values()) if (matchesFilter(e.rec, this.filter)) matching.push(e);
    const total = matching.length;
    const fb = this.#builder;
    for (const e of matching) {
      const json = table.json(e);
      if (!fb.add('d', json)) {
        this.#send(fb.snapshot(++this.seq, t, reason, total, true));
        fb.add('d', json);
      }
      this.#sent.set(e.rec.id, e.rev);
    }
    this.#send(fb.snapshot(++this.seq, t, reason, total, false));
  }

  /** Sends one batch frame from the pending items; false when there was nothing to send. */
  #sendBatch(): boolean {
    const fb = this.#builder;
    const table = this.#engine.table;
    for (const id of this.#removals) {
      if (!fb.add('x', String(id))) break;
      this.#removals.delete(id);
    }
    for (const [id, seen] of this.#pending) {
      const e = table.get(id);
      if (!e) {
        this.#pending.delete(id);
        continue;
      }
      const held = this.#sent.get(id);
      let kind: 'd' | 'u' | 'x';
      let json: string;
      if (!matchesFilter(e.rec, this.filter)) {
        if (held === undefined) {
          this.#pending.delete(id);
          continue;
        }
        kind = 'x';
        json = String(id);
      } else if (held !== e.rev) {
        kind = 'd';
        json = table.json(e);
      } else {
        kind = 'u';
        const n = Math.min(seen, 1_000_000);
        json = n > 1 ? `[${id},${e.rec.rssi},${n}]` : `[${id},${e.rec.rssi}]`;
      }
      if (!fb.add(kind, json)) break;
      this.#pending.delete(id);
      if (kind === 'x') this.#sent.delete(id);
      else this.#sent.set(id, e.rev);
    }
    if (fb.items === 0) return false;
    this.#send(fb.batch(++this.seq, this.#engine.now()));
    return true;
  }

  #onMessage(data: unknown, isBinary: boolean): void {
    if (this.#closing) return;
    if (isBinary) {
      this.#log('info', `client ${this.client}: binary frame, closing with 1003`);
      this.close(CLOSE_UNSUPPORTED_DATA, 'binary frames are not accepted');
      return;
    }
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : String(data);
    const parsed = parseUp(text, this.#limits.maxInboundBytes);
    const id = parsed.ok ? parsed.msg.id : parsed.id;
    if (!this.#bucket.take()) {
      this.#strikes++;
      if (this.#strikes > PROTOCOL.rateStrikes) {
        this.#log('info', `client ${this.client}: command flood, closing with 1008`);
        this.close(CLOSE_POLICY, 'command flood');
        return;
      }
      this.#error(
        'rate-limited',
        `over ${this.#limits.commandsPerSecond} commands/s; the command was dropped`,
        id,
      );
      return;
    }
    this.#strikes = 0;
    if (!parsed.ok) {
      this.#error(parsed.code, parsed.message, id);
      return;
    }
    this.#command(parsed.msg);
  }

  #command(msg: UpMessage): void {
    const ack = () => {
      if (msg.id !== undefined) this.#send(encode({ type: 'ack', id: msg.id, command: msg.type }));
    };
    const fail = (err: unknown) =>
      this.#error('scan-failed', err instanceof Error ? err.message : 'the scan failed', msg.id);
    switch (msg.type) {
      case 'scan-start': {
        const { type: _t, id: _i, ...req } = msg;
        // Checked against the scan in effect, so nothing is clamped behind the client's back.
        const problem = scanTimingProblem(req, this.#engine.state);
        if (problem) {
          this.#error('invalid-field', problem, msg.id);
          return;
        }
        this.#engine.start(req).then(ack, fail);
        return;
      }
      case 'scan-stop':
        this.#engine.stop().then(ack, fail);
        return;
      case 'filter':
        // Only the fields this protocol defines are kept (and echoed in status.filter); unknown ones are
        // ignored like any unknown field.
        this.filter = known(filterSchema, msg.filter);
        ack();
        this.#requestSnapshot('filter');
        return;
      case 'snapshot-request':
        ack();
        this.#requestSnapshot('request');
        return;
      case 'clear':
        ack();
        this.#engine.clear();
        return;
    }
  }

  #error(code: ErrorCode, message: string, id: string | undefined): void {
    const msg = { type: 'error' as const, code, message: message.slice(0, 256) || code };
    this.#send(encode(id === undefined ? msg : { ...msg, id }));
  }
}
