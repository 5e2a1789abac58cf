// A strict reader for server frames. It never hides a server's mistake: every deviation from RFC 6455
// is recorded as a violation and the frame is still handed out, so a check can say exactly what the
// server did. Memory is bounded by what actually arrived, never by a declared length.
import { isUtf8 } from 'node:buffer';

export type ServerFrame = {
  fin: boolean;
  /** RSV bits as a 3-bit number (4 = RSV1). */
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
  /** Header bytes used for the length: 7, 16 or 64 bits. */
  lengthBits: 7 | 16 | 64;
  /** For close frames: the code (undefined when the payload is empty) and the reason. */
  close?: { code: number | undefined; reason: Buffer };
};

export type ViolationKind =
  | 'masked-server-frame'
  | 'non-minimal-length'
  | 'length-msb-set'
  | 'rsv-set'
  | 'reserved-opcode'
  | 'fragmented-control'
  | 'control-too-long'
  | 'bad-close-payload'
  | 'forbidden-close-code'
  | 'invalid-close-code'
  | 'long-close-reason'
  | 'invalid-utf8'
  | 'unexpected-continuation'
  | 'interleaved-data'
  | 'data-after-close'
  | 'frame-too-large';

export type Violation = { kind: ViolationKind; detail: string };

/** What `next()` yields: a frame, and for the last frame of a data message the whole message. */
export type ReadFrame = { frame: ServerFrame; message?: { opcode: number; data: Buffer } };

const CONTROL = new Set([0x8, 0x9, 0xa]);
const DATA = new Set([0x0, 0x1, 0x2]);

/** Close codes a peer may put on the wire (RFC 6455 7.4.1 / 7.4.2). */
export const isSendableCloseCode = (code: number): boolean =>
  (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
  (code >= 3000 && code <= 4999);

export class FrameReader {
  readonly violations: Violation[] = [];
  /** Set once a close frame was read. */
  closeSeen = false;
  /** Set when the stream cannot be read further (a frame over the cap). */
  broken = false;
  private buf: Buffer = Buffer.alloc(0);
  private readonly maxPayload: number;
  private partial: { opcode: number; parts: Buffer[]; size: number } | undefined;

  /** @param maxPayload largest server frame payload the reader accepts (default 1 MiB). */
  constructor(maxPayload = 1 << 20) {
    this.maxPayload = maxPayload;
  }

  /** Bytes received and not yet read as frames. */
  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Buffer): void {
    if (this.broken) return;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  private flag(kind: ViolationKind, detail: string): void {
    if (this.violations.length < 100) this.violations.push({ kind, detail });
  }

  /** The next complete frame, or undefined when more bytes are needed. */
  next(): ReadFrame | undefined {
    const b = this.buf;
    if (this.broken || b.length < 2) return undefined;
    const fin = (b[0]! & 0x80) !== 0;
    const rsv = (b[0]! >> 4) & 7;
    const opcode = b[0]! & 0xf;
    const masked = (b[1]! & 0x80) !== 0;
    const len7 = b[1]! & 0x7f;
    let offset = 2;
    let length: number;
    let lengthBits: 7 | 16 | 64 = 7;
    if (len7 === 126) {
      if (b.length < 4) return undefined;
      length = b.readUInt16BE(2);
      lengthBits = 16;
      offset = 4;
    } else if (len7 === 127) {
      if (b.length < 10) return undefined;
      const big = b.readBigUInt64BE(2);
      lengthBits = 64;
      offset = 10;
      if (big >> 63n) this.flag('length-msb-set', 'most significant bit of the 64-bit length is set');
      if (big > BigInt(this.maxPayload)) {
        this.flag('frame-too-large', `server declared a ${big}-byte frame`);
        this.broken = true;
        return undefined;
      }
      length = Number(big);
    } else length = len7;
    if (length > this.maxPayload) {
      this.flag('frame-too-large', `server declared a ${length}-byte frame`);
      this.broken = true;
      return undefined;
    }
    const maskAt = offset;
    if (masked) offset += 4;
    if (b.length < offset + length) return undefined;
    const payload = Buffer.from(b.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ b[maskAt + (i & 3)]!;
    this.buf = b.subarray(offset + length);
    const frame: ServerFrame = { fin, rsv, opcode, masked, payload, lengthBits };
    return this.inspect(frame);
  }

  private inspect(f: ServerFrame): ReadFrame {
    const name = `opcode ${f.opcode}`;
    if (this.closeSeen) this.flag('data-after-close', `${name} frame after the server's close frame`);
    if (f.masked) this.flag('masked-server-frame', `${name} frame is masked`);
    if ((f.lengthBits === 16 && f.payload.length < 126) || (f.lengthBits === 64 && f.payload.length < 65536))
      this.flag('non-minimal-length', `${f.payload.length}-byte payload with a ${f.lengthBits}-bit length`);
    if (f.rsv !== 0) this.flag('rsv-set', `RSV bits ${f.rsv.toString(2).padStart(3, '0')} on ${name}`);
    if (!CONTROL.has(f.opcode) && !DATA.has(f.opcode)) this.flag('reserved-opcode', `reserved ${name}`);
    if (CONTROL.has(f.opcode)) {
      if (!f.fin) this.flag('fragmented-control', `${name} without FIN`);
      if (f.payload.length > 125) this.flag('control-too-long', `${name} with ${f.payload.length} bytes`);
      if (f.opcode === 0x8) this.inspectClose(f);
      return { frame: f };
    }
    if (!DATA.has(f.opcode)) return { frame: f };
    if (f.opcode === 0x0) {
      if (!this.partial) {
        this.flag('unexpected-continuation', 'continuation frame without a started message');
        return { frame: f };
      }
    } else if (this.partial) {
      this.flag('interleaved-data', `new ${name} frame while a fragmented message is open`);
      this.partial = undefined;
    }
    const p = this.partial ?? { opcode: f.opcode, parts: [], size: 0 };
    p.parts.push(f.payload);
    p.size += f.payload.length;
    if (p.size > this.maxPayload) {
      this.flag('frame-too-large', `fragmented message over ${this.maxPayload} bytes`);
      this.broken = true;
    }
    if (!f.fin) {
      this.partial = p;
      return { frame: f };
    }
    this.partial = undefined;
    const data = p.parts.length === 1 ? p.parts[0]! : Buffer.concat(p.parts);
    if (p.opcode === 0x1 && !isUtf8(data)) this.flag('invalid-utf8', 'text message is not valid UTF-8');
    return { frame: f, message: { opcode: p.opcode, data } };
  }

  private inspectClose(f: ServerFrame): void {
    this.closeSeen = true;
    const p = f.payload;
    if (p.length === 0) {
      f.close = { code: undefined, reason: Buffer.alloc(0) };
      return;
    }
    if (p.length === 1) {
      this.flag('bad-close-payload', 'close payload of 1 byte');
      f.close = { code: undefined, reason: Buffer.alloc(0) };
      return;
    }
    const code = p.readUInt16BE(0);
    const reason = p.subarray(2);
    f.close = { code, reason };
    if (code === 1005 || code === 1006 || code === 1015)
      this.flag('forbidden-close-code', `server sent close code ${code}, which must never be on the wire`);
    else if (!isSendableCloseCode(code)) this.flag('invalid-close-code', `server sent close code ${code}`);
    if (reason.length > 123) this.flag('long-close-reason', `close reason of ${reason.length} bytes`);
    if (!isUtf8(reason)) this.flag('invalid-utf8', 'close reason is not valid UTF-8');
  }

  /** Bytes that arrived after the close frame count as a violation even when they are not a frame. */
  noteBytesAfterClose(n: number): void {
    if (this.closeSeen && n > 0) this.flag('data-after-close', `${n} bytes after the server's close frame`);
  }
}
