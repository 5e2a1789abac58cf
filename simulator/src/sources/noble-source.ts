// The real Bluetooth source: @abandonware/noble, loaded lazily on the first start (requiring it opens an
// HCI socket at once, and throws on kernels without Bluetooth), then driven by NobleDriver. Every
// failure becomes a SourceError that names the cause and the fix (see noble-errors.ts).
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { NobleDriver, POWERED_ON_TIMEOUT_MS } from './noble-driver.js';
import { mapNobleError, nobleError } from './noble-errors.js';
import type { NobleInstance } from './noble-instance.js';
import type { ScanParams, ScanSource, ScanSourceEvents, SourceError, SourceOptions } from './scan-source.js';

export type NobleSourceOptions = SourceOptions & {
  /** How long start() waits for poweredOn (default 2500 ms, so `auto` can fall back within 3 s). */
  poweredOnTimeoutMs?: number;
  /** Loads noble (default: require('@abandonware/noble')); tests pass their own. */
  load?: () => NobleInstance;
};

const loadRealNoble = (): NobleInstance =>
  createRequire(import.meta.url)('@abandonware/noble') as NobleInstance;

export class NobleSource extends EventEmitter<ScanSourceEvents> implements ScanSource {
  readonly name = 'noble' as const;
  readonly demo = false;
  private readonly options: NobleSourceOptions;
  private driver: NobleDriver | undefined;
  private loading: Promise<NobleDriver> | undefined;
  private closed = false;

  constructor(options: NobleSourceOptions = {}) {
    super();
    this.options = options;
  }

  async start(params: ScanParams): Promise<void> {
    if (this.closed) throw nobleError('noble-failed', 'the source is closed');
    const driver = await this.load();
    await driver.start(params);
  }

  async stop(): Promise<void> {
    await this.driver?.stop();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const driver = this.driver ?? (await this.loading?.catch(() => undefined));
    await driver?.close();
    this.removeAllListeners();
  }

  /** Loads noble once; a failed load is not cached, so a later start can try again. */
  private load(): Promise<NobleDriver> {
    this.loading ??= this.connect().catch((err: SourceError) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  private async connect(): Promise<NobleDriver> {
    let noble: NobleInstance;
    try {
      noble = (this.options.load ?? loadRealNoble)();
    } catch (err) {
      throw mapNobleError(err);
    }
    const log = this.options.log;
    const driver = new NobleDriver(noble, {
      ...(log ? { log } : {}),
      poweredOnTimeoutMs: this.options.poweredOnTimeoutMs ?? POWERED_ON_TIMEOUT_MS,
    });
    try {
      await driver.powerOn();
    } catch (err) {
      await driver.close();
      throw err;
    }
    driver.on('advert', (ad) => this.emit('advert', ad));
    driver.on('state', (s) => this.emit('state', s));
    driver.on('error', (e) => this.emit('error', e));
    this.driver = driver;
    return driver;
  }
}
