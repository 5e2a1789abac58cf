// Turns the `source` option into a live ScanSource: an instance is used as is, a name goes through the
// lazy factory, and `auto` tries noble first and falls back to the demo scene within a deadline.
import { DEFAULT_SCAN } from './engine/scan-engine.js';
import type { LogFn } from './log.js';
import { createSource } from './sources/create-source.js';
import { sameFile } from './sources/same-file.js';
import { type ScanSource, SourceError, type SourceName, type SourceOptions } from './sources/scan-source.js';
import { withRecorder } from './sources/with-recorder.js';

/** The defaults of PickOptions that are decided here (the others are each source's own, see sources/). */
export const PICK_DEFAULTS = {
  /** `auto`: noble (real Bluetooth) when it reaches poweredOn within autoTimeoutMs, else the demo scene. */
  source: 'auto',
  /** How long `auto` waits for noble (creating it and reaching poweredOn), ms. */
  autoTimeoutMs: 3000,
} as const;

/** The options that choose and configure the scan source (a subset of SimulatorOptions). */
export type PickOptions = {
  /** Where discoveries come from; a ready ScanSource instance (tests) is used as is. Default
   * PICK_DEFAULTS.source. */
  source?: 'auto' | SourceName | ScanSource;
  /** Seed of the demo scene. Default 1. */
  seed?: number;
  /** Demo adverts per second. Default: the demo source's (60). */
  rate?: number;
  /** Demo devices. Default: the demo source's (40). */
  devices?: number;
  /** replay / hci-replay: the file to play. Default: none. */
  replay?: string;
  /** Replay speed factor (0 = as fast as possible). Default 1. */
  speed?: number;
  /** Replay: start again at the end. Default false. */
  loop?: boolean;
  /** Also write every advertisement to this JSONL recording; never the `replay` file. Default: none. */
  record?: string;
  /** How long `auto` waits for noble, ms. Default PICK_DEFAULTS.autoTimeoutMs. */
  autoTimeoutMs?: number;
};

export type Picked = { source: ScanSource; fallbackReason?: string };

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Rejects with `what` when `p` does not settle within `ms`; `onLate` receives a value that arrives late. */
function deadline<T>(p: Promise<T>, ms: number, what: string, onLate: (v: T) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  p.then(
    (v) => {
      if (late) onLate(v);
    },
    () => {},
  );
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => {
        late = true;
        reject(new Error(what));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Picks the source and, with `record`, wraps it so that every advertisement is also written to the file
 * (created at the first start: see withRecorder). Rejects with `record-is-input` when `record` is the file
 * being replayed, however it is spelled (`./x`, `x`, a symlink or a hard link), before anything is opened.
 */
export async function pickSource(options: PickOptions, log: LogFn): Promise<Picked> {
  if (options.record && options.replay && sameFile(options.record, options.replay))
    throw new SourceError(
      'record-is-input',
      `--record ${options.record} is the file being replayed (${options.replay}); recording to it would erase it: record to another file`,
    );
  const picked = await pickBare(options, log);
  if (!options.record) return picked;
  const source = withRecorder(picked.source, options.record, { log: (level, msg) => log(level, msg) });
  return picked.fallbackReason ? { source, fallbackReason: picked.fallbackReason } : { source };
}

async function pickBare(options: PickOptions, log: LogFn): Promise<Picked> {
  const chosen = options.source ?? PICK_DEFAULTS.source;
  if (typeof chosen === 'object') return { source: chosen };
  const sourceOptions: SourceOptions = {
    log: (level, msg) => log(level, msg),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.rate !== undefined ? { rate: options.rate } : {}),
    ...(options.devices !== undefined ? { devices: options.devices } : {}),
    ...(options.replay !== undefined ? { file: options.replay } : {}),
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.loop !== undefined ? { loop: options.loop } : {}),
  };
  if (chosen !== 'auto') return { source: await createSource(chosen, sourceOptions) };

  const ms = options.autoTimeoutMs ?? PICK_DEFAULTS.autoTimeoutMs;
  const started = Date.now();
  let noble: ScanSource | undefined;
  try {
    noble = await deadline(
      createSource('noble', sourceOptions),
      ms,
      `noble did not load within ${ms} ms`,
      (s) => {
        void s.close().catch(() => {});
      },
    );
    const left = Math.max(1, ms - (Date.now() - started));
    const probe = noble;
    await deadline(
      probe.start(DEFAULT_SCAN),
      left,
      `no Bluetooth adapter reported ready within ${ms} ms`,
      () => {},
    );
    log('info', 'source: noble (real Bluetooth)');
    return { source: noble };
  } catch (err) {
    const reason = message(err);
    if (noble) void noble.close().catch(() => {});
    log('warn', `noble is not available, using the demo scene instead: ${reason}`);
    return { source: await createSource('demo', sourceOptions), fallbackReason: reason };
  }
}
