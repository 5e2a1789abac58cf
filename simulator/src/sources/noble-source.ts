// The real Bluetooth source: @abandonware/noble, loaded lazily on the first start (requiring it opens an
// HCI socket at once, and throws on kernels without Bluetooth), then driven by NobleDriver. Every
// failure becomes a SourceError that names the cause and the fix (see noble-errors.ts).
import { createRequire } from 'node:module';
import { DriverSource } from './driver-source.js';
import { NobleDriver, POWERED_ON_TIMEOUT_MS } from './noble-driver.js';
import { mapNobleError, nobleError } from './noble-errors.js';
import type { NobleInstance } from './noble-instance.js';
import type { ScanSource, SourceError, SourceOptions } from './scan-source.js';

export type NobleSourceOptions = SourceOptions & {
  /** How long start() waits for poweredOn (default 2500 ms, so `auto` can fall back within 3 s). */
  poweredOnTimeoutMs?: number;
  /** Loads noble (default: require('@abandonware/noble')); tests pass their own. */
  load?: () => NobleInstance;
};

const loadRealNoble = (): NobleInstance =>
  createRequire(import.meta.url)('@abandonware/noble') as NobleInstance;

export class NobleSource extends DriverSource implements ScanSource {
  readonly name = 'noble' as const;
  readonly demo = false;
  private readonly options: NobleSourceOptions;

  constructor(options: NobleSourceOptions = {}) {
    super();
    this.options = options;
  }

  protected closedError(): SourceError {
    return nobleError('noble-failed', 'the source is closed');
  }

  protected released(): void {
    this.removeAllListeners();
  }

  protected async makeDriver(): Promise<NobleDriver> {
    let noble: NobleInstance;
    try {
      noble = (this.options.load ?? loadRealNoble)();
    } catch (err) {
      throw mapNobleError(err);
    }
    const log = this.options.log;
    return new NobleDriver(noble, {
      ...(log ? { log } : {}),
      poweredOnTimeoutMs: this.options.poweredOnTimeoutMs ?? POWERED_ON_TIMEOUT_MS,
    });
  }
}
