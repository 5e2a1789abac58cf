// One client on /scan/live: hello + snapshot on connect, then batches (batcher.ts), status, commands
// (command-intake.ts) and liveness (liveness.ts). This file only wires the three to the socket and the
// engine, and holds the command handlers.
import {
  encode,
  type Filter,
  filterSchema,
  type HelloMessage,
  known,
  type Limits,
  matchesFilter,
  PROTOCOL,
  type ScanCompleteMessage,
  type StatusMessage,
  scanTimingProblem,
  type UpHandlers,
} from '@bleshark/shared-protocol';
import type { WebSocket } from 'ws';
import type { DeviceEntry } from '../engine/device-table.js';
import type { EngineListener, ScanEngine } from '../engine/scan-engine.js';
import type { LogFn } from '../log.js';
import { type BatchClock, Batcher } from './batcher.js';
import { CommandIntake } from './command-intake.js';
import { Liveness } from './liveness.js';
import type { Timing } from './profiles.js';

export type ClientSessionOptions = {
  ws: WebSocket;
  engine: ScanEngine;
  /** The limits announced in hello and enforced here. */
  limits: Limits;
  timing: Timing;
  /** The first message (built by buildHello for this client). */
  hello: HelloMessage;
  /** How many clients are connected now (for status). */
  clients: () => number;
  /** Diagnostics sink: never receives message contents. */
  log: LogFn;
  /** The batcher's clock. Default: the real one. */
  clock?: BatchClock;
};

export class ClientSession implements EngineListener {
  readonly client: number;
  readonly ws: WebSocket;
  filter: Filter = {};
  #engine: ScanEngine;
  #clients: () => number;
  #batcher: Batcher;
  #intake: CommandIntake;
  #liveness: Liveness;

  constructor(options: ClientSessionOptions) {
    const { ws, engine, limits, timing, log } = options;
    this.ws = ws;
    this.client = options.hello.client;
    this.#engine = engine;
    this.#clients = options.clients;
    this.#liveness = new Liveness({ ws, client: this.client, timing, log });
    this.#batcher = new Batcher({
      table: engine.table,
      uptime: () => engine.now(),
      intervalMs: timing.batchIntervalMs,
      maxItems: limits.maxBatchItems,
      targetBytes: PROTOCOL.batchTargetBytes,
      send: (text) => this.#send(text),
      ready: () => this.#liveness.ready,
      filter: () => this.filter,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.#intake = new CommandIntake({
      client: this.client,
      limits,
      caps: options.hello.caps,
      handlers: this.#handlers(),
      send: (text) => this.#send(text),
      close: (code, reason) => this.close(code, reason),
      log,
    });
    ws.on('message', (data, isBinary) => {
      if (!this.#liveness.closing) this.#intake.receive(data, isBinary);
    });
    this.#send(encode(options.hello));
    this.#batcher.snapshot('connect');
  }

  /** The last batch/snapshot seq sent (0 before the first). */
  get seq(): number {
    return this.#batcher.seq;
  }

  /** Sightings merged into a pending item since the connection opened. */
  get coalesced(): number {
    return this.#batcher.coalesced;
  }

  /** Devices this client is known to hold (for tests and diagnostics). */
  get held(): number {
    return this.#batcher.held;
  }

  /** Devices waiting to be sent (at most one item each). */
  get pendingCount(): number {
    return this.#batcher.pendingCount;
  }

  // --- engine events -------------------------------------------------------------------------------

  sighting(entry: DeviceEntry, _change: 'new' | 'changed' | 'seen'): void {
    this.#batcher.sighting(entry);
  }

  removed(id: number): void {
    this.#batcher.removed(id);
  }

  cleared(): void {
    this.#batcher.cleared();
  }

  scanState(): void {
    this.sendStatus();
  }

  scanComplete(msg: ScanCompleteMessage): void {
    this.#send(encode(msg));
  }

  // --- timers (driven by the server) ---------------------------------------------------------------

  /** The server's batch tick: the stuck-client check, then whatever the batcher has due. */
  tick(): void {
    if (this.#liveness.check()) this.#batcher.flush();
  }

  sendStatus(): void {
    if (!this.#liveness.ready) return;
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
    this.#liveness.heartbeat();
  }

  /** Closes (1001 on shutdown); terminates if the peer does not finish the close handshake in time. */
  close(code: number, reason: string): void {
    this.#liveness.close(code, reason);
  }

  /** Called by the server once the socket closed. */
  dispose(): void {
    this.#liveness.dispose();
    this.#batcher.dispose();
  }

  // --- internals -----------------------------------------------------------------------------------

  #send(text: string): void {
    if (this.ws.readyState === this.ws.OPEN && !this.#liveness.closing) this.ws.send(text);
  }

  /** The commands of this device: every one the protocol defines (caps in hello decide which abilities). */
  #handlers(): UpHandlers {
    const engine = this.#engine;
    const intake = () => this.#intake;
    const fail = (id: string | undefined) => (err: unknown) =>
      intake().error('scan-failed', err instanceof Error ? err.message : 'the scan failed', id);
    return {
      'scan-start': (msg) => {
        const { type: _t, id: _i, ...req } = msg;
        // Checked against the scan in effect, so nothing is clamped behind the client's back.
        const problem = scanTimingProblem(req, engine.state);
        if (problem) {
          intake().error('invalid-field', problem, msg.id);
          return;
        }
        engine.start(req).then(() => intake().ack(msg), fail(msg.id));
      },
      'scan-stop': (msg) => {
        engine.stop().then(() => intake().ack(msg), fail(msg.id));
      },
      filter: (msg) => {
        // Only the fields this protocol defines are kept (and echoed in status.filter); unknown ones are
        // ignored like any unknown field.
        this.filter = known(filterSchema, msg.filter);
        intake().ack(msg);
        this.#batcher.requestSnapshot('filter');
      },
      'snapshot-request': (msg) => {
        intake().ack(msg);
        this.#batcher.requestSnapshot('request');
      },
      clear: (msg) => {
        intake().ack(msg);
        engine.clear();
      },
    };
  }
}
