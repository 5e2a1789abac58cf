// A ScanSource that wraps another (the demo scene) and brings in a new device every `everyMs` while
// scanning: the new-device benchmark's ground truth. Each newcomer has an address no one used before,
// advertises every `advertMs`, strongest of all (-30 dBm) for `strongMs` so that it sorts to the top of the
// list, then weak (-100 dBm) for `weakMs` so that it leaves the top to the next one, then falls silent.
// `introduced` maps each newcomer's address to when its first advertisement was emitted (Date.now()).
import { EventEmitter } from 'node:events';

/** Newcomer `i`'s address: a random static address (top bits 11) in a block the demo scene never uses. */
export const newcomerAddr = (i) =>
  `c0:ff:ee:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255)
    .toString(16)
    .padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;

/** The newcomers' defaults (ms). */
export const NEWCOMERS = { everyMs: 300, advertMs: 100, strongMs: 1000, weakMs: 2000 };

/** Advertisements the newcomers add per second on average: each sends (strong + weak) / advert, everyMs apart. */
export const newcomerRate = (o = NEWCOMERS) => ((o.strongMs + o.weakMs) / o.advertMs) * (1000 / o.everyMs);

export class NewcomerSource extends EventEmitter {
  /**
   * @param {import('node:events').EventEmitter & { name: string, demo: boolean, start: Function, stop: Function, close: Function }} inner
   * @param {{ everyMs?: number, advertMs?: number, strongMs?: number, weakMs?: number }} [opts]
   */
  constructor(inner, opts = {}) {
    super();
    this.inner = inner;
    this.name = inner.name;
    this.demo = inner.demo;
    const o = { ...NEWCOMERS, ...opts };
    this.everyMs = o.everyMs;
    this.advertMs = o.advertMs;
    this.strongMs = o.strongMs;
    this.weakMs = o.weakMs;
    /** Whether new devices come now (the benchmark turns this on once the page is ready). */
    this.arriving = false;
    /** address -> Date.now() of its first advertisement */
    this.introduced = new Map();
    /** Newcomers still advertising: [index, address, born (Date.now()), next advert due]. */
    this.active = [];
    this.next = 0;
    this.lastBirth = 0;
    this.timer = undefined;
    inner.on('advert', (ad) => this.emit('advert', ad));
    inner.on('state', (s) => this.emit('state', s));
    inner.on('error', (e) => this.emit('error', e));
    inner.on('end', () => this.emit('end'));
  }

  async start(params) {
    await this.inner.start(params);
    this.timer ??= setInterval(() => this.tick(), 10);
  }

  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inner.stop();
  }

  async close() {
    await this.stop();
    await this.inner.close();
  }

  tick() {
    const now = Date.now();
    if (this.arriving && now - this.lastBirth >= this.everyMs) {
      this.lastBirth = now;
      const addr = newcomerAddr(this.next);
      this.active.push([this.next++, addr, now, now]);
    }
    for (const n of this.active) {
      if (n[3] > now) continue;
      const age = now - n[2];
      if (!this.introduced.has(n[1])) this.introduced.set(n[1], now);
      this.emit('advert', {
        addr: n[1],
        addrType: 'random',
        rssi: age < this.strongMs ? -30 : -100,
        name: `new ${n[0]}`,
        conn: false,
        at: now,
      });
      n[3] += this.advertMs;
    }
    this.active = this.active.filter((n) => now - n[2] < this.strongMs + this.weakMs);
  }
}
