// The stdio protocol of `bleshark-core-host` (firmware-bridge/core/host/core-host.c, whose header comment
// is the same description): how the simulator talks to the C core when it runs with `--core PATH`.
//
// Framing, both directions: a 4-byte little-endian body length n (1..MAX_BODY_BYTES), then n body bytes:
// one type byte and its fields, integers little-endian, "bytes" running to the end of the body. `now` is
// the simulator's uptime in ms (the core's only clock); `conn` is the simulator's number for one
// WebSocket, never reused.
//
// In (simulator -> harness)                               Out (harness -> simulator)
//   'I' init   now u32, maxDevices u16, hashSeed u32,       'o' open result  conn u32, accepted u8
//              flags u8 (1: scanOnInit, 2: demo), capsOff   'f' frame        conn u32, text bytes
//              u8, model, firmware, address, epoch, source  'c' close        conn u32, code u16, reason bytes
//              (each: length u8 <= 63, UTF-8 bytes; source
//              1..32 bytes: hello.device.source)
//   'A' advert now u32, addr 6 bytes (as written),          's' scan start   passive u8, interval u16,
//              addrType u8, flags u8 (1 scan response,                       window u16, duration u32 (s),
//              2 connectable), rssi i8, AD bytes (<= 255)                    duplicates u8
//   'D' drops  now u32, n u32                               'p' scan stop    (nothing)
//   'E' failed now u32, message bytes (<= 127)              'd' done         waitMs u32
//   'N' ended  now u32: the scan source ended normally (scan-complete {reason: stopped})
//   'T' tick   now u32
//   'O' open / 'C' close / 'B' binary / 'S' sent   now u32, conn u32
//   'X' text   now u32, conn u32, frame bytes (<= MAX_TEXT_BYTES)
//   'R' answer ok u8, message bytes: only as the reply to 's' or 'p'
//
// Every input message but 'R' is answered by exactly one 'd' after what it caused. 'I', 'X', 'T' and 'B'
// may make the core ask for a scan start or stop ('s' / 'p'), which blocks the harness until the 'R': send
// them only when nothing is unanswered, and nothing else until their 'd' (BARRIER). The others may be
// pipelined. The harness exits 2 on a malformed message (one line on stderr), 3 when stdout is closed,
// 4 when the core breaks its header's promises, 0 at the end of its input.

/** The longest text frame the harness takes (the WebSocket's maxPayload in core mode). */
export const MAX_TEXT_BYTES = 65536;
/** The longest body either side accepts. */
export const MAX_BODY_BYTES = MAX_TEXT_BYTES + 16;
/** The longest string of init (model, firmware, address, epoch), in UTF-8 bytes. */
export const MAX_INIT_STRING_BYTES = 63;
/** The longest hello.device.source (shared-protocol's helloMessageSchema: at most 32). */
export const MAX_SOURCE_BYTES = 32;
/** The longest scan-failure message, in UTF-8 bytes (longer ones are cut at a character boundary). */
export const MAX_MESSAGE_BYTES = 127;
/** The longest AD payload one advert carries. */
export const MAX_AD_BYTES = 255;

export type CoreInit = {
  type: 'init';
  now: number;
  maxDevices: number;
  hashSeed: number;
  /** Start the default scan in init, as the simulator (and a Nano at boot) does. */
  scanOnInit: boolean;
  /** BSK_CAP_* bits the core leaves out of hello.caps (1 passive, 2 duration, 4 duplicates, 8 filter, 16 raw, 32 clear). */
  capsOff: number;
  model: string;
  firmware: string;
  address: string;
  epoch: string;
  /** hello.device.source: a source name (1..32 bytes). Default 'radio', as on the device. */
  source?: string;
  /** hello.device.demo: the data is synthetic (the page says "demo data"). Default false. */
  demo?: boolean;
};

export type CoreAdvert = {
  type: 'advert';
  now: number;
  /** As written: addr[0] is the first pair of "aa:bb:cc:dd:ee:ff". */
  addr: Uint8Array;
  /** 0 public, 1 random (the core refuses anything else). */
  addrType: number;
  scanRsp: boolean;
  conn: boolean;
  rssi: number;
  data: Uint8Array;
};

/** A message to the harness. */
export type CoreIn =
  | CoreInit
  | CoreAdvert
  | { type: 'drops'; now: number; n: number }
  | { type: 'failed'; now: number; message: string }
  | { type: 'ended'; now: number }
  | { type: 'tick'; now: number }
  | { type: 'open' | 'close' | 'binary' | 'sent'; now: number; conn: number }
  | { type: 'text'; now: number; conn: number; data: Uint8Array }
  | { type: 'answer'; ok: boolean; message?: string };

export type CoreScanParams = {
  passive: boolean;
  interval: number;
  window: number;
  /** s; 0 = until stopped. */
  duration: number;
  duplicates: boolean;
};

/** A message from the harness. */
export type CoreOut =
  | { type: 'open-result'; conn: number; accepted: boolean }
  | { type: 'frame'; conn: number; data: Buffer }
  | { type: 'close'; conn: number; code: number; reason: string }
  | ({ type: 'scan-start' } & CoreScanParams)
  | { type: 'scan-stop' }
  | { type: 'done'; waitMs: number };

/** Input messages after which nothing may be sent until their 'd' (they may block on a scan answer). */
export const BARRIER: ReadonlySet<CoreIn['type']> = new Set(['init', 'text', 'tick', 'binary']);

const IN_CODES = {
  init: 0x49,
  advert: 0x41,
  drops: 0x44,
  failed: 0x45,
  ended: 0x4e,
  tick: 0x54,
  open: 0x4f,
  close: 0x43,
  text: 0x58,
  binary: 0x42,
  sent: 0x53,
  answer: 0x52,
} as const satisfies Record<CoreIn['type'], number>;

const utf8 = new TextEncoder();

/** The UTF-8 bytes of s, cut to at most max bytes at a character boundary. */
export function cutUtf8Bytes(s: string, max: number): Uint8Array {
  const bytes = utf8.encode(s);
  if (bytes.length <= max) return bytes;
  let n = max;
  while (n > 0 && ((bytes[n] as number) & 0xc0) === 0x80) n--;
  return bytes.subarray(0, n);
}

const u32 = (v: number, what: string): number => {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new RangeError(`${what}: expected u32, got ${v}`);
  return v;
};

/** Encodes one message to the harness, length prefix included. Throws a RangeError on a value out of range. */
export function encodeIn(msg: CoreIn): Buffer {
  const parts: (Uint8Array | number[])[] = [];
  const code = IN_CODES[msg.type];
  const le32 = (v: number, what: string): number[] => {
    const x = u32(v, what);
    return [x & 255, (x >>> 8) & 255, (x >>> 16) & 255, x >>> 24];
  };
  switch (msg.type) {
    case 'init': {
      if (!Number.isInteger(msg.maxDevices) || msg.maxDevices < 1 || msg.maxDevices > 0xffff)
        throw new RangeError(`maxDevices: expected 1..65535, got ${msg.maxDevices}`);
      parts.push(le32(msg.now, 'now'), [msg.maxDevices & 255, msg.maxDevices >>> 8]);
      parts.push(le32(msg.hashSeed >>> 0, 'hashSeed'));
      if (!Number.isInteger(msg.capsOff) || msg.capsOff < 0 || msg.capsOff > 63)
        throw new RangeError(`capsOff: expected 0..63, got ${msg.capsOff}`);
      parts.push([(msg.scanOnInit ? 1 : 0) | (msg.demo ? 2 : 0), msg.capsOff]);
      const source = msg.source ?? 'radio';
      const sourceBytes = utf8.encode(source).length;
      if (sourceBytes < 1 || sourceBytes > MAX_SOURCE_BYTES)
        throw new RangeError(`source: expected 1..${MAX_SOURCE_BYTES} UTF-8 bytes, got ${sourceBytes}`);
      for (const [k, s] of [
        ['model', msg.model],
        ['firmware', msg.firmware],
        ['address', msg.address],
        ['epoch', msg.epoch],
        ['source', source],
      ] as const) {
        const b = utf8.encode(s);
        if (b.length > MAX_INIT_STRING_BYTES)
          throw new RangeError(`${k}: at most ${MAX_INIT_STRING_BYTES} UTF-8 bytes`);
        parts.push([b.length], b);
      }
      break;
    }
    case 'advert': {
      if (msg.addr.length !== 6) throw new RangeError('addr: expected 6 bytes');
      if (msg.data.length > MAX_AD_BYTES) throw new RangeError(`data: at most ${MAX_AD_BYTES} bytes`);
      if (!Number.isInteger(msg.addrType) || msg.addrType < 0 || msg.addrType > 255)
        throw new RangeError(`addrType: expected a byte, got ${msg.addrType}`);
      const rssi = Math.max(-128, Math.min(127, Math.round(msg.rssi)));
      parts.push(le32(msg.now, 'now'), msg.addr);
      parts.push([msg.addrType, (msg.scanRsp ? 1 : 0) | (msg.conn ? 2 : 0), rssi & 255], msg.data);
      break;
    }
    case 'drops':
      parts.push(le32(msg.now, 'now'), le32(msg.n, 'n'));
      break;
    case 'failed':
      parts.push(le32(msg.now, 'now'), cutUtf8Bytes(msg.message, MAX_MESSAGE_BYTES));
      break;
    case 'ended':
    case 'tick':
      parts.push(le32(msg.now, 'now'));
      break;
    case 'open':
    case 'close':
    case 'binary':
    case 'sent':
      parts.push(le32(msg.now, 'now'), le32(msg.conn, 'conn'));
      break;
    case 'text':
      if (msg.data.length > MAX_TEXT_BYTES) throw new RangeError(`text: at most ${MAX_TEXT_BYTES} bytes`);
      parts.push(le32(msg.now, 'now'), le32(msg.conn, 'conn'), msg.data);
      break;
    case 'answer':
      parts.push([msg.ok ? 1 : 0]);
      if (!msg.ok) parts.push(cutUtf8Bytes(msg.message ?? '', MAX_MESSAGE_BYTES));
      break;
  }
  let n = 1;
  for (const p of parts) n += p.length;
  const out = Buffer.allocUnsafe(4 + n);
  out.writeUInt32LE(n, 0);
  out[4] = code;
  let o = 5;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The harness sent something this codec does not understand. */
export class CoreCodecError extends Error {
  override name = 'CoreCodecError';
}

/** Reassembles the harness's stdout into messages; throws a CoreCodecError on a malformed one. */
export class CoreOutReader {
  #buf: Buffer = Buffer.alloc(0);

  /** Adds a chunk of stdout; returns every message now complete, in order. */
  push(chunk: Buffer): CoreOut[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const out: CoreOut[] = [];
    let at = 0;
    while (this.#buf.length - at >= 4) {
      const n = this.#buf.readUInt32LE(at);
      if (n < 1 || n > MAX_BODY_BYTES) throw new CoreCodecError(`a body length of ${n}`);
      if (this.#buf.length - at - 4 < n) break;
      out.push(decodeOut(this.#buf.subarray(at + 4, at + 4 + n)));
      at += 4 + n;
    }
    this.#buf = this.#buf.subarray(at);
    return out;
  }

  /** Bytes of an unfinished message held back. */
  get pending(): number {
    return this.#buf.length;
  }
}

/** Decodes one body (without its length). */
export function decodeOut(body: Buffer): CoreOut {
  const type = String.fromCharCode(body[0] as number);
  const need = (len: number, exact = true) => {
    if (exact ? body.length !== len : body.length < len)
      throw new CoreCodecError(`'${type}' of ${body.length} bytes`);
  };
  switch (type) {
    case 'o':
      need(6);
      return { type: 'open-result', conn: body.readUInt32LE(1), accepted: body[5] === 1 };
    case 'f':
      need(5, false);
      // A copy: the reader's buffer is reused.
      return { type: 'frame', conn: body.readUInt32LE(1), data: Buffer.from(body.subarray(5)) };
    case 'c':
      need(7, false);
      return {
        type: 'close',
        conn: body.readUInt32LE(1),
        code: body.readUInt16LE(5),
        reason: body.subarray(7).toString('utf8'),
      };
    case 's':
      need(11);
      return {
        type: 'scan-start',
        passive: body[1] === 1,
        interval: body.readUInt16LE(2),
        window: body.readUInt16LE(4),
        duration: body.readUInt32LE(6),
        duplicates: body[10] === 1,
      };
    case 'p':
      need(1);
      return { type: 'scan-stop' };
    case 'd':
      need(5);
      return { type: 'done', waitMs: body.readUInt32LE(1) };
    default:
      throw new CoreCodecError(`unknown message type 0x${(body[0] as number).toString(16)}`);
  }
}
