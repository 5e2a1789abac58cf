// A raw TCP WebSocket client for the cases `ws` will not produce: frames written as literal bytes.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export type RawConn = { socket: Socket; head: string; rest: () => Buffer; ended: Promise<void> };

/** Sends an HTTP request with the given headers and resolves once the response head arrived. */
export function rawHandshake(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawConn> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let head: string | undefined;
    const ended = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (head !== undefined) return;
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      head = buf.subarray(0, i).toString('latin1');
      buf = buf.subarray(i + 4);
      resolve({ socket, head, rest: () => buf, ended });
    });
    const all = {
      Host: `127.0.0.1:${port}`,
      Upgrade: 'websocket',
      Connection: 'Upgrade',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      'Sec-WebSocket-Version': '13',
      ...headers,
    };
    const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}`);
    socket.write(`GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** One masked client frame (payload < 126 bytes). */
export function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, body]);
}

/** Reads server frames from a buffer (unmasked, as a server sends them); returns [opcode, payload][]. */
export function parseFrames(buf: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  let i = 0;
  while (i + 2 <= buf.length) {
    const op = (buf[i] ?? 0) & 0x0f;
    let len = (buf[i + 1] ?? 0) & 0x7f;
    let p = i + 2;
    if (len === 126) {
      len = buf.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      len = Number(buf.readBigUInt64BE(p));
      p += 8;
    }
    if (p + len > buf.length) break;
    out.push([op, buf.subarray(p, p + len)]);
    i = p + len;
  }
  return out;
}

/** The close code the server sent on this raw connection (waits for a close frame or the socket's end). */
export async function closeCodeOf(conn: RawConn): Promise<number | undefined> {
  const code = () =>
    parseFrames(conn.rest())
      .find(([op]) => op === 8)?.[1]
      .readUInt16BE(0);
  let ended = false;
  void conn.ended.then(() => {
    ended = true;
  });
  while (code() === undefined && !ended) await new Promise((r) => setTimeout(r, 5));
  return code();
}
