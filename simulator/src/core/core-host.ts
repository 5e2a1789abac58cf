// One running `bleshark-core-host`: spawns it, keeps the order its stdio protocol needs (codec.ts: barrier
// messages go alone, scan requests are answered before anything else), ticks it when it says work is
// due, and reports what it wants sent, closed or scanned. Its death is reported once (`exit`).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  BARRIER,
  type CoreIn,
  type CoreInit,
  type CoreOut,
  CoreOutReader,
  type CoreScanParams,
  encodeIn,
} from './codec.js';

/** Bounds on the tick timer: never spin, never sleep past a status interval. */
export const TICK_MIN_MS = 5;
export const TICK_MAX_MS = 1000;
/** Milliseconds the harness gets to exit after its stdin closed before it is killed. */
export const EXIT_GRACE_MS = 5000;
/** Messages written and not yet answered at most: the rest wait in the queue. */
export const MAX_UNANSWERED = 256;
/**
 * Messages waiting at most before adverts are dropped (and reported to the core as drops), as a radio's
 * queue overflows on the device: a source faster than the core costs bounded memory.
 */
export const MAX_QUEUED = 4096;
/** Characters of the harness's stderr kept (the end of it). */
const STDERR_KEEP = 16_384;

export type CoreHostOptions = {
  /** The harness program. */
  path: string;
  /** Uptime in ms: stamped on every message (the core's only clock). */
  now: () => number;
  /** The init message's fields (its `now` is stamped at start). */
  init: Omit<CoreInit, 'type' | 'now'>;
  /** Starts or re-applies a scan; resolves with undefined, or a short message when it failed. */
  scanStart: (params: CoreScanParams) => Promise<string | undefined>;
  /** Stops the scan (idempotent). */
  scanStop: () => Promise<void>;
  /** Environment of the harness. Default process.env. */
  env?: NodeJS.ProcessEnv;
};

/** How the harness ended. */
export type CoreExit = { code: number | null; signal: NodeJS.Signals | null; expected: boolean; why: string };

export type CoreHostEvents = {
  'open-result': [conn: number, accepted: boolean];
  frame: [conn: number, data: Buffer];
  close: [conn: number, code: number, reason: string];
  /** The harness ended (expected: after stop()); emitted once. */
  exit: [CoreExit];
};

type Queued = { msg: CoreIn; barrier: boolean };

export class CoreHost extends EventEmitter<CoreHostEvents> {
  readonly options: CoreHostOptions;
  #child: ChildProcessWithoutNullStreams | undefined;
  #reader = new CoreOutReader();
  #queue: Queued[] = [];
  #unanswered = 0;
  #barrierOut = false;
  #answering = false;
  #tickQueued = false;
  #tickTimer: NodeJS.Timeout | undefined;
  #tickAt = 0;
  #stderr = '';
  #stopping = false;
  #exited: CoreExit | undefined;
  #exitWaiters: ((e: CoreExit) => void)[] = [];
  #firstDone: (() => void) | undefined;
  #dropped = 0;
  #lastNow = 0;
  #droppedTotal = 0;

  constructor(options: CoreHostOptions) {
    super();
    this.options = options;
  }

  /** The end of the harness's stderr (sanitizer reports, its one-line errors). */
  get stderr(): string {
    return this.#stderr;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** How it ended, once it has. */
  get exited(): CoreExit | undefined {
    return this.#exited;
  }

  /** Spawns the harness and sends init; resolves once the core answered it, rejects if it could not. */
  start(): Promise<void> {
    if (this.#child) throw new Error('CoreHost.start: already started');
    const child = spawn(this.options.path, [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: this.options.env ?? process.env,
    });
    this.#child = child;
    child.stdin.on('error', () => {}); // EPIPE after an exit: reported by 'exit' below
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.#stderr = (this.#stderr + d).slice(-STDERR_KEEP);
    });
    child.stdout.on('data', (chunk: Buffer) => this.#onData(chunk));
    const ready = new Promise<void>((resolve, reject) => {
      this.#firstDone = resolve;
      child.once('error', (err) => {
        this.#finish({
          code: null,
          signal: null,
          expected: false,
          why: `cannot run ${this.options.path}: ${err.message}`,
        });
        reject(new Error(`cannot run the core harness ${this.options.path}: ${err.message}`));
      });
      child.once('exit', (code, signal) => {
        // stdout may still hold the last messages: read them first ('close' comes after both streams end).
        child.once('close', () => {
          const expected = this.#stopping && code === 0;
          this.#finish({ code, signal, expected, why: describeExit(code, signal, this.#stderr) });
          reject(new Error(`the core harness ${describeExit(code, signal, this.#stderr)}`));
        });
      });
    });
    this.#enqueue({ type: 'init', now: this.#now(), ...this.options.init });
    return ready;
  }

  /** One advertising report; dropped (counted as a drop) while MAX_QUEUED messages wait. */
  advert(a: Omit<Extract<CoreIn, { type: 'advert' }>, 'type' | 'now'>): void {
    if (this.#queue.length >= MAX_QUEUED) {
      this.#dropped++;
      return;
    }
    this.#enqueue({ type: 'advert', now: this.#now(), ...a });
  }

  /** Messages queued or written and not yet answered (0: the harness has caught up). */
  get waiting(): number {
    return this.#queue.length + this.#unanswered;
  }

  /** Adverts dropped because the queue was full, in all. */
  get dropped(): number {
    return this.#droppedTotal;
  }

  drops(n: number): void {
    this.#enqueue({ type: 'drops', now: this.#now(), n });
  }

  /** The radio (the source) failed while scanning. */
  failed(message: string): void {
    this.#enqueue({ type: 'failed', now: this.#now(), message });
  }

  /** The radio (the source) ended its scan normally: scan-complete {reason: stopped}. */
  ended(): void {
    this.#enqueue({ type: 'ended', now: this.#now() });
  }

  open(conn: number): void {
    this.#enqueue({ type: 'open', now: this.#now(), conn });
  }

  closed(conn: number): void {
    this.#enqueue({ type: 'close', now: this.#now(), conn });
  }

  text(conn: number, data: Uint8Array): void {
    this.#enqueue({ type: 'text', now: this.#now(), conn, data });
  }

  binary(conn: number): void {
    this.#enqueue({ type: 'binary', now: this.#now(), conn });
  }

  /**
   * A frame for conn left. It goes ahead of everything still queued: commands that arrived while the frame
   * was being written must not find it still in flight (their replies would pile up in the core meanwhile).
   */
  sent(conn: number): void {
    this.#enqueue({ type: 'sent', now: this.#now(), conn }, true);
  }

  /** Closes the harness's stdin (it exits 0); kills it when it has not exited within EXIT_GRACE_MS. */
  async stop(): Promise<CoreExit> {
    this.#stopping = true;
    clearTimeout(this.#tickTimer);
    this.#queue = [];
    const child = this.#child;
    if (!child || this.#exited)
      return this.#exited ?? { code: 0, signal: null, expected: true, why: 'not started' };
    const done = new Promise<CoreExit>((resolve) => this.#exitWaiters.push(resolve));
    child.stdin.end();
    const kill = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
    kill.unref();
    const e = await done;
    clearTimeout(kill);
    return e;
  }

  #now(): number {
    return Math.max(0, Math.floor(this.options.now())) >>> 0;
  }

  /**
   * Each message keeps the time it arrived (a burst of commands is a burst to the core's rate limit, however
   * long the queue took), but never earlier than one already sent: a `sent` may have jumped the queue.
   */
  #stamped(msg: CoreIn): CoreIn {
    if (msg.type === 'answer') return msg;
    this.#lastNow = Math.max(this.#lastNow, msg.now);
    return msg.now === this.#lastNow ? msg : { ...msg, now: this.#lastNow };
  }

  #finish(e: CoreExit): void {
    if (this.#exited) return;
    this.#exited = e;
    clearTimeout(this.#tickTimer);
    this.#queue = [];
    this.emit('exit', e);
    for (const w of this.#exitWaiters.splice(0)) w(e);
  }

  #enqueue(msg: CoreIn, first = false): void {
    if (this.#exited || (this.#stopping && msg.type !== 'init')) return;
    const item = { msg, barrier: BARRIER.has(msg.type) };
    if (first) this.#queue.unshift(item);
    else this.#queue.push(item);
    this.#pump();
  }

  #pump(): void {
    const child = this.#child;
    if (!child || this.#answering || this.#exited) return;
    if (this.#dropped > 0 && this.#queue.length < MAX_QUEUED / 2) {
      this.#droppedTotal += this.#dropped;
      this.#queue.push({ msg: { type: 'drops', now: this.#now(), n: this.#dropped }, barrier: false });
      this.#dropped = 0;
    }
    const chunks: Buffer[] = [];
    while (this.#queue.length && !this.#barrierOut && this.#unanswered < MAX_UNANSWERED) {
      const next = this.#queue[0] as Queued;
      if (next.barrier && this.#unanswered > 0) break;
      this.#queue.shift();
      if (next.msg.type === 'tick') this.#tickQueued = false;
      chunks.push(encodeIn(this.#stamped(next.msg)));
      this.#unanswered++;
      if (next.barrier) this.#barrierOut = true;
    }
    if (chunks.length) child.stdin.write(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
  }

  #onData(chunk: Buffer): void {
    let messages: CoreOut[];
    try {
      messages = this.#reader.push(chunk);
    } catch (err) {
      this.#stderr += `\n(simulator) unreadable output from the harness: ${(err as Error).message}`;
      this.#child?.kill('SIGKILL');
      return;
    }
    for (const m of messages) this.#onMessage(m);
  }

  #onMessage(m: CoreOut): void {
    switch (m.type) {
      case 'frame':
        this.emit('frame', m.conn, m.data);
        return;
      case 'close':
        this.emit('close', m.conn, m.code, m.reason);
        return;
      case 'open-result':
        this.emit('open-result', m.conn, m.accepted);
        return;
      case 'scan-start': {
        const { type: _, ...params } = m;
        this.#answer(this.options.scanStart(params));
        return;
      }
      case 'scan-stop':
        this.#answer(this.options.scanStop().then(() => undefined));
        return;
      case 'done':
        this.#unanswered = Math.max(0, this.#unanswered - 1);
        if (this.#unanswered === 0) this.#barrierOut = false;
        this.#firstDone?.();
        this.#firstDone = undefined;
        this.#armTick(m.waitMs);
        this.#pump();
        return;
    }
  }

  /** The harness waits for this answer before anything else: nothing is pumped until it went. */
  #answer(result: Promise<string | undefined>): void {
    this.#answering = true;
    const send = (message: string | undefined) => {
      this.#answering = false;
      if (this.#exited || !this.#child) return;
      this.#child.stdin.write(
        encodeIn(
          message === undefined ? { type: 'answer', ok: true } : { type: 'answer', ok: false, message },
        ),
      );
      this.#pump();
    };
    result.then(send, (err: unknown) =>
      send(err instanceof Error && err.message ? err.message : 'the scan could not start'),
    );
  }

  /** Keeps the earliest deadline: a steady stream of messages must not keep pushing the tick away. */
  #armTick(waitMs: number): void {
    if (this.#stopping) return;
    const ms = Math.min(TICK_MAX_MS, Math.max(TICK_MIN_MS, waitMs));
    const at = performance.now() + ms;
    if (this.#tickTimer && this.#tickAt <= at) return;
    clearTimeout(this.#tickTimer);
    this.#tickAt = at;
    this.#tickTimer = setTimeout(() => {
      this.#tickTimer = undefined;
      if (this.#tickQueued) return;
      this.#tickQueued = true;
      this.#enqueue({ type: 'tick', now: this.#now() });
    }, ms);
    this.#tickTimer.unref();
  }
}

/** One line: how the harness ended, with the last line of its stderr when there is one. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const last = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^=+$/.test(l))
    .at(-1);
  return last ? `${how}: ${last.slice(0, 300)}` : how;
}
