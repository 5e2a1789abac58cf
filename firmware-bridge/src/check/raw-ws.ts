// A WebSocket client on a raw TCP (or TLS) socket: it sends a hand-built handshake, parses the HTTP
// answer, then sends frames exactly as asked and reads the server's frames through the strict reader.
// Every read has a timeout; nothing is hidden, nothing throws on a misbehaving server.
import net from 'node:net';
import tls from 'node:tls';
import { CHECKER_BOUNDS } from './bounds.js';
import { buildFrame, type FrameSpec } from './client-frame.js';
import { FrameReader, type ReadFrame } from './frame-reader.js';
import { type HttpResponse, headEnd, MAX_RESPONSE_HEAD, parseResponseHead } from './http-response.js';
import type { Target } from './target.js';

export type ReadResult =
  | ({ type: 'frame' } & ReadFrame)
  | { type: 'end'; error?: string }
  | { type: 'timeout' };

export type HandshakeResult =
  | { type: 'response'; response: HttpResponse }
  | { type: 'end'; error?: string }
  | { type: 'timeout' }
  | { type: 'malformed'; detail: string };

export class RawConnection {
  readonly socket: net.Socket;
  readonly reader = new FrameReader(CHECKER_BOUNDS.maxServerMessageBytes);
  response: HttpResponse | undefined;
  /** The remote side ended or the socket failed. */
  ended = false;
  endError: string | undefined;
  private head: Buffer = Buffer.alloc(0);
  private upgraded = false;
  private wake: (() => void) | undefined;
  private readonly closed: Promise<void>;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.endError ??= err.message;
    });
    socket.on('end', () => this.onEnd());
    this.closed = new Promise((resolve) => socket.on('close', () => resolve(this.onEnd())));
  }

  /**
   * Opens the TCP (or TLS) connection; resolves to the connection or a message. An abort of `signal`
   * while connecting destroys the socket (afterwards the owner of the connection destroys it).
   */
  static open(target: Target, timeoutMs: number, signal?: AbortSignal): Promise<RawConnection | string> {
    return new Promise((resolve) => {
      const where = `${target.host}:${target.port}`;
      if (signal?.aborted) return resolve(`cancelled before connecting to ${where}`);
      const socket = target.secure
        ? tls.connect({ host: target.host, port: target.port, servername: target.host })
        : net.connect({ host: target.host, port: target.port });
      const done = (r: RawConnection | string) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const onAbort = () => {
        socket.destroy();
        done(`cancelled while connecting to ${where}`);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        socket.destroy();
        done(`could not connect to ${where} within ${timeoutMs} ms`);
      }, timeoutMs);
      socket.once(target.secure ? 'secureConnect' : 'connect', () => {
        socket.removeAllListeners('error');
        done(new RawConnection(socket));
      });
      socket.once('error', (err) => {
        done(`could not connect to ${where}: ${err.message}`);
      });
    });
  }

  private onData(chunk: Buffer): void {
    if (this.upgraded) {
      if (this.reader.closeSeen) this.reader.noteBytesAfterClose(chunk.length);
      this.reader.push(chunk);
      // A server that sends faster than the check reads waits in its own socket, not in our memory.
      if (this.reader.buffered > CHECKER_BOUNDS.maxUnreadBytes) this.socket.pause();
    } else if (this.head.length <= MAX_RESPONSE_HEAD) this.head = Buffer.concat([this.head, chunk]);
    this.notify();
  }

  private onEnd(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private waitForInput(deadline: number): Promise<boolean> {
    const left = deadline - Date.now();
    if (left <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, left);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /** Sends the request text and reads the response head; a 101 switches the connection to frames. */
  async handshake(request: string | Buffer, timeoutMs: number): Promise<HandshakeResult> {
    this.write(request);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = headEnd(this.head);
      if (end >= 0) {
        const parsed = parseResponseHead(this.head.subarray(0, end).toString('latin1'));
        if (typeof parsed === 'string') return { type: 'malformed', detail: parsed };
        this.response = parsed;
        if (parsed.status === 101) {
          this.upgraded = true;
          const rest = this.head.subarray(end);
          if (rest.length > 0) this.reader.push(Buffer.from(rest));
        }
        this.head = Buffer.alloc(0);
        return { type: 'response', response: parsed };
      }
      if (this.head.length > MAX_RESPONSE_HEAD)
        return { type: 'malformed', detail: `response head over ${MAX_RESPONSE_HEAD} bytes` };
      if (this.ended) return { type: 'end', ...(this.endError ? { error: this.endError } : {}) };
      if (!(await this.waitForInput(deadline))) return { type: 'timeout' };
    }
  }

  /** Writes raw bytes; failures (the server already closed) are recorded, not thrown. */
  write(bytes: string | Buffer): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(bytes, (err) => {
      if (err) this.endError ??= err.message;
    });
  }

  send(spec: FrameSpec): void {
    this.write(buildFrame(spec));
  }

  /** The next server frame, the end of the connection, or a timeout. */
  async read(timeoutMs: number): Promise<ReadResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = this.reader.next();
      if (f) return { type: 'frame', ...f };
      if (this.socket.isPaused()) this.socket.resume();
      if (this.ended || this.reader.broken)
        return { type: 'end', ...(this.endError ? { error: this.endError } : {}) };
      if (!(await this.waitForInput(deadline))) return { type: 'timeout' };
    }
  }

  /** Waits until the socket is fully closed, destroying it after the timeout. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ok = await Promise.race([this.closed.then(() => true), timedOut]);
    clearTimeout(timer);
    if (!ok) this.socket.destroy();
    return ok;
  }

  /** Half-closes our side and waits (bounded) for the server to close; then destroys. */
  async shutdown(timeoutMs: number): Promise<void> {
    if (!this.socket.destroyed) this.socket.end();
    await this.waitClosed(timeoutMs);
    this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
