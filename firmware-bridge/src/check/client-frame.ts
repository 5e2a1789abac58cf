// Builds client frames byte by byte, including the wrong ones a conformance test needs to send: any
// FIN/RSV/opcode combination, unmasked frames, non-minimal length encodings and declared lengths that
// do not match the payload that follows.
import { randomBytes } from 'node:crypto';

export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** How the payload length is written in the header. */
export type LengthForm = 'minimal' | '16' | '64';

export type FrameSpec = {
  opcode: number;
  /** Payload bytes (a string is sent as UTF-8). Default: empty. */
  payload?: Uint8Array | string;
  /** FIN bit. Default: true. */
  fin?: boolean;
  /** RSV bits as a 3-bit number: 4 = RSV1, 2 = RSV2, 1 = RSV3. Default: 0. */
  rsv?: number;
  /** Clients must mask (RFC 6455 5.3). Default: true. */
  mask?: boolean;
  /** Length encoding. Default: 'minimal'. */
  lengthForm?: LengthForm;
  /** The length written in the header when it must differ from the payload's (a lie). */
  declaredLength?: bigint;
};

export const toBytes = (payload: Uint8Array | string | undefined): Buffer =>
  payload === undefined
    ? Buffer.alloc(0)
    : typeof payload === 'string'
      ? Buffer.from(payload)
      : Buffer.from(payload);

/** Encodes one frame exactly as specified. */
export function buildFrame(spec: FrameSpec): Buffer {
  const payload = toBytes(spec.payload);
  const length = spec.declaredLength ?? BigInt(payload.length);
  const form: LengthForm =
    spec.lengthForm && spec.lengthForm !== 'minimal'
      ? spec.lengthForm
      : length < 126n
        ? 'minimal'
        : length < 65536n
          ? '16'
          : '64';
  const mask = spec.mask ?? true;
  const extra = form === 'minimal' ? 0 : form === '16' ? 2 : 8;
  const header = Buffer.alloc(2 + extra + (mask ? 4 : 0));
  header[0] = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0xf);
  const maskBit = mask ? 0x80 : 0;
  if (form === 'minimal') header[1] = maskBit | Number(length);
  else if (form === '16') {
    header[1] = maskBit | 126;
    header.writeUInt16BE(Number(length & 0xffffn), 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt.asUintN(64, length), 2);
  }
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  key.copy(header, 2 + extra);
  const body = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ key[i & 3]!;
  return Buffer.concat([header, body]);
}

/** A close frame payload: a 2-byte code and an optional reason (string as UTF-8, or raw bytes). */
export function closePayload(code: number, reason: string | Uint8Array = ''): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code & 0xffff, 0);
  return Buffer.concat([head, toBytes(reason)]);
}
