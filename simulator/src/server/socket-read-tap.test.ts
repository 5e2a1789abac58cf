// Guards the one run-time patch (socket-read-tap.ts): if Node's net.Socket or `ws` stop delivering reads
// through the socket's own `push`, these fail, and with them the frame gate's reason to exist as it is.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { tapSocketReads } from './socket-read-tap.js';

const servers: (Server | HttpServer)[] = [];
const sockets: Socket[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const c of clients.splice(0)) c.terminate();
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((r) => {
          s.close(() => r());
          if ('closeAllConnections' in s) s.closeAllConnections();
        }),
    ),
  );
});

const listen = (s: Server | HttpServer) =>
  new Promise<number>((resolve) => {
    servers.push(s);
    s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port));
  });

const BROKEN =
  'the read path no longer goes through socket.push: the frame gate (client-frame-gate.ts) cannot see client bytes; rework socket-read-tap.ts';

describe('tapSocketReads (the run-time patch of net.Socket reads)', () => {
  it("sees every chunk a net.Socket reads before its 'data' listeners, which get what the tap returns", async () => {
    const tapped: string[] = [];
    const got: string[] = [];
    let untap: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      const server = createServer((socket) => {
        untap = tapSocketReads(socket, (chunk) => {
          tapped.push(Buffer.from(chunk).toString());
          return Buffer.from(Buffer.from(chunk).toString().toUpperCase());
        });
        socket.on('data', (d) => got.push(d.toString()));
        socket.on('end', () => resolve());
      });
      void listen(server).then((port) => {
        const c = connect(port, '127.0.0.1', () => c.end('hello tap'));
        sockets.push(c);
      });
    });
    await done;
    expect(tapped.join(''), BROKEN).toBe('hello tap');
    expect(got.join('')).toBe('HELLO TAP');
    untap();
  });

  it('sits in front of ws after handleUpgrade: ws parses what passes and never sees what is withheld', async () => {
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const http = createHttpServer();
    const messages: string[] = [];
    let seenBytes = 0;
    let withhold = false;
    let onWithheld: () => void = () => {};
    http.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        tapSocketReads(socket, (chunk) => {
          seenBytes += chunk.length;
          if (!withhold) return chunk;
          withhold = false;
          onWithheld();
          return undefined;
        });
        ws.on('message', (d) => {
          messages.push(d.toString());
          ws.send('ok');
        });
      });
    });
    const port = await listen(http);
    const client = new WebSocket(`ws://127.0.0.1:${port}/`);
    clients.push(client);
    const replies: string[] = [];
    await new Promise((r) => client.once('open', r));
    client.on('message', (d) => replies.push(d.toString()));
    client.send('first');
    await new Promise<void>((r) => client.once('message', () => r()));
    expect(seenBytes, BROKEN).toBeGreaterThanOrEqual('first'.length + 6);
    expect(messages).toEqual(['first']);
    // The next chunk (the frame of 'second') is withheld; a ping after it still gets its pong.
    withhold = true;
    const withheld = new Promise<void>((r) => {
      onWithheld = r;
    });
    client.send('second');
    await withheld;
    await new Promise<void>((r) => {
      client.once('pong', () => r());
      client.ping();
    });
    expect(messages).toEqual(['first']);
  });
});
