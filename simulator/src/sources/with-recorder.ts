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

  constructor(inner: ScanSource, file: string, options: WithRecorderOptions) {
    super();
    this.#inner = inner;
    this.#log = options.log;
    const recorderOptions = options.flushMs === undefined ? {} : { flushMs: options.flushMs };
    this.#recorder = createRecorder(file, inner.name, {
      ...recorderOptions,
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

  start(params: ScanParams): Promise<void> {
    return this.#inner.start(params);
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

  /** A failed write is an `error` event; scanning goes on without recording. */
  #fail(err: SourceError): void {
    if (this.listenerCount('error')) this.emit('error', err);
    else if (this.#log) this.#log('error', err.message);
    else process.emitWarning(err.message);
  }
}

/**
 * Returns a source that behaves exactly like `source` and also records every advertisement it emits to
 * `file` (created or truncated at once; see recording.ts for the format). Closing it closes `source`.
 */
export function withRecorder(
  source: ScanSource,
  file: string,
  options: WithRecorderOptions = {},
): ScanSource {
  return new RecordingSource(source, file, options);
}
