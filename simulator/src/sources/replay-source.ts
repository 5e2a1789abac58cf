// The replay source: plays a session recording (recording.ts) back with its recorded timing.
import { EventEmitter } from 'node:events';
import { type LongTimeout, setLongTimeout } from './long-timeout.js';
import { type RecordedAdvert, readRecording } from './recording.js';
import {
  replayOptions,
  type ScanParams,
  type ScanSource,
  type ScanSourceEvents,
  SourceError,
  type SourceOptions,
} from './scan-source.js';

/** Timers never fire closer together than this; everything due by then is emitted together. */
const MIN_TICK_MS = 10;
/** Advertisements emitted per turn of the event loop at speed 0 (and at most per tick otherwise). */
const CHUNK = 2000;
/** Recorded ms between the end of a recording and its start again when looping. */
const LOOP_GAP_MS = 100;

/**
 * Plays `options.file`. `speed` scales the recorded timing (2 = twice as fast; 0 = as fast as possible,
 * in chunks that yield to the event loop). The file is read and validated once, at the first start;
 * start rejects with a SourceError naming the file and line when it is missing or corrupt.
 *
 * Stop pauses: the next start continues with the advertisement after the last one emitted. At the end
 * of the recording, with `loop` it starts again from the beginning; without, it emits `end` and
 * `state: stopped`, and the next start plays it from the beginning again. The gap before the first
 * advertisement is skipped. Scan params do not change what was recorded: every advertisement is played,
 * repeats included (the scan engine applies `duplicates: false`).
 */
export class ReplaySource extends EventEmitter<ScanSourceEvents> implements ScanSource {
  readonly name = 'replay';
  readonly demo = false;
  readonly file: string;
  readonly speed: number;
  readonly loop: boolean;
  #entries: RecordedAdvert[] | undefined;
  #pos = 0;
  /** The pending wake-up: a (possibly long) timeout, or an immediate at speed 0. */
  #timer: LongTimeout | NodeJS.Immediate | undefined;
  #scanning = false;
  #closed = false;
  /** Bumped by stop and close, so a start still reading the file knows it was cancelled. */
  #generation = 0;
  #anchorWall = 0;
  #anchorT = 0;
  readonly #log: SourceOptions['log'];

  constructor(options: SourceOptions = {}) {
    super();
    const { file, speed } = replayOptions(
      'replay',
      options,
      'no recording given; use --replay FILE (make one with --record FILE)',
    );
    this.file = file;
    this.speed = speed;
    this.loop = options.loop ?? false;
    this.#log = options.log;
  }

  /** Index of the next advertisement to play, and how many the recording holds. */
  get position(): { next: number; total: number | undefined } {
    return { next: this.#pos, total: this.#entries?.length };
  }

  async start(_params: ScanParams): Promise<void> {
    if (this.#closed) throw new SourceError('closed', 'replay: the source was closed');
    if (this.#scanning) return;
    const generation = this.#generation;
    this.#entries ??= (await readRecording(this.file)).entries;
    if (generation !== this.#generation || this.#scanning) return;
    this.#scanning = true;
    this.#anchor(this.#entries[this.#pos]?.t ?? 0);
    this.emit('state', 'scanning');
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#generation++;
    if (!this.#scanning) return;
    this.#halt();
    this.emit('state', 'stopped');
  }

  async close(): Promise<void> {
    await this.stop();
    this.#closed = true;
    this.#entries = undefined;
  }

  #halt(): void {
    this.#scanning = false;
    const timer = this.#timer;
    if (timer && 'clear' in timer) timer.clear();
    else if (timer) clearImmediate(timer);
    this.#timer = undefined;
  }

  #anchor(t: number): void {
    this.#anchorWall = performance.now();
    this.#anchorT = t;
  }

  #schedule(ms: number): void {
    // A gap longer than setTimeout allows (a clock jump, a tiny speed) is waited out in steps.
    this.#timer = ms > 0 ? setLongTimeout(() => this.#play(), ms) : setImmediate(() => this.#play());
  }

  #play(): void {
    this.#timer = undefined;
    const entries = this.#entries;
    if (!this.#scanning || !entries) return;
    const fast = this.speed === 0;
    const now = fast
      ? Number.POSITIVE_INFINITY
      : this.#anchorT + (performance.now() - this.#anchorWall) * this.speed;
    const at = Date.now();
    for (let n = 0; n < CHUNK && this.#scanning; n++) {
      const entry = entries[this.#pos];
      if (!entry) {
        if (!this.#wrap()) return;
        if (!fast) break;
        continue;
      }
      if (entry.t > now) break;
      this.#pos++;
      this.#emit(entry, at);
    }
    if (!this.#scanning) return;
    const next = entries[this.#pos];
    const wait =
      fast || !next
        ? 0
        : (next.t - (this.#anchorT + (performance.now() - this.#anchorWall) * this.speed)) / this.speed;
    this.#schedule(wait > 0 ? Math.max(MIN_TICK_MS, wait) : 0);
  }

  #emit(entry: RecordedAdvert, at: number): void {
    this.emit('advert', { ...entry.ad, at });
  }

  /** At the end: start over (true) or finish (false). */
  #wrap(): boolean {
    const first = this.#entries?.[0];
    this.#pos = 0;
    if (this.loop && first) {
      this.#anchor(first.t - LOOP_GAP_MS);
      return true;
    }
    if (this.loop) this.#log?.('warn', `replay: ${this.file} holds no advertisements, nothing to loop`);
    this.#halt();
    this.emit('end');
    this.emit('state', 'stopped');
    return false;
  }
}
