// Sits on the client -> server bytes of one upgraded socket, in front of `ws`, and fails the connection
// (close 1002, then TCP close) on a frame whose payload length is not minimally encoded, which `ws`
// itself accepts. `ws` still reads and judges every other byte: the gate only withholds the offending
// frame and what follows it, so `ws` never dispatches that frame, and everything before it reaches `ws`
// first, so an error `ws` finds earlier in the stream (1002, 1007, 1009) keeps its own close code.
//
// Only inbound bytes pass through here (commands, pongs, close frames: a few per second); the outbound
// stream of batches is untouched. Once `ws` leaves OPEN for any other reason the gate steps aside.
import type { Duplex } from 'node:stream';
import { CLOSE_PROTOCOL_ERROR } from '@bleshark/shared-protocol';
import { WebSocket } from 'ws';
import { FrameLengthWatch, type LengthViolation } from './frame-length-watch.js';
import { tapSocketReads } from './socket-read-tap.js';

/** How long a failed peer gets to close its side before the socket is destroyed. */
export const FAIL_GRACE_MS = 1000;

export const NON_MINIMAL_REASON = 'non-minimal payload length';

export type GateOptions = {
  /** Called once, when the gate fails the connection (not when `ws` closed it first). */
  onViolation?: (v: LengthViolation) => void;
  /** Default FAIL_GRACE_MS. */
  graceMs?: number;
};

export class ClientFrameGate {
  readonly #watch = new FrameLengthWatch();
  readonly #head: Buffer;
  readonly #options: GateOptions;
  #failing = false;

  /** `head`: the bytes that arrived with the handshake (the `upgrade` event's third argument). */
  constructor(head: Buffer, options: GateOptions = {}) {
    this.#options = options;
    this.#head = head.length ? head.subarray(0, this.#watch.feed(head)) : head;
  }

  /** What to hand to `handleUpgrade` instead of the original head. */
  get head(): Buffer {
    return this.#head;
  }

  /**
   * Starts gating `socket`, which `ws` has just taken over as `ws` (call in the handleUpgrade callback,
   * before any more data can arrive). Everything the socket reads from now on passes the watch first.
   */
  attach(socket: Duplex, ws: WebSocket): void {
    if (this.#watch.violation) this.#failSoon(socket, ws);
    else if (!this.#watch.watching) return;
    // No API lets us see the bytes before `ws` does: socket-read-tap.ts is the one place that patches it.
    tapSocketReads(socket, (chunk) => {
      if (this.#watch.violation === undefined && ws.readyState !== WebSocket.OPEN) {
        // ws is closing for its own (or the peer's) reasons: the rest of the stream is its business.
        return 'untap';
      }
      const keep = this.#watch.feed(chunk);
      if (this.#watch.violation === undefined) return this.#watch.watching ? chunk : 'untap';
      this.#failSoon(socket, ws);
      // Withheld bytes are still read, then dropped: closing a socket with unread data sends a reset.
      return keep > 0 ? chunk.subarray(0, keep) : undefined;
    });
  }

  /**
   * Fails the connection once `ws` has handled the bytes before the offending frame. An error `ws`
   * found in them is emitted on a later tick; setImmediate runs after those, so `ws` closing first
   * (readyState no longer OPEN) means its code stands and the gate does nothing more than keep
   * withholding (ws stops reading after its own errors anyway; its close timer ends the rest).
   */
  #failSoon(socket: Duplex, ws: WebSocket): void {
    if (this.#failing) return;
    this.#failing = true;
    setImmediate(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      this.#options.onViolation?.(this.#watch.violation!);
      ws.close(CLOSE_PROTOCOL_ERROR, NON_MINIMAL_REASON);
      // RFC 6455 7.1.7: after failing, process nothing more from the peer (not even its close frame);
      // the close frame is flushed, then FIN, then the socket is destroyed if the peer lingers.
      socket.end();
      const kill = setTimeout(() => ws.terminate(), this.#options.graceMs ?? FAIL_GRACE_MS);
      kill.unref();
      socket.once('close', () => clearTimeout(kill));
    });
  }
}
