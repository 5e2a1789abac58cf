// A ScanSource that wraps another and counts (and shares) every advertisement it emits: the benchmarks'
// ground truth for "discoveries" and the feed of the baselines they compare with.
import { EventEmitter } from 'node:events';

export class TapSource extends EventEmitter {
  /** @param {import('node:events').EventEmitter & { name: string, demo: boolean }} inner */
  constructor(inner) {
    super();
    this.inner = inner;
    this.name = inner.name;
    this.demo = inner.demo;
    this.count = 0;
    /** @type {Set<(ad: object) => void>} */
    this.taps = new Set();
    inner.on('advert', (ad) => {
      this.count++;
      for (const t of this.taps) t(ad);
      this.emit('advert', ad);
    });
    inner.on('state', (s) => this.emit('state', s));
    inner.on('error', (e) => this.emit('error', e));
    inner.on('end', () => this.emit('end'));
  }
  start(params) {
    return this.inner.start(params);
  }
  stop() {
    return this.inner.stop();
  }
  close() {
    return this.inner.close();
  }
}

/** One advertisement as a verbose, self-describing JSON object (what a naive device would send). */
export function verboseDevice(ad) {
  return {
    address: ad.addr,
    addressType: ad.addrType,
    rssi: ad.rssi,
    name: ad.name,
    txPowerLevel: ad.tx,
    connectable: ad.conn,
    manufacturerData: ad.mfr?.map(([companyId, data]) => ({ companyId, data })),
    serviceUuids: ad.uuids,
    serviceData: ad.svc?.map(([uuid, data]) => ({ uuid, data })),
    advertisingData: ad.adv,
    scanResponse: ad.rsp,
    timestamp: ad.at,
  };
}
