// The scan engine: owns the ONE scan state (one radio, shared by every client) and the device table. A
// source feeds it advertisements; sessions subscribe to its changes. Nothing here knows about sockets.
import type { ScanCompleteMessage, ScanState } from '@bleshark/shared-protocol';
import type { LogFn } from '../log.js';
import type { Advertisement, ScanParams, ScanSource, SourceError } from '../sources/scan-source.js';
import { type DeviceEntry, DeviceTable, type DeviceTableOptions, dedupeKey } from './device-table.js';
import { sanitizeAdvert } from './sanitize-advert.js';

/** What a subscriber (a client session) hears. Calls are synchronous and must not throw. */
export type EngineListener = {
  /** A device was heard; `change` says whether it is new, changed beyond rssi, or only seen again. */
  sighting(entry: DeviceEntry, change: 'new' | 'changed' | 'seen'): void;
  /** A device left the table (evicted because the table was full). */
  removed(id: number): void;
  /** The table was emptied by a `clear` command. */
  cleared(): void;
  /** The scan state changed (started, re-parameterised, stopped). */
  scanState(state: ScanState): void;
  /** A scan ended (duration elapsed, stopped, or failed). */
  scanComplete(msg: ScanCompleteMessage): void;
};

/** A scan-start request: absent fields keep the current values. */
export type ScanRequest = Partial<Omit<ScanState, 'scanning' | 'since'>>;

/** The engine's own defaults (the table's, maxDevices and maxRecordBytes, are TABLE_DEFAULTS). */
export const ENGINE_DEFAULTS = {
  /** Milliseconds between adverts/s samples. */
  rateIntervalMs: 2000,
};

export type ScanEngineOptions = DeviceTableOptions &
  Partial<typeof ENGINE_DEFAULTS> & {
    source: ScanSource;
    /** Device uptime in ms. Default: ms since the engine was created. */
    now?: () => number;
    /** Diagnostics sink. Default: none. */
    log?: LogFn;
  };

/**
 * The scan parameters used at launch: active, duplicates on, 100 ms interval, 50 ms window, no duration.
 * `duplicates: false` is applied here, once for every source: the engine passes on the first advertisement
 * of each device per scan (sources deliver everything they hear).
 */
export const DEFAULT_SCAN: Omit<ScanState, 'scanning' | 'since'> = {
  mode: 'active',
  interval: 100,
  window: 50,
  duration: 0,
  duplicates: true,
};

export class ScanEngine {
  readonly source: ScanSource;
  readonly table: DeviceTable;
  /** Adverts per second over the last sample interval. */
  rate = 0;
  /** Advertisements ignored since start (unusable, or heard while not scanning). */
  drops = 0;
  /** Advertisements accepted since start. */
  adverts = 0;
  readonly now: () => number;
  #state: ScanState = { scanning: false, ...DEFAULT_SCAN };
  #listeners = new Set<EngineListener>();
  #scanNo = 0;
  #scanAdverts = 0;
  #scanDevices = 0;
  /** Dedupe keys of the devices passed on since the parameters were last applied (duplicates off). */
  #reported = new Set<string>();
  #stopping = false;
  #lastError: SourceError | undefined;
  #durationTimer: NodeJS.Timeout | undefined;
  #rateTimer: NodeJS.Timeout;
  #chain: Promise<unknown> = Promise.resolve();
  #log: LogFn;
  #detach: () => void;

  constructor(options: ScanEngineOptions) {
    this.source = options.source;
    this.table = new DeviceTable({ maxDevices: options.maxDevices, maxRecordBytes: options.maxRecordBytes });
    const t0 = performance.now();
    this.now = options.now ?? (() => Math.floor(performance.now() - t0));
    this.#log = options.log ?? (() => {});
    let lastAdverts = 0;
    let lastAt = this.now();
    const rateMs = options.rateIntervalMs ?? ENGINE_DEFAULTS.rateIntervalMs;
    this.#rateTimer = setInterval(() => {
      const at = this.now();
      this.rate = Math.round(((this.adverts - lastAdverts) * 1000 * 10) / Math.max(1, at - lastAt)) / 10;
      lastAdverts = this.adverts;
      lastAt = at;
    }, rateMs);
    this.#rateTimer.unref();
    const advert = this.#onAdvert.bind(this);
    const state = this.#onSourceState.bind(this);
    const error = (err: SourceError) => {
      this.#lastError = err;
      this.#log('warn', `source error: ${err.code}: ${err.message}`);
    };
    const end = () => void this.stop('stopped', 'the source has nothing more to play').catch(() => {});
    this.source.on('advert', advert);
    this.source.on('state', state);
    this.source.on('error', error);
    this.source.on('end', end);
    this.#detach = () => {
      this.source.off('advert', advert);
      this.source.off('state', state);
      this.source.off('error', error);
      this.source.off('end', end);
    };
  }

  get state(): ScanState {
    return { ...this.#state };
  }

  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts the scan, or re-applies changed parameters. Idempotent: the same parameters change nothing. */
  start(req: ScanRequest = {}): Promise<void> {
    return this.#serial(async () => {
      const cur = this.#state;
      const next = {
        mode: req.mode ?? cur.mode,
        interval: req.interval ?? cur.interval,
        window: req.window ?? cur.window,
        duration: req.duration ?? cur.duration,
        duplicates: req.duplicates ?? cur.duplicates,
      };
      if (next.window > next.interval) next.window = next.interval;
      const same =
        cur.mode === next.mode &&
        cur.interval === next.interval &&
        cur.window === next.window &&
        cur.duration === next.duration &&
        cur.duplicates === next.duplicates;
      if (cur.scanning && same) return;
      const params: ScanParams = {
        mode: next.mode,
        interval: next.interval,
        window: next.window,
        duplicates: next.duplicates,
      };
      this.#lastError = undefined;
      await this.source.start(params);
      this.#reported.clear();
      let since = cur.since;
      if (!cur.scanning || since === undefined) {
        since = this.now();
        this.#scanNo++;
        this.#scanAdverts = 0;
        this.#scanDevices = 0;
      }
      this.#state = { scanning: true, ...next, since };
      this.#armDuration();
      this.#emitState();
    });
  }

  /** Stops the scan (idempotent) and tells every subscriber with `scan-complete`. */
  stop(reason: ScanCompleteMessage['reason'] = 'stopped', message?: string): Promise<void> {
    return this.#serial(async () => {
      if (!this.#state.scanning) return;
      this.#stopping = true;
      try {
        await this.source.stop();
      } finally {
        this.#stopping = false;
      }
      this.#complete(reason, message);
    });
  }

  /**
   * Empties the table (shared by all clients). With duplicates off, the devices already passed on in this
   * scan are forgotten too, so a cleared device comes back the next time it is heard (as on the C core).
   */
  clear(): void {
    this.table.clear();
    this.#reported.clear();
    for (const l of this.#listeners) l.cleared();
  }

  /** Stops listening to the source and drops every timer (the source itself is closed by its owner). */
  close(): void {
    clearInterval(this.#rateTimer);
    clearTimeout(this.#durationTimer);
    this.#detach();
    this.#listeners.clear();
  }

  #serial(fn: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => {});
    return run;
  }

  #armDuration(): void {
    clearTimeout(this.#durationTimer);
    this.#durationTimer = undefined;
    const { duration, since } = this.#state;
    if (!duration || since === undefined) return;
    const left = Math.max(0, since + duration * 1000 - this.now());
    this.#durationTimer = setTimeout(() => void this.stop('duration').catch(() => {}), left);
    this.#durationTimer.unref();
  }

  #complete(reason: ScanCompleteMessage['reason'], message?: string): void {
    clearTimeout(this.#durationTimer);
    this.#durationTimer = undefined;
    const t = this.now();
    const since = this.#state.since ?? t;
    const { since: _, ...rest } = this.#state;
    this.#state = { ...rest, scanning: false };
    this.#emitState();
    const msg: ScanCompleteMessage = {
      type: 'scan-complete',
      t,
      reason,
      adverts: this.#scanAdverts,
      devices: this.#scanDevices,
      ms: Math.max(0, t - since),
    };
    if (message) msg.message = message.slice(0, 256);
    for (const l of this.#listeners) l.scanComplete(msg);
  }

  #emitState(): void {
    const s = this.state;
    for (const l of this.#listeners) l.scanState(s);
  }

  #onSourceState(state: 'scanning' | 'stopped'): void {
    if (state !== 'stopped' || this.#stopping || !this.#state.scanning) return;
    // The source stopped on its own: a failure (when it reported one) or the end of its data.
    const err = this.#lastError;
    void this.#serial(async () => {
      if (this.#state.scanning) this.#complete(err ? 'error' : 'stopped', err?.message);
    });
  }

  #onAdvert(ad: Advertisement): void {
    if (!this.#state.scanning || typeof ad !== 'object' || ad === null) {
      this.drops++;
      return;
    }
    const f = sanitizeAdvert(ad);
    if (!f) {
      this.drops++;
      return;
    }
    const pid = typeof ad.pid === 'string' ? ad.pid : undefined;
    if (!this.#state.duplicates) {
      const key = dedupeKey(f.addr, pid, f.addrType);
      if (this.#reported.has(key)) return;
      this.#reported.add(key);
    }
    this.adverts++;
    this.#scanAdverts++;
    const s = this.table.upsert(f, pid, this.now());
    if (s.entry.scan !== this.#scanNo) {
      s.entry.scan = this.#scanNo;
      this.#scanDevices++;
    }
    if (s.evicted) for (const l of this.#listeners) l.removed(s.evicted.rec.id);
    for (const l of this.#listeners) l.sighting(s.entry, s.change);
  }
}
