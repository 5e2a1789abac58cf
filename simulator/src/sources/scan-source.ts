// The one interface every scan source implements (demo, noble, replay, hci-replay). The scan engine only
// talks to this; sources never see clients, filters or the wire.
import type { EventEmitter } from 'node:events';
import type { AdvertFields } from '@bleshark/shared-protocol';
import type { LogFn } from '../log.js';

/**
 * One advertisement as a source heard it (advertising data merged with its scan response, if any): the one
 * advert shape (shared-protocol's AdvertFields, documented field by field on DeviceRecord) plus where it came
 * from. A source is untrusted: the engine's sanitizeAdvert bounds it (and drops a tx of 127, "absent").
 */
export type Advertisement = AdvertFields & {
  /** A stable platform id (noble's peripheral id), used to dedupe when `addr` is not a real address. */
  pid?: string;
  /** When the source emitted it (Date.now()), carried for latency measurements. */
  at?: number;
};

export type ScanParams = {
  mode: 'active' | 'passive';
  /** ms */
  interval: number;
  /** ms */
  window: number;
  /**
   * true: report every advertisement; false: each device once per scan. The scan engine applies it; a source
   * delivers everything it hears either way (it may pass the flag on to a radio, never filter by itself).
   */
  duplicates: boolean;
};

export const SOURCE_NAMES = ['demo', 'noble', 'replay', 'hci-replay'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** A failure a source reports: a stable code, and a message that tells the user what to do. */
export class SourceError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
    this.code = code;
  }
}

export type ScanSourceEvents = {
  advert: [ad: Advertisement];
  /** `scanning` after a start took effect, `stopped` after a stop (or a failure) took effect. */
  state: [state: 'scanning' | 'stopped'];
  /** Errors while scanning (the source also emits `state: stopped` if it stopped because of it). */
  error: [err: SourceError];
  /** A finite source (replay without --loop) has nothing more to play. */
  end: [];
};

export interface ScanSource extends EventEmitter<ScanSourceEvents> {
  readonly name: SourceName;
  /** True when the data is synthetic (the page says "demo data"). */
  readonly demo: boolean;
  /** Starts scanning, or re-applies params when already scanning. Rejects with a SourceError. */
  start(params: ScanParams): Promise<void>;
  /** Stops scanning. Idempotent: stopping an idle source resolves at once. */
  stop(): Promise<void>;
  /** Stops and releases everything (timers, files, the adapter). The source is not used afterwards. */
  close(): Promise<void>;
}

export type SourceOptions = {
  /** Seed of the demo scene and anything random (default 1). */
  seed?: number;
  /** Demo: adverts per second (default 60). */
  rate?: number;
  /** Demo: devices in the scene (default 40). */
  devices?: number;
  /** replay / hci-replay: the file to play. */
  file?: string;
  /** replay / hci-replay: playback speed factor (default 1; 0 = as fast as possible). */
  speed?: number;
  /** replay / hci-replay: start again at the end instead of emitting `end`. */
  loop?: boolean;
  /** Diagnostics sink (one line per call). */
  log?: LogFn;
};

/**
 * The file and speed every replaying source needs, checked once: `no-file` (with `missing`, which says what
 * to pass) or `invalid-option` SourceErrors carry the source's `name` as prefix.
 */
export function replayOptions(
  name: string,
  options: SourceOptions,
  missing: string,
): { file: string; speed: number } {
  if (!options.file) throw new SourceError('no-file', `${name}: ${missing}`);
  const speed = options.speed ?? 1;
  if (!Number.isFinite(speed) || speed < 0)
    throw new SourceError('invalid-option', `${name}: --speed must be a number >= 0, got ${speed}`);
  return { file: options.file, speed };
}
