// With `--core`, ws is told not to validate UTF-8 (the core judges text frames, 1007, as it must on
// esp_http_server), but ws's switch covers close frames too: a close reason of invalid UTF-8 would be
// accepted and echoed. This watch reads the client's frame headers in front of ws (through the same
// socket-read tap as the frame gate) and fails such a close with 1007 itself, withholding the frame.
import type { Duplex } from 'node:stream';
import { CLOSE_INVALID_PAYLOAD } from '@bleshark/shared-protocol';
import { WebSocket } from 'ws';
import { tapSocketReads } from '../server/socket-read-tap.js';

/** How long the failed peer gets to close its side before the socket is destroyed. */
export const CLOSE_REASON_GRACE_MS = 1000;
export const INVALID_REASON = 'invalid UTF-8 in the close reason';

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Follows client frames (masked, as RFC 6455 requires; ws fails unmasked ones itself) until the first close
 * frame, and judges its reason. Stops watching after that close frame, or when a frame is one ws fails
 * anyway (a control frame over 125 bytes).
 */
export class CloseReasonWatch {
  /** True once a close frame with an invalid reason was seen. */
  violation = false;
  /** True when nothing more needs watching. */
  done = false;
  #head: number[] = [];
  #left = 0;
  #mask: number[] = [];
  #close: number[] | undefined;

  /**
   * Feeds the next bytes; returns how many of them come before the offending close frame (all of them
   * while there is none).
   */
  feed(chunk: Uint8Array): number {
    let i = 0;
    let frameStart = 0;
    while (i < chunk.length && !this.done) {
      if (this.#left === 0 && this.#close === undefined) {
        if (this.#head.length === 0) frameStart = i;
        this.#head.push(chunk[i++] as number);
        const need = this.#headerLength();
        if (need === undefined || this.#head.length < need) continue;
        this.#startPayload();
        if (this.#close !== undefined && this.#left === 0) this.#judge();
        if (this.violation) return frameStart;
        continue;
      }
      const take = Math.min(this.#left, chunk.length - i);
      if (this.#close) for (let k = 0; k < take; k++) this.#close.push(chunk[i + k] as number);
      i += take;
      this.#left -= take;
      if (this.#left === 0 && this.#close !== undefined) {
        this.#judge();
        if (this.violation) return frameStart;
      }
    }
    return chunk.length;
  }

  /** The header's full length once its first two bytes are known. */
  #headerLength(): number | undefined {
    if (this.#head.length < 2) return undefined;
    const len7 = (this.#head[1] as number) & 0x7f;
    const masked = ((this.#head[1] as number) & 0x80) !== 0;
    return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (masked ? 4 : 0);
  }

  #startPayload(): void {
    const h = this.#head;
    const opcode = (h[0] as number) & 0x0f;
    const len7 = (h[1] as number) & 0x7f;
    const masked = ((h[1] as number) & 0x80) !== 0;
    let len = len7;
    let at = 2;
    if (len7 === 126) {
      len = ((h[2] as number) << 8) | (h[3] as number);
      at = 4;
    } else if (len7 === 127) {
      len = 0;
      for (let k = 2; k < 10; k++) len = len * 256 + (h[k] as number);
      at = 10;
    }
    this.#mask = masked ? h.slice(at, at + 4) : [0, 0, 0, 0];
    this.#head = [];
    this.#left = len;
    if (opcode === 0x8) {
      if (len > 125)
        this.done = true; // ws fails it (1002)
      else this.#close = [];
    }
  }

  #judge(): void {
    const payload = (this.#close ?? []).map((b, k) => b ^ (this.#mask[k % 4] as number));
    this.#close = undefined;
    this.done = true;
    if (payload.length <= 2) return;
    try {
      strict.decode(Uint8Array.from(payload.slice(2)));
    } catch {
      this.violation = true;
    }
  }
}

/**
 * Watches `socket` (just upgraded to `ws`; `head` is what arrived with the handshake) and fails the
 * connection with 1007 on a close reason of invalid UTF-8. Call before any other tap is put on the socket.
 */
export function watchCloseReasons(socket: Duplex, ws: WebSocket, head: Buffer): void {
  const watch = new CloseReasonWatch();
  let failed = false;
  const fail = () => {
    if (failed) return;
    failed = true;
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.close(CLOSE_INVALID_PAYLOAD, INVALID_REASON);
    socket.end();
    const kill = setTimeout(() => ws.terminate(), CLOSE_REASON_GRACE_MS);
    kill.unref();
    socket.once('close', () => clearTimeout(kill));
  };
  if (head.length) watch.feed(head);
  if (watch.violation) {
    fail();
    return;
  }
  // Never untapped early: a tap put on top of this one (the frame gate) would be removed with it.
  tapSocketReads(socket, (chunk) => {
    if (watch.done && !watch.violation) return chunk;
    if (failed) return undefined;
    const keep = watch.feed(chunk);
    if (!watch.violation) return chunk;
    fail();
    return keep > 0 ? chunk.subarray(0, keep) : undefined;
  });
}
