// `--record FILE`: wraps any source so that every advertisement it emits is also written to a recording.
import { EventEmitter } from 'node:events';
import { createRecorder, type Recorder } from './recording.js';
import type {
  ScanParams,
  ScanSource,
  ScanSourceEvents,
  SourceError,
  SourceName,
  SourceOptions,
} from './scan-source.js';

export type WithRecorderOptions = {
  /** Where a write failure goes when nobody listens for `error` (default: a process warning). */
  log?: SourceOptions['log'];
  /** Passed to the recorder (see RecorderOptions). */
  flushMs?: number;
};

class RecordingSource extends EventEmitter<ScanSourceEvents> implements ScanSource {
  readonly #inner: ScanSource;
  readonly #recorder: Recorder;
  readonly #log: SourceOptions['log'];
  /** Set once the recording's header is written; until then a write failure rejects the first start. */
  #open = false;

  constructor(inner: ScanSource, file: string, options: WithRecorderOptions) {
    super();
    this.#inner = inner;
    this.#log = options.log;
    const recorderOptions = options.flushMs === undefined ? {} : { flushMs: options.flushMs };
    this.#recorder = createRecorder(file, inner.name, {
      ...recorderOptions,
      deferOpen: true,
      onError: (err) => this.#fail(err),
    });
    // The line is serialised before listeners run, so nothing they do to the object reaches the file.
    inner.on('advert', (ad) => {
      this.#recorder.write(ad);
      this.emit('advert', ad);
    });
    inner.on('state', (state) => this.emit('state', state));
    inner.on('error', (err) => this.emit('error', err));
    inner.on('end', () => this.emit('end'));
  }

  get name(): SourceName {
    return this.#inner.name;
  }

  get demo(): boolean {
    return this.#inner.demo;
  }

  /** Advertisements written to the recording so far. */
  get recorded(): number {
    return this.#recorder.count;
  }

  /**
   * The first start starts the source, then creates the recording and writes its header (what the source
   * emitted meanwhile is kept and written after it). A source that cannot start leaves the file untouched;
   * a recording that cannot be written stops the source and rejects with `record-failed`.
   */
  async start(params: ScanParams): Promise<void> {
    await this.#inner.start(params);
    if (this.#open) return;
    try {
      await this.#recorder.open();
      this.#open = true;
    } catch (err) {
      await this.#inner.stop().catch(() => undefined);
      throw err;
    }
  }

  stop(): Promise<void> {
    return this.#inner.stop();
  }

  /** Closes the source, then flushes and closes the recording (a write failure was already reported). */
  async close(): Promise<void> {
    try {
      await this.#inner.close();
    } finally {
      await this.#recorder.close().catch(() => undefined);
    }
  }

  /** A failed write after the first start is an `error` event; scanning goes on without recording. */
  #fail(err: SourceError): void {
    if (!this.#open) return;
    if (this.listenerCount('error')) this.emit('error', err);
    else if (this.#log) this.#log('error', err.message);
    else process.emitWarning(err.message);
  }
}

/**
 * Returns a source that behaves exactly like `source` and also records every advertisement it emits to
 * `file` (see recording.ts for the format). The file is created (or truncated) at the first start, once
 * `source` has started, and that start rejects with `record-failed` when it cannot be written. Closing
 * it closes `source`.
 */
export function withRecorder(
  source: ScanSource,
  file: string,
  options: WithRecorderOptions = {},
): ScanSource {
  return new RecordingSource(source, file, options);
}
