// Whether one client is still there and still reading: RFC 6455 pings with a pong deadline, a deadline for
// a socket that stays over the buffer threshold (a peer that stopped reading is closed with 1013), and the
// closing handshake with a deadline after which the socket is terminated.
import { CLOSE_TRY_LATER } from '@bleshark/shared-protocol';
import { WebSocket } from 'ws';
import type { LogFn } from '../log.js';
import type { Timing } from './profiles.js';

export type LivenessOptions = {
  ws: WebSocket;
  /** The client number (for log lines). */
  client: number;
  timing: Pick<Timing, 'pongTimeoutMs' | 'stuckClientMs' | 'maxBufferedBytes'>;
  log: LogFn;
  /** Milliseconds, monotonic. Default performance.now. */
  now?: () => number;
};

/** A peer gets at least this long to finish the closing handshake before it is terminated. */
export const MIN_CLOSE_GRACE_MS = 5000;

export class Liveness {
  #ws: WebSocket;
  #client: number;
  #timing: LivenessOptions['timing'];
  #log: LogFn;
  #now: () => number;
  #lastPong: number;
  #blockedSince: number | undefined;
  #closing = false;
  #killTimer: NodeJS.Timeout | undefined;

  constructor(options: LivenessOptions) {
    this.#ws = options.ws;
    this.#client = options.client;
    this.#timing = options.timing;
    this.#log = options.log;
    this.#now = options.now ?? (() => performance.now());
    this.#lastPong = this.#now();
    this.#ws.on('pong', () => {
      this.#lastPong = this.#now();
    });
  }

  /** True once close() was called (or the socket is gone): nothing more is sent or handled. */
  get closing(): boolean {
    return this.#closing;
  }

  /** The socket is open, not closing and drained below the buffer threshold: a frame may be written. */
  get ready(): boolean {
    return !this.#closing && this.#ws.readyState === WebSocket.OPEN && this.drained;
  }

  get drained(): boolean {
    return this.#ws.bufferedAmount < this.#timing.maxBufferedBytes;
  }

  /**
   * Called on every batch tick: false while the socket is over the threshold; once it has been over it for
   * stuckClientMs the client is closed with 1013 (it reconnects and resyncs).
   */
  check(): boolean {
    if (this.#closing || this.#ws.readyState !== WebSocket.OPEN) return false;
    const now = this.#now();
    if (!this.drained) {
      this.#blockedSince ??= now;
      if (now - this.#blockedSince >= this.#timing.stuckClientMs) {
        this.#log(
          'info',
          `client ${this.#client}: not reading for ${this.#timing.stuckClientMs} ms, closing with 1013`,
        );
        this.close(CLOSE_TRY_LATER, 'not reading: reconnect and resync');
      }
      return false;
    }
    this.#blockedSince = undefined;
    return true;
  }

  /** Pings, or terminates the peer when its last pong is older than the timeout. */
  heartbeat(): void {
    if (this.#now() - this.#lastPong > this.#timing.pongTimeoutMs) {
      this.#log('info', `client ${this.#client}: no pong, terminated`);
      this.#ws.terminate();
      return;
    }
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.ping();
  }

  /** Closes; terminates if the peer does not finish the close handshake in time. */
  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#ws.close(code, reason);
    this.#killTimer = setTimeout(
      () => this.#ws.terminate(),
      Math.max(this.#timing.stuckClientMs, MIN_CLOSE_GRACE_MS),
    );
    this.#killTimer.unref();
  }

  /** The socket closed: stop the close deadline. */
  dispose(): void {
    clearTimeout(this.#killTimer);
    this.#closing = true;
  }
}
