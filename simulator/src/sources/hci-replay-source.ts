// hci-replay: a recorded HCI capture (btsnoop or raw H4) played through the REAL @abandonware/noble
// stack. noble is loaded fresh with a stand-in HCI socket (hci/install-fake-hci.ts) that answers its
// commands like a controller and emits the capture's advertising reports; discoveries are mapped by
// noble-mapping.ts exactly as for the live noble source.
import { EventEmitter } from 'node:events';
import { type Capture, CaptureError, describeCapture, readCapture } from '../hci/capture.js';
import type { FakeHciSocket } from '../hci/fake-hci-socket.js';
import { loadNobleWithFakeHci } from '../hci/install-fake-hci.js';
import { NobleDriver } from './noble-driver.js';
import { mapNobleError } from './noble-errors.js';
import {
  replayOptions,
  type ScanParams,
  type ScanSource,
  type ScanSourceEvents,
  SourceError,
  type SourceOptions,
} from './scan-source.js';

export type HciReplayOptions = SourceOptions & {
  /** Stop at a damaged record and play what came before it, instead of failing (default false). */
  lenient?: boolean;
  /** Replay through noble's extended-scan path (default: when the capture holds extended reports). */
  extended?: boolean;
};

/**
 * Plays `options.file` (btsnoop v1 with datalink 1001/1002/2001, or a raw H4 stream). `speed` scales the
 * recorded timing (0 = as fast as possible; raw H4 has no times, its reports are 10 ms apart); `loop`
 * starts again at the end, otherwise the source emits `end` and `state: stopped`, and the next start
 * plays the capture from the beginning. The capture is read once, at the first start; a missing or
 * damaged file rejects start with a SourceError naming the record number and byte offset.
 */
export class HciReplaySource extends EventEmitter<ScanSourceEvents> implements ScanSource {
  readonly name = 'hci-replay' as const;
  readonly demo = false;
  readonly file: string;
  private readonly options: HciReplayOptions;
  private capture: Capture | undefined;
  private driver: NobleDriver | undefined;
  private socket: FakeHciSocket | undefined;
  private opening: Promise<NobleDriver> | undefined;
  private closed = false;

  constructor(options: HciReplayOptions = {}) {
    super();
    const { file, speed } = replayOptions(
      'hci-replay',
      options,
      'no capture given; use --source hci-replay FILE (btsnoop or H4)',
    );
    this.file = file;
    this.options = { ...options, speed };
  }

  /** The parsed capture (after the first start). */
  get info(): Capture | undefined {
    return this.capture;
  }

  async start(params: ScanParams): Promise<void> {
    if (this.closed) throw new SourceError('closed', 'hci-replay: the source was closed');
    this.opening ??= this.open().catch((err: unknown) => {
      this.opening = undefined;
      throw err;
    });
    const driver = await this.opening;
    if (!this.closed) await driver.start(params);
  }

  async stop(): Promise<void> {
    await this.driver?.stop();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const driver = this.driver ?? (await this.opening?.catch(() => undefined));
    await driver?.close();
    this.socket?.stop();
    this.capture = undefined;
  }

  private async open(): Promise<NobleDriver> {
    const { log } = this.options;
    try {
      this.capture = await readCapture(this.file, { lenient: this.options.lenient === true });
    } catch (err) {
      throw readError(this.file, err);
    }
    log?.('info', `hci-replay: ${this.file}: ${describeCapture(this.capture)}`);
    let loaded: ReturnType<typeof loadNobleWithFakeHci>;
    try {
      loaded = loadNobleWithFakeHci({
        events: this.capture.events,
        speed: this.options.speed ?? 1,
        loop: this.options.loop === true,
        extended: this.options.extended ?? this.capture.extended,
        ...(log ? { log } : {}),
        onEnd: () => void this.finish(),
      });
    } catch (err) {
      throw mapNobleError(err);
    }
    const driver = new NobleDriver(loaded.noble, { ...(log ? { log } : {}), disposable: true });
    driver.on('advert', (ad) => this.emit('advert', ad));
    driver.on('state', (s) => this.emit('state', s));
    driver.on('error', (e) => this.emit('error', e));
    try {
      await driver.powerOn();
    } catch (err) {
      await driver.close();
      throw err;
    }
    this.socket = loaded.sockets[0];
    this.driver = driver;
    return driver;
  }

  /** The capture is exhausted (not looping): `end`, then stopped. */
  private async finish(): Promise<void> {
    if (!this.driver?.isScanning) return;
    this.emit('end');
    await this.driver.stop();
  }
}

function readError(file: string, err: unknown): SourceError {
  if (err instanceof CaptureError)
    return new SourceError('bad-capture', `hci-replay: ${err.message}`, { cause: err });
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT')
    return new SourceError('no-file', `hci-replay: ${file} does not exist`, { cause: err });
  const why = err instanceof Error ? err.message : String(err);
  return new SourceError('bad-capture', `hci-replay: cannot read ${file}: ${why}`, { cause: err });
}
