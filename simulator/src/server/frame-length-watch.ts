// A streaming reader of WebSocket frame HEADERS on the client's byte stream, looking for one thing `ws`
// does not check: a payload length written longer than needed (RFC 6455 5.2 requires the minimal form,
// so 126 + a 16-bit length below 126 and 127 + a 64-bit length below 65536 are protocol errors).
//
// Headers are read byte by byte into a few numbers (never buffered); payloads and mask keys are skipped
// by arithmetic, so the cost is per frame, not per byte, and no payload is copied or kept. Everything
// else about a frame (opcode, RSV bits, mask bit, size limits, UTF-8) is left to `ws`.

/** A non-minimally encoded payload length. */
export type LengthViolation = {
  /** The length field used: 16 (code 126) or 64 bits (code 127). */
  form: 16 | 64;
  /** The declared payload length. */
  length: number;
  /** Offset in the stream of the offending frame's first byte. */
  offset: number;
};

const FIRST_BYTE = 0;
const SECOND_BYTE = 1;
const EXTENDED_LENGTH = 2;
const SKIP = 3;
/** A violation was found: every later byte is withheld. */
const FAILED = 4;
/** A length above 2^53 - 1, which `ws` refuses itself (1009): nothing more to watch. */
const GAVE_UP = 5;

export class FrameLengthWatch {
  #state = FIRST_BYTE;
  /** Stream offset of the current chunk's first byte. */
  #base = 0;
  /** Stream offset of the current frame's first byte. */
  #frameStart = 0;
  #masked = false;
  /** 2 or 8 while reading an extended length. */
  #extBytes = 0;
  #extLeft = 0;
  #length = 0;
  /** Mask key and payload bytes still to skip. */
  #skip = 0;
  #violation: LengthViolation | undefined;

  /** The first non-minimal length seen, if any. */
  get violation(): LengthViolation | undefined {
    return this.#violation;
  }

  /** false once there is nothing left to watch: a violation was found, or `ws` will refuse the stream. */
  get watching(): boolean {
    return this.#state !== FAILED && this.#state !== GAVE_UP;
  }

  /**
   * Reads the next chunk of the stream. Returns how many of its leading bytes may be passed on: all of
   * them while the stream is clean; up to the start of the offending frame (0 when it began in an
   * earlier chunk) in the chunk where a violation shows; 0 for every chunk after it.
   */
  feed(chunk: Uint8Array): number {
    const n = chunk.length;
    const base = this.#base;
    this.#base += n;
    if (this.#state === GAVE_UP) return n;
    if (this.#state === FAILED) return 0;
    let i = 0;
    while (i < n) {
      switch (this.#state) {
        case SKIP: {
          const take = Math.min(this.#skip, n - i);
          this.#skip -= take;
          i += take;
          if (this.#skip === 0) this.#state = FIRST_BYTE;
          break;
        }
        case FIRST_BYTE:
          this.#frameStart = base + i;
          i++;
          this.#state = SECOND_BYTE;
          break;
        case SECOND_BYTE: {
          const b = chunk[i++]!;
          this.#masked = (b & 0x80) !== 0;
          const len7 = b & 0x7f;
          if (len7 < 126) this.#payload(len7);
          else {
            this.#extBytes = len7 === 126 ? 2 : 8;
            this.#extLeft = this.#extBytes;
            this.#length = 0;
            this.#state = EXTENDED_LENGTH;
          }
          break;
        }
        case EXTENDED_LENGTH:
          // Exact up to 2^53; above that the value only needs to stay above the safe range, and does.
          this.#length = this.#length * 256 + chunk[i++]!;
          if (--this.#extLeft === 0) {
            const verdict = this.#lengthDone();
            if (verdict === 'violation') return Math.max(0, this.#frameStart - base);
            if (verdict === 'gave-up') return n;
          }
          break;
      }
    }
    return n;
  }

  /** Judges a complete extended length; watching stops unless it is 'ok'. */
  #lengthDone(): 'ok' | 'violation' | 'gave-up' {
    const length = this.#length;
    const form = this.#extBytes === 2 ? 16 : 64;
    if (length < (form === 16 ? 126 : 65536)) {
      this.#violation = { form, length, offset: this.#frameStart };
      this.#state = FAILED;
      return 'violation';
    }
    if (length > Number.MAX_SAFE_INTEGER) {
      this.#state = GAVE_UP;
      return 'gave-up';
    }
    this.#payload(length);
    return 'ok';
  }

  #payload(length: number): void {
    this.#skip = length + (this.#masked ? 4 : 0);
    this.#state = this.#skip === 0 ? FIRST_BYTE : SKIP;
  }
}
