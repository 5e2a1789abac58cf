// hci-replay: a recorded HCI capture (btsnoop or raw H4) played through the REAL @abandonware/noble
// stack. noble is loaded fresh with a stand-in HCI socket (hci/install-fake-hci.ts) that answers its
// commands like a controller and emits the capture's advertising reports; discoveries are mapped by
// noble-mapping.ts exactly as for the live noble source.
import { type Capture, CaptureError, describeCapture, readCapture } from '../hci/capture.js';
import type { FakeHciSocket } from '../hci/fake-hci-socket.js';
import { loadNobleWithFakeHci } from '../hci/install-fake-hci.js';
import { DriverSource } from './driver-source.js';
import { NobleDriver } from './noble-driver.js';
import { mapNobleError } from './noble-errors.js';
import { replayOptions, type ScanSource, SourceError, type SourceOptions } from './scan-source.js';

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
export class HciReplaySource extends DriverSource implements ScanSource {
  readonly name = 'hci-replay' as const;
  readonly demo = false;
  readonly file: string;
  private readonly options: HciReplayOptions;
  private capture: Capture | undefined;
  private socket: FakeHciSocket | undefined;

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

  protected closedError(): SourceError {
    return new SourceError('closed', 'hci-replay: the source was closed');
  }

  protected released(): void {
    this.socket?.stop();
    this.capture = undefined;
  }

  protected async makeDriver(): Promise<NobleDriver> {
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
    this.socket = loaded.sockets[0];
    return new NobleDriver(loaded.noble, { ...(log ? { log } : {}), disposable: true });
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
