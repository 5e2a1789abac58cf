// Backoff for wrong pairing tokens, per peer. The first few wrong tokens from an address cost nothing; each
// further one makes that address wait twice as long as the one before (1 s, 2 s, 4 s ... 60 s) before its
// next token is even compared, so guessing drops from hundreds of tries a second to about one a minute.
// Memory is bounded: at most `maxPeers` addresses are remembered, IPv6 peers by their /64 (one host can
// have many addresses there), and an address is forgotten after a quiet spell or a right token.

export type PairingThrottleOptions = {
  /** Wrong tokens a peer may send before it has to wait. Default 5. */
  freeFailures?: number;
  /** The wait after the first wrong token past the free ones, doubled by each further one. Default 1000 ms. */
  baseDelayMs?: number;
  /** The longest wait. Default 60 000 ms. */
  maxDelayMs?: number;
  /** A peer whose last wrong token is this old starts afresh. Default 600 000 ms (10 min). */
  forgetAfterMs?: number;
  /** Peers remembered at once; when full, the one with the oldest wrong token is forgotten. Default 1024. */
  maxPeers?: number;
  /** Millisecond clock. Default performance.now. */
  now?: () => number;
};

type Peer = { failures: number; last: number; until: number };

/**
 * The throttling key of a remote address: IPv4 as is (also when IPv4-mapped), IPv6 as its /64 prefix
 * (`2001:db8:0:1::/64`), anything else (a missing address) as given.
 */
export function peerKey(address: string | undefined): string {
  const a = (address ?? '').toLowerCase().split('%')[0] ?? '';
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (v4?.[1]) return v4[1];
  if (!a.includes(':')) return a;
  const [head = '', tail] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros =
    tail === undefined ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  const groups = [...left, ...zeros, ...right].slice(0, 4).map((g) => g.replace(/^0+(?=.)/, ''));
  return `${groups.join(':')}::/64`;
}

export class PairingThrottle {
  readonly freeFailures: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly forgetAfterMs: number;
  readonly maxPeers: number;
  #now: () => number;
  /** key -> record, in the order of their last wrong token (oldest first). */
  #peers = new Map<string, Peer>();

  constructor(options: PairingThrottleOptions = {}) {
    this.freeFailures = options.freeFailures ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 600_000;
    this.maxPeers = options.maxPeers ?? 1024;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Peers remembered now. */
  get size(): number {
    return this.#peers.size;
  }

  /** Milliseconds `address` must still wait before its next token is compared; 0 when it may try now. */
  waitMs(address: string | undefined): number {
    const p = this.#get(peerKey(address));
    return p ? Math.max(0, Math.ceil(p.until - this.#now())) : 0;
  }

  /** Records a wrong token from `address`; returns the wait it now has to sit out (0 while still free). */
  failed(address: string | undefined): number {
    const key = peerKey(address);
    const now = this.#now();
    const p = this.#get(key) ?? { failures: 0, last: now, until: now };
    this.#peers.delete(key);
    while (this.#peers.size >= this.maxPeers) {
      const oldest = this.#peers.keys().next().value;
      if (oldest === undefined) break;
      this.#peers.delete(oldest);
    }
    p.failures++;
    p.last = now;
    const over = p.failures - this.freeFailures;
    const delay = over > 0 ? Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(over - 1, 30)) : 0;
    p.until = now + delay;
    this.#peers.set(key, p);
    return delay;
  }

  /** A right token from `address`: its count starts afresh. */
  succeeded(address: string | undefined): void {
    this.#peers.delete(peerKey(address));
  }

  #get(key: string): Peer | undefined {
    const p = this.#peers.get(key);
    if (p && this.#now() - p.last >= this.forgetAfterMs && this.#now() >= p.until) {
      this.#peers.delete(key);
      return undefined;
    }
    return p;
  }
}
