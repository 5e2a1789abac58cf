// Hand-built WebSocket frames over a raw `net` socket: the bytes a polite client library refuses to send
// (invalid UTF-8, reserved bits, bad opcodes, unmasked or oversized frames). Loopback only.
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export const OP = { cont: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 };

/**
 * One client frame.
 * @param {{ opcode: number, payload?: Buffer | string, fin?: boolean, mask?: boolean, rsv?: number,
 *   declaredLength?: number, longLength?: boolean, forceLength16?: boolean }} f
 *   `declaredLength` writes a length other than the payload's (a huge declared length);
 *   `longLength` / `forceLength16` use the 64-bit / 16-bit form even for short payloads (non-minimal).
 */
export function frame(f) {
  const payload =
    typeof f.payload === 'string' ? Buffer.from(f.payload, 'utf8') : (f.payload ?? Buffer.alloc(0));
  const fin = f.fin ?? true;
  const mask = f.mask ?? true;
  const len = f.declaredLength ?? payload.length;
  const head = [((fin ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | (f.opcode & 0x0f)) & 0xff];
  const m = mask ? 0x80 : 0;
  let ext;
  if (f.longLength || len > 0xffff) {
    head.push(m | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(len));
  } else if (len > 125 || f.forceLength16) {
    head.push(m | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(len);
  } else {
    head.push(m | len);
    ext = Buffer.alloc(0);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const body = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) body[i] = payload[i] ^ key[i & 3];
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

/** A close frame body: code + reason. */
export const closePayload = (code, reason = '') => {
  const r = Buffer.from(reason, 'utf8');
  const b = Buffer.alloc(2 + r.length);
  b.writeUInt16BE(code);
  r.copy(b, 2);
  return b;
};

/** Parses server frames (unmasked) from a growing buffer. */
export class FrameReader {
  buf = Buffer.alloc(0);
  /** @type {{ opcode: number, fin: boolean, payload: Buffer }[]} */
  frames = [];
  /** @param {(f: { opcode: number, fin: boolean, payload: Buffer }) => void} [onFrame] called for each frame */
  constructor(onFrame) {
    this.onFrame = onFrame;
  }
  push(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      const b = this.buf;
      if (b.length < 2) return;
      let len = b[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      if (b[1] & 0x80) off += 4;
      if (b.length < off + len) return;
      const f = { opcode: b[0] & 0x0f, fin: (b[0] & 0x80) !== 0, payload: b.subarray(off, off + len) };
      this.frames.push(f);
      this.onFrame?.(f);
      this.buf = b.subarray(off + len);
    }
  }
}

/**
 * Opens a raw socket to 127.0.0.1:port and sends an upgrade request. Resolves with the status line code,
 * the headers text and the socket (frames after the 101 are fed to `reader`).
 * @param {number} port
 * `answerPings` makes it a live peer: each server ping gets its pong (otherwise the server's heartbeat
 * terminates the connection once its pong timeout passes, which a long run on a busy machine reaches).
 * @param {{ path?: string, host?: string | null, origin?: string, extra?: string, timeoutMs?: number,
 *   answerPings?: boolean }} [o]
 * @returns {Promise<{ socket: net.Socket, status: number, headers: string, reader: FrameReader, body: Buffer }>}
 */
export function rawUpgrade(port, o = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const reader = new FrameReader(
      o.answerPings
        ? (f) => {
            if (f.opcode === OP.ping && !socket.destroyed)
              socket.write(frame({ opcode: OP.pong, payload: f.payload }));
          }
        : undefined,
    );
    let head = Buffer.alloc(0);
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      socket.destroy();
      reject(new Error('handshake timed out'));
    }, o.timeoutMs ?? 5000);
    socket.on('error', (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(err);
    });
    const onData = (chunk) => {
      if (done) {
        reader.push(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      done = true;
      clearTimeout(timer);
      const text = head.subarray(0, end).toString('latin1');
      const status = Number(text.split(' ')[1]);
      const rest = head.subarray(end + 4);
      if (rest.length) reader.push(rest);
      resolve({ socket, status, headers: text, reader, body: rest });
    };
    socket.on('data', onData);
    socket.on('connect', () => {
      const lines = [
        `GET ${o.path ?? '/scan/live'} HTTP/1.1`,
        ...(o.host === null ? [] : [`Host: ${o.host ?? `127.0.0.1:${port}`}`]),
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        ...(o.origin ? [`Origin: ${o.origin}`] : []),
        ...(o.extra ? [o.extra] : []),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  });
}

/**
 * Resolves with the close code the server sent (or 'reset'/'end' when the socket ended without one)
 * once the socket closes, or 'timeout'.
 */
export function closeCodeOf(conn, timeoutMs = 5000) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (v) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      conn.socket.destroy();
      resolve(v);
    };
    const look = () => {
      const c = conn.reader.frames.find((f) => f.opcode === OP.close);
      if (c) finish(c.payload.length >= 2 ? c.payload.readUInt16BE(0) : 1005);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    conn.socket.on('data', look);
    conn.socket.on('close', () => {
      look();
      finish('end');
    });
    look();
  });
}
