// A ScanSource driven by the test: adverts are pushed by hand, start/stop take effect at once.
import { EventEmitter } from 'node:events';
import type {
  Advertisement,
  ScanParams,
  ScanSource,
  ScanSourceEvents,
  SourceError,
} from '../src/sources/scan-source.js';

export class FakeSource extends EventEmitter<ScanSourceEvents> implements ScanSource {
  readonly name = 'demo' as const;
  readonly demo = true;
  scanning = false;
  starts: ScanParams[] = [];
  stops = 0;
  closed = false;
  /** When set, the next start rejects with it. */
  failStart: SourceError | undefined;

  async start(params: ScanParams): Promise<void> {
    if (this.failStart) {
      const err = this.failStart;
      this.failStart = undefined;
      throw err;
    }
    this.starts.push(params);
    if (!this.scanning) {
      this.scanning = true;
      this.emit('state', 'scanning');
    }
  }

  async stop(): Promise<void> {
    this.stops++;
    if (!this.scanning) return;
    this.scanning = false;
    this.emit('state', 'stopped');
  }

  async close(): Promise<void> {
    await this.stop();
    this.closed = true;
  }

  advert(ad: Advertisement): void {
    this.emit('advert', ad);
  }

  fail(err: SourceError): void {
    this.emit('error', err);
    this.scanning = false;
    this.emit('state', 'stopped');
  }
}

/** A plausible advertisement for device number `i` (address derived from i). */
export function advertFor(i: number, rssi = -60, extra: Partial<Advertisement> = {}): Advertisement {
  const b = [(i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff].map((x) => x.toString(16).padStart(2, '0'));
  return { addr: `c0:ff:ee:${b.join(':')}`, addrType: 'random', rssi, conn: i % 2 === 0, ...extra };
}
