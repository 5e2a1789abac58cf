// Drives one noble instance for a scan source: waits for poweredOn (bounded), starts and stops scanning
// with allowDuplicates (so RSSI keeps updating; deduplication per scan is done here when asked), taps
// the raw HCI reports when noble runs on its Linux bindings, and maps every discovery. Shared by the
// real `noble` source and `hci-replay` (the same noble code fed by a capture). noble's own mistakes are
// corrected by noble-patch.ts, installed here before anything else touches the instance.
import { EventEmitter } from 'node:events';
import { mapNobleError, mapNobleState, nobleError, nobleTimeout } from './noble-errors.js';
import type { NobleInstance } from './noble-instance.js';
import { mapPeripheral, type NoblePeripheral, PeripheralMemory } from './noble-mapping.js';
import { type NoblePatch, patchNoble } from './noble-patch.js';
import type { ScanParams, ScanSourceEvents, SourceError, SourceOptions } from './scan-source.js';

/** How long to wait for poweredOn (auto falls back to demo within 3 s). */
export const POWERED_ON_TIMEOUT_MS = 2500;
/** How long to wait for noble's scanStart / scanStop before giving up on the controller. */
export const SCAN_COMMAND_TIMEOUT_MS = 2500;

const LEGACY_SCAN_RESPONSE = 0x04;
const EXTENDED_SCAN_RESPONSE_BIT = 0x08;

export type NobleDriverOptions = {
  log?: SourceOptions['log'];
  /** Default POWERED_ON_TIMEOUT_MS. */
  poweredOnTimeoutMs?: number;
  /** Stop noble's 1 s adapter poll on close (for instances nobody else uses, like hci-replay's). */
  disposable?: boolean;
};

type Hci = EventEmitter;
type DriverEvents = Pick<ScanSourceEvents, 'advert' | 'state' | 'error'>;

export class NobleDriver extends EventEmitter<DriverEvents> {
  readonly memory = new PeripheralMemory();
  private readonly noble: NobleInstance;
  private readonly options: NobleDriverOptions;
  private readonly hci: Hci | undefined;
  private readonly patch: NoblePatch;
  private readonly added: [event: 'SIGINT' | 'exit', listener: (...args: unknown[]) => void][] = [];
  private powered: Promise<void> | undefined;
  private scanning = false;
  private closed = false;

  private readonly onDiscover = (p: NoblePeripheral): void => {
    if (!this.scanning) return;
    this.emit('advert', mapPeripheral(p, this.memory));
  };
  private readonly onState = (state: string): void => {
    const err = this.scanning ? mapNobleState(state) : undefined;
    if (err) this.fail(err);
  };
  private readonly onScanStop = (): void => {
    if (this.scanning)
      this.fail(nobleError('noble-failed', 'scanning stopped by the adapter or another program'));
  };
  private readonly onWarning = (message: string): void => this.options.log?.('warn', `noble: ${message}`);
  private readonly onLegacyReport = (
    _s: number,
    type: number,
    address: string,
    _t: string,
    eir: Uint8Array,
  ): void => this.memory.noteRaw(address, eir, type === LEGACY_SCAN_RESPONSE);
  private readonly onExtendedReport = (
    _s: number,
    type: number,
    address: string,
    _t: string,
    _tx: number,
    _rssi: number,
    eir: Uint8Array,
  ): void => this.memory.noteRaw(address, eir, (type & EXTENDED_SCAN_RESPONSE_BIT) !== 0);

  constructor(noble: NobleInstance, options: NobleDriverOptions = {}) {
    super();
    this.noble = noble;
    this.options = options;
    this.patch = patchNoble(noble, options.log);
    if (this.patch.problems.length)
      options.log?.(
        'warn',
        `noble: its internals changed (${this.patch.problems.join('; ')}): adverts with malformed AD structures may be lost and ADV_SCAN_IND shown as connectable`,
      );
    const hci = noble._bindings?._hci;
    this.hci = hci instanceof EventEmitter ? hci : undefined;
    noble.on('discover', this.onDiscover);
    noble.on('stateChange', this.onState);
    noble.on('scanStop', this.onScanStop);
    noble.on('warning', this.onWarning);
    // Prepended so the raw bytes of a report are known before noble's own handler reports it.
    this.hci?.prependListener('leAdvertisingReport', this.onLegacyReport);
    this.hci?.prependListener('leExtendedAdvertisingReport', this.onExtendedReport);
  }

  get isScanning(): boolean {
    return this.scanning;
  }

  /** Resolves once noble is poweredOn; rejects with a SourceError naming the cause and the fix. */
  powerOn(): Promise<void> {
    this.powered ??= this.waitForPoweredOn();
    return this.powered;
  }

  private waitForPoweredOn(): Promise<void> {
    const before = { SIGINT: process.listeners('SIGINT'), exit: process.listeners('exit') };
    let state: string;
    try {
      state = this.noble.state; // the getter initialises the bindings synchronously: errors surface here
    } catch (err) {
      return Promise.reject(mapNobleError(err));
    } finally {
      this.collectProcessListeners(before);
    }
    if (state === 'poweredOn') return Promise.resolve();
    const ms = this.options.poweredOnTimeoutMs ?? POWERED_ON_TIMEOUT_MS;
    return new Promise<void>((resolve, reject) => {
      let last = state;
      const done = (err?: SourceError): void => {
        clearTimeout(timer);
        this.noble.off('stateChange', listen);
        if (err) reject(err);
        else resolve();
      };
      const listen = (s: string): void => {
        last = s;
        if (s === 'poweredOn') done();
        else if (s === 'unauthorized' || s === 'unsupported') done(mapNobleState(s));
      };
      const timer = setTimeout(() => done(nobleTimeout(ms, last)), ms);
      this.noble.on('stateChange', listen);
    });
  }

  /**
   * noble's bindings add a SIGINT handler that calls process.exit(1) when it is the last one, and an
   * exit handler; the simulator owns shutdown, so they are removed (now for SIGINT, on close for exit).
   */
  private collectProcessListeners(before: Record<'SIGINT' | 'exit', unknown[]>): void {
    const now = { SIGINT: process.listeners('SIGINT'), exit: process.listeners('exit') };
    for (const event of ['SIGINT', 'exit'] as const) {
      for (const l of now[event]) {
        if (!before[event].includes(l)) this.added.push([event, l as (...args: unknown[]) => void]);
      }
    }
    for (const [event, l] of this.added) if (event === 'SIGINT') process.off(event, l);
  }

  /** Starts scanning (nothing more when already scanning: noble reports every advertisement, repeats included). */
  async start(params: ScanParams): Promise<void> {
    if (this.closed) throw nobleError('noble-failed', 'the source is closed');
    await this.powerOn();
    if (this.scanning) return;
    // noble 1.9.2-26 always scans actively with its own 11.25 ms interval/window: params are not sent.
    this.options.log?.(
      'debug',
      `noble: scanning (requested ${params.mode} ${params.interval}/${params.window} ms)`,
    );
    await this.command('scanStart', (cb) =>
      this.noble.startScanning([], true, (err) => cb(err ?? undefined)),
    );
    this.scanning = true;
    this.emit('state', 'scanning');
  }

  async stop(): Promise<void> {
    if (!this.scanning) return;
    this.scanning = false;
    await this.command('scanStop', (cb) => this.noble.stopScanning(() => cb())).catch((err: SourceError) =>
      this.options.log?.('warn', err.message),
    );
    this.emit('state', 'stopped');
  }

  /** Stops, removes every listener this driver added (noble, HCI, process) and frees the memory. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.stop();
    this.closed = true;
    this.noble.off('discover', this.onDiscover);
    this.noble.off('stateChange', this.onState);
    this.noble.off('scanStop', this.onScanStop);
    this.noble.off('warning', this.onWarning);
    this.hci?.off('leAdvertisingReport', this.onLegacyReport);
    this.hci?.off('leExtendedAdvertisingReport', this.onExtendedReport);
    for (const [event, l] of this.added) process.off(event, l);
    this.added.length = 0;
    this.patch.release({ stopPolling: this.options.disposable === true });
    this.memory.clear();
  }

  /** Runs a noble call whose completion is a callback, bounded by SCAN_COMMAND_TIMEOUT_MS. */
  private command(what: string, run: (cb: (err?: Error) => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(nobleError('timeout', `no ${what} within ${SCAN_COMMAND_TIMEOUT_MS} ms`)),
        SCAN_COMMAND_TIMEOUT_MS,
      );
      try {
        run((err) => {
          clearTimeout(timer);
          if (err) reject(mapNobleError(err));
          else resolve();
        });
      } catch (err) {
        clearTimeout(timer);
        reject(mapNobleError(err));
      }
    });
  }

  private fail(err: SourceError): void {
    this.scanning = false;
    this.emit('error', err);
    this.emit('state', 'stopped');
  }
}
