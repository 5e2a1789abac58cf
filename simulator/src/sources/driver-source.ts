// What the noble and hci-replay sources share: a NobleDriver opened on the first start (once; a failed open
// is not kept, so a later start tries again), its events forwarded, powered on before use (and closed when
// powering on fails), and the start / stop / close lifecycle around it. Subclasses say how the driver is
// made and what closing releases besides it.
import { EventEmitter } from 'node:events';
import type { NobleDriver } from './noble-driver.js';
import type { ScanParams, ScanSourceEvents, SourceError } from './scan-source.js';

export abstract class DriverSource extends EventEmitter<ScanSourceEvents> {
  /** The driver once opened and powered on. */
  protected driver: NobleDriver | undefined;
  protected closed = false;
  #opening: Promise<NobleDriver> | undefined;

  /** Makes the driver (not yet powered on). Rejects with a SourceError. */
  protected abstract makeDriver(): Promise<NobleDriver>;
  /** The error a start after close rejects with. */
  protected abstract closedError(): SourceError;
  /** Releases what the subclass holds besides the driver, after the driver closed. */
  protected abstract released(): void;

  async start(params: ScanParams): Promise<void> {
    if (this.closed) throw this.closedError();
    const driver = await this.#open();
    if (this.closed) throw this.closedError();
    await driver.start(params);
  }

  async stop(): Promise<void> {
    await this.driver?.stop();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const driver = this.driver ?? (await this.#opening?.catch(() => undefined));
    await driver?.close();
    this.released();
  }

  #open(): Promise<NobleDriver> {
    this.#opening ??= this.#connect().catch((err: unknown) => {
      this.#opening = undefined;
      throw err;
    });
    return this.#opening;
  }

  async #connect(): Promise<NobleDriver> {
    const driver = await this.makeDriver();
    driver.on('advert', (ad) => this.emit('advert', ad));
    driver.on('state', (s) => this.emit('state', s));
    driver.on('error', (e) => this.emit('error', e));
    try {
      await driver.powerOn();
    } catch (err) {
      await driver.close();
      throw err;
    }
    this.driver = driver;
    return driver;
  }
}
