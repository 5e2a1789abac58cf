import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { parseFrames } from '../../test/raw-socket.js';
import { ClientFrameGate, NON_MINIMAL_REASON } from './client-frame-gate.js';
import type { LengthViolation } from './frame-length-watch.js';

type Form = '7' | '16' | '64';

/** A masked client frame whose length is written in `form` (whatever the payload size). */
function frame(opcode: number, payload: Buffer | string, form: Form = '7', declared?: number): Buffer {
  const body = Buffer.from(payload);
  const len = declared ?? body.length;
  const head =
    form === '7'
      ? Buffer.from([0x80 | opcode, 0x80 | len])
      : form === '16'
        ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), u64(len)]);
  const mask = randomBytes(4);
  return Buffer.concat([head, mask, Buffer.from(body.map((b, i) => b ^ mask[i % 4]!))]);
}
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const handshake = (port: number): string =>
  `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

type Peer = { socket: Socket; closed: Promise<void>; frames: () => [number, Buffer][] };

let server: Server | undefined;
const peers: Socket[] = [];
afterEach(async () => {
  for (const s of peers.splice(0)) s.destroy();
  await new Promise<void>((r) => {
    if (!server) return r();
    server.close(() => r());
    server.closeAllConnections();
  });
  server = undefined;
});

/** A ws server behind the gate that records messages and violations; closes itself on `bye`. */
async function start(graceMs = 1000) {
  const messages: string[] = [];
  const violations: LengthViolation[] = [];
  let serverSocketsClosed = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 70_000, perMessageDeflate: false });
  server = createServer();
  server.on('upgrade', (req, socket, head) => {
    socket.on('close', () => serverSocketsClosed++);
    const gate = new ClientFrameGate(head, { graceMs, onViolation: (v) => violations.push(v) });
    wss.handleUpgrade(req, socket, gate.head, (ws) => {
      gate.attach(socket, ws);
      ws.on('error', () => {});
      ws.on('message', (data) => {
        messages.push(String(data));
        if (String(data) === 'bye') ws.close(1000, 'bye');
      });
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };

  /** Opens a raw connection; `withHandshake` bytes are written in the same write as the handshake. */
  const open = async (withHandshake = Buffer.alloc(0), allowHalfOpen = false): Promise<Peer> => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen });
    peers.push(socket);
    let buf = Buffer.alloc(0);
    let headEnd = -1;
    const upgraded = new Promise<void>((resolve) => {
      socket.on('data', (c) => {
        buf = Buffer.concat([buf, c]);
        if (headEnd >= 0) return;
        headEnd = buf.indexOf('\r\n\r\n');
        if (headEnd >= 0) resolve();
      });
    });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => {});
    socket.write(Buffer.concat([Buffer.from(handshake(port)), withHandshake]));
    await upgraded;
    expect(buf.toString('latin1', 0, 12)).toBe('HTTP/1.1 101');
    return { socket, closed, frames: () => parseFrames(buf.subarray(headEnd + 4)) };
  };
  return { messages, violations, open, serverClosed: () => serverSocketsClosed };
}

const closeOf = (p: Peer) => {
  const f = p.frames().find(([op]) => op === 8)?.[1];
  return f && { code: f.readUInt16BE(0), reason: f.toString('utf8', 2) };
};
const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};
const writeBytewise = async (s: Socket, bytes: Buffer) => {
  for (const b of bytes) {
    s.write(Buffer.from([b]));
    await new Promise((r) => setTimeout(r, 1));
  }
};

describe('ClientFrameGate', () => {
  it('passes the frames before a non-minimal one to ws, withholds that one, closes 1002 and the socket', async () => {
    const g = await start();
    const p = await g.open();
    p.socket.write(Buffer.concat([frame(1, 'first'), frame(1, 'bad', '16'), frame(1, 'after')]));
    await p.closed;
    expect(g.messages).toEqual(['first']);
    expect(closeOf(p)).toEqual({ code: 1002, reason: NON_MINIMAL_REASON });
    expect(g.violations).toEqual([{ form: 16, length: 3, offset: frame(1, 'first').length }]);
  });

  it('catches a 64-bit non-minimal length sent with the handshake (in the upgrade head)', async () => {
    const g = await start();
    const p = await g.open(Buffer.concat([frame(1, 'early'), frame(1, 'bad', '64')]));
    await p.closed;
    expect(g.messages).toEqual(['early']);
    expect(closeOf(p)?.code).toBe(1002);
    expect(g.violations).toMatchObject([{ form: 64, length: 3 }]);
  });

  it('reads a non-minimal header written one byte per TCP segment', async () => {
    const g = await start();
    const p = await g.open();
    await writeBytewise(p.socket, frame(1, 'bad', '16'));
    await p.closed;
    expect(g.messages).toEqual([]);
    expect(closeOf(p)?.code).toBe(1002);
  });

  it('lets minimal 16- and 64-bit lengths through and keeps the connection', async () => {
    const g = await start();
    const p = await g.open();
    const [mid, long] = ['m'.repeat(300), 'l'.repeat(65_536)];
    p.socket.write(Buffer.concat([frame(1, mid, '16'), frame(1, long, '64'), frame(1, 'short')]));
    await until(() => g.messages.length === 3);
    expect(g.messages).toEqual([mid, long, 'short']);
    expect(closeOf(p)).toBeUndefined();
    expect(g.violations).toEqual([]);
  });

  it("keeps ws's own codes for errors earlier in the stream: 1007, 1009, 1002", async () => {
    const g = await start();
    const bad = frame(1, 'bad', '16');
    const cases: [Buffer, number][] = [
      [frame(1, Buffer.from([0xff, 0xfe])), 1007], // invalid UTF-8
      [frame(1, 'x'.repeat(70_001), '64'), 1009], // over maxPayload (70,000)
      [Buffer.from([0x81, 0x02, 0x61, 0x62]), 1002], // unmasked
    ];
    for (const [first, code] of cases) {
      const p = await g.open();
      p.socket.write(Buffer.concat([first, bad]));
      await until(() => closeOf(p) !== undefined);
      expect(closeOf(p)?.code, `expected ${code}`).toBe(code);
      p.socket.destroy();
    }
    // A 1 GiB declaration is minimal: ws refuses it (1009) and the gate stays out of it.
    const p = await g.open();
    p.socket.write(frame(1, '', '64', 2 ** 30 + 1));
    await until(() => closeOf(p) !== undefined);
    expect(closeOf(p)?.code).toBe(1009);
    expect(g.violations).toEqual([]);
  });

  it('steps aside once ws is closing for another reason', async () => {
    const g = await start();
    const p = await g.open();
    p.socket.write(frame(1, 'bye'));
    await until(() => closeOf(p) !== undefined);
    p.socket.write(frame(1, 'bad', '16'));
    p.socket.write(frame(8, Buffer.from([0x03, 0xe8])));
    await p.closed;
    expect(closeOf(p)?.code).toBe(1000);
    // ws itself still reads frames until the peer's close (the Session ignores them once closing).
    expect(g.messages).toEqual(['bye', 'bad']);
    expect(g.violations).toEqual([]);
  });

  it('destroys the socket after the grace period when the peer does not close', async () => {
    const g = await start(50);
    // allowHalfOpen: the peer does not answer the server's FIN and never sends its close frame.
    const p = await g.open(Buffer.alloc(0), true);
    p.socket.write(frame(1, 'bad', '16'));
    // The bound is generous for a busy machine and still well under ws's own 30 s close timeout.
    await until(() => g.serverClosed() === 1, 10_000);
    expect(g.serverClosed()).toBe(1);
    expect(closeOf(p)?.code).toBe(1002);
    p.socket.destroy();
  });
});
