// The demo source: plays the seeded demo crowd (demo-scene.ts) at a fixed rate. One interval timer emits,
// on each coarse tick, as many advertisements as are due, so the cost is per tick, not per advertisement.
import { EventEmitter } from 'node:events';
import { DemoScene } from './demo-scene.js';
import {
  type ScanParams,
  type ScanSource,
  type ScanSourceEvents,
  SourceError,
  type SourceOptions,
} from './scan-source.js';

/** Milliseconds between emission ticks. */
export const DEMO_TICK_MS = 25;
/** Upper bounds of the options, to keep a typo from eating the machine. */
export const DEMO_MAX_RATE = 100_000;
export const DEMO_MAX_DEVICES = 100_000;
/** When the process falls behind by more than this many seconds of adverts, the backlog is dropped. */
const MAX_BACKLOG_S = 0.25;

function positive(name: string, v: number, max: number, integer: boolean): number {
  if (!Number.isFinite(v) || v <= 0 || v > max || (integer && !Number.isInteger(v)))
    throw new SourceError(
      'invalid-option',
      `demo: --${name} must be ${integer ? 'an integer' : 'a number'} in 1..${max}, got ${v}`,
    );
  return v;
}

/**
 * A deterministic crowd: the same seed, device count and rate give the same advertisements in the same
 * order (only `at` differs). The scene clock runs while scanning; stop pauses it, start resumes it.
 * Passive scans carry no scan responses (names only found there disappear). Every advertisement is
 * delivered, repeats included: the scan engine applies `duplicates: false`.
 * Emitted advertisements share their decoded arrays with later ones: treat them as immutable.
 */
export class DemoSource extends EventEmitter<ScanSourceEvents> implements ScanSource {
  readonly name = 'demo';
  readonly demo = true;
  /** Adverts per second. */
  readonly rate: number;
  readonly #scene: DemoScene;
  #params: ScanParams | undefined;
  #timer: NodeJS.Timeout | undefined;
  #anchor = 0;
  #slots = 0;
  #emitted = 0;
  #dropped = 0;
  #closed = false;

  constructor(options: SourceOptions = {}) {
    super();
    const seed = options.seed ?? 1;
    if (!Number.isSafeInteger(seed))
      throw new SourceError('invalid-option', `demo: --seed must be an integer, got ${seed}`);
    this.rate = positive('rate', options.rate ?? 60, DEMO_MAX_RATE, false);
    const devices = positive('devices', options.devices ?? 40, DEMO_MAX_DEVICES, true);
    this.#scene = new DemoScene({ seed, devices, rate: this.rate });
  }

  /** Advertisements emitted, and slots dropped because the process fell behind. */
  get stats(): { emitted: number; dropped: number; present: number; sceneTime: number } {
    return {
      emitted: this.#emitted,
      dropped: this.#dropped,
      present: this.#scene.present,
      sceneTime: this.#scene.time,
    };
  }

  async start(params: ScanParams): Promise<void> {
    if (this.#closed) throw new SourceError('closed', 'demo: the source was closed');
    this.#params = params;
    if (this.#timer) return;
    this.#anchor = performance.now();
    this.#slots = 0;
    this.#timer = setInterval(() => this.#tick(), DEMO_TICK_MS);
    this.emit('state', 'scanning');
  }

  async stop(): Promise<void> {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.emit('state', 'stopped');
  }

  async close(): Promise<void> {
    await this.stop();
    this.#closed = true;
  }

  #tick(): void {
    const params = this.#params;
    if (!params) return;
    const due = Math.floor(((performance.now() - this.#anchor) * this.rate) / 1000);
    let n = due - this.#slots;
    const max = Math.max(1, Math.ceil(this.rate * MAX_BACKLOG_S));
    if (n > max) {
      this.#dropped += n - max;
      this.#slots += n - max;
      n = max;
    }
    this.#slots += n;
    const active = params.mode === 'active';
    const at = Date.now();
    for (let i = 0; i < n && this.#timer; i++) {
      const ad = this.#scene.next(active);
      if (!ad) continue;
      ad.at = at;
      this.#emitted++;
      this.emit('advert', ad);
    }
  }
}
