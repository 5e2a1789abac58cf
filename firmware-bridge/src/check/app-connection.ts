// An upgraded connection seen at the application level: text frames become parsed messages, pings are
// answered, and every wait names what it was waiting for when it fails.
import {
  type DownHandlers,
  type DownMessage,
  dispatch,
  encode,
  type HelloMessage,
  parseDown,
  type UpMessage,
} from '@bleshark/shared-protocol';
import { CHECKER_BOUNDS } from './bounds.js';
import { closePayload, OPCODE } from './client-frame.js';
import { fail } from './outcome.js';
import { printable } from './printable.js';
import type { RawConnection } from './raw-ws.js';

export type Incoming =
  | {
      kind: 'message';
      text: string;
      /** UTF-8 size of the frame's payload. */
      bytes: number;
      /** The message when it passes parseDown, else undefined and `problem` says why. */
      msg: DownMessage | undefined;
      problem?: string;
      /** JSON.parse result, even when the schema rejects it. */
      raw: Record<string, unknown> | undefined;
    }
  | { kind: 'binary'; data: Buffer }
  | { kind: 'ping' | 'pong'; payload: Buffer }
  | { kind: 'close'; code: number | undefined; reason: Buffer }
  | { kind: 'end'; error?: string }
  | { kind: 'timeout' };

/** Parse limit for down frames; the size limit is checked separately against hello.limits. */
const PARSE_LIMIT = CHECKER_BOUNDS.maxServerMessageBytes;

/**
 * What a failure message says about a valid device message beyond its type: one entry per type, so a
 * message added to the protocol does not compile here until the checker can describe it.
 */
const DETAIL: DownHandlers<void, string> = {
  hello: (m) => `protocol ${m.protocol}, epoch ${m.epoch}`,
  status: (m) => `seq ${m.seq}`,
  batch: (m) => `seq ${m.seq}`,
  snapshot: (m) => `${m.reason}, seq ${m.seq}${m.more ? ', more to come' : ''}`,
  'scan-complete': (m) => m.reason,
  error: (m) => `${m.code}${m.id ? ` to "${m.id}"` : ''}: ${m.message.slice(0, 60)}`,
  ack: (m) => `of ${m.command} "${m.id}"`,
};

export const describeIncoming = (e: Incoming): string => {
  switch (e.kind) {
    case 'message':
      return e.msg
        ? `a ${e.msg.type} message (${printable(dispatch(DETAIL, e.msg))})`
        : `a ${String(e.raw?.type ?? 'non-JSON')} message`;
    case 'close':
      return `close ${e.code ?? '(no code)'}${e.reason.length ? ` "${e.reason.toString('utf8').slice(0, 60)}"` : ''}`;
    case 'end':
      return `TCP close without a close frame${e.error ? ` (${e.error})` : ''}`;
    case 'timeout':
      return 'nothing';
    default:
      return `a ${e.kind} frame`;
  }
};

export class Session {
  readonly conn: RawConnection;
  readonly timeoutMs: number;
  /** The first message, when it is a hello that passes the schema. */
  hello: HelloMessage | undefined;
  /** Why there is no hello: what came first instead, or why the hello fails the schema. */
  helloProblem: string | undefined;
  /** Every text message received, in order, up to CHECKER_BOUNDS.maxLoggedMessages / maxLoggedBytes. */
  readonly messages: Extract<Incoming, { kind: 'message' }>[] = [];
  private loggedBytes = 0;
  /** The server's close frame, once seen. */
  closeFrame: { code: number | undefined; reason: Buffer } | undefined;
  /** Answer server pings (on by default). */
  autoPong = true;

  constructor(conn: RawConnection, timeoutMs: number) {
    this.conn = conn;
    this.timeoutMs = timeoutMs;
  }

  /** The next event; data fragments are assembled, pings answered. */
  async next(timeoutMs = this.timeoutMs): Promise<Incoming> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.conn.read(Math.max(0, deadline - Date.now()));
      if (r.type === 'end') return r.error ? { kind: 'end', error: r.error } : { kind: 'end' };
      if (r.type === 'timeout') return { kind: 'timeout' };
      const { frame, message } = r;
      if (frame.opcode === OPCODE.ping) {
        if (this.autoPong) this.conn.send({ opcode: OPCODE.pong, payload: frame.payload });
        return { kind: 'ping', payload: frame.payload };
      }
      if (frame.opcode === OPCODE.pong) return { kind: 'pong', payload: frame.payload };
      if (frame.opcode === OPCODE.close) {
        const c = frame.close ?? { code: undefined, reason: Buffer.alloc(0) };
        this.closeFrame ??= c;
        return { kind: 'close', code: c.code, reason: c.reason };
      }
      if (!message) continue;
      if (message.opcode !== OPCODE.text) return { kind: 'binary', data: message.data };
      const text = message.data.toString('utf8');
      let raw: Record<string, unknown> | undefined;
      try {
        const v: unknown = JSON.parse(text);
        if (v && typeof v === 'object' && !Array.isArray(v)) raw = v as Record<string, unknown>;
      } catch {
        raw = undefined;
      }
      const parsed = parseDown(text, PARSE_LIMIT);
      const e: Incoming = parsed.ok
        ? { kind: 'message', text, bytes: message.data.length, msg: parsed.msg, raw }
        : { kind: 'message', text, bytes: message.data.length, msg: undefined, problem: parsed.message, raw };
      if (
        this.messages.length < CHECKER_BOUNDS.maxLoggedMessages &&
        this.loggedBytes + e.bytes <= CHECKER_BOUNDS.maxLoggedBytes
      ) {
        this.messages.push(e);
        this.loggedBytes += e.bytes;
      }
      return e;
    }
  }

  /** Reads until `pick` returns a value; fails on close, end or timeout, naming `what`. */
  async waitFor<T>(
    what: string,
    pick: (e: Incoming) => T | undefined,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.next(Math.max(0, deadline - Date.now()));
      const v = pick(e);
      if (v !== undefined) return v;
      if (e.kind === 'timeout') return fail(`no ${what} within ${timeoutMs} ms`);
      if (e.kind === 'close' || e.kind === 'end')
        return fail(`got ${describeIncoming(e)} while waiting for ${what}`);
    }
  }

  /** Waits for a message of a type (optionally matching `where`). */
  waitForMessage<K extends DownMessage['type']>(
    type: K,
    where: (m: Extract<DownMessage, { type: K }>) => boolean = () => true,
    timeoutMs = this.timeoutMs,
    what: string = type,
  ): Promise<Extract<DownMessage, { type: K }>> {
    return this.waitFor(
      what,
      (e) => {
        if (e.kind !== 'message' || e.msg?.type !== type) return undefined;
        const m = e.msg as Extract<DownMessage, { type: K }>;
        return where(m) ? m : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits for the ack or error answering command `id`. */
  answerTo(id: string, timeoutMs = this.timeoutMs): Promise<Extract<DownMessage, { type: 'ack' | 'error' }>> {
    return this.waitFor(
      `an answer to command "${id}"`,
      (e) =>
        e.kind === 'message' && (e.msg?.type === 'ack' || e.msg?.type === 'error') && e.msg.id === id
          ? e.msg
          : undefined,
      timeoutMs,
    );
  }

  sendText(text: string | Buffer): void {
    this.conn.send({ opcode: OPCODE.text, payload: text });
  }

  command(msg: UpMessage | Record<string, unknown>): void {
    this.sendText(encode(msg as UpMessage));
  }

  /** Sends a command and expects an `ack` for it. */
  async expectAck(msg: UpMessage & { id: string }): Promise<void> {
    this.command(msg);
    const a = await this.answerTo(msg.id);
    if (a.type !== 'ack') fail(`"${msg.type}" answered with error ${a.code}: ${a.message}`);
  }

  /** Set once we sent a close frame; nothing more is sent afterwards. */
  closeSent = false;

  /** Sends a close frame (once). */
  sendClose(payload: Buffer | string): void {
    if (this.closeSent || this.conn.ended) return;
    this.closeSent = true;
    this.conn.send({ opcode: OPCODE.close, payload });
  }

  /** Closes with 1000 when still open (or answers the server's close) and waits, bounded, for the end. */
  async close(): Promise<void> {
    if (!this.closeSent && !this.conn.ended) {
      if (this.closeFrame) this.sendClose(this.closeFrame.code ? closePayload(this.closeFrame.code) : '');
      else {
        this.sendClose(closePayload(1000));
        const deadline = Date.now() + this.timeoutMs;
        while (!this.closeFrame) {
          const e = await this.next(Math.max(0, deadline - Date.now()));
          if (e.kind === 'end' || e.kind === 'timeout') break;
        }
      }
    }
    await this.conn.shutdown(this.timeoutMs);
  }
}
