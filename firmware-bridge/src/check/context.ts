// The context a check runs in: connections it opens are tracked and closed afterwards, and the
// violations the strict reader saw on them are collected for the report. Aborting `signal` cancels the
// check: its sockets are destroyed (every pending read ends), its sleeps end and it can open nothing more.
import type { HelloMessage } from '@bleshark/shared-protocol';
import { describeIncoming, type Incoming, Session } from './app-connection.js';
import { buildHandshake, type HandshakeOptions } from './handshake-request.js';
import { RawConnection } from './raw-ws.js';
import type { Target } from './target.js';
import { type CheckContext, type Connected, fail } from './types.js';

export type TrackedContext = CheckContext & {
  notes: string[];
  /** Set when opening a connection failed (refused, unreachable, timed out): the device is not there. */
  readonly openError: string | undefined;
  /** Closes everything the check left open and returns the violations seen. */
  dispose(): Promise<string[]>;
};

/** Why the first event of a session is not a usable hello (the hello itself passed the schema). */
export function helloProblem(first: Incoming, timeoutMs: number): string | undefined {
  if (first.kind === 'message') {
    if (first.msg?.type === 'hello') return undefined;
    if (first.raw?.type === 'hello') return `hello does not pass the schema: ${first.problem}`;
    return `the first message was ${describeIncoming(first)}, not hello`;
  }
  if (first.kind === 'timeout') return `no message within ${timeoutMs} ms after the 101`;
  return `got ${describeIncoming(first)} instead of hello`;
}

export function createContext(
  target: Target,
  timeoutMs: number,
  baseline: HelloMessage | undefined,
  signal: AbortSignal = new AbortController().signal,
): TrackedContext {
  const conns: RawConnection[] = [];
  const sessions: Session[] = [];
  const notes: string[] = [];
  const cancelled = () => fail('cancelled');
  let openError: string | undefined;
  const destroyAll = () => {
    for (const c of conns) c.destroy();
  };
  signal.addEventListener('abort', destroyAll, { once: true });

  const open = async (): Promise<RawConnection> => {
    if (signal.aborted) return cancelled();
    const conn = await RawConnection.open(target, timeoutMs, signal);
    if (typeof conn === 'string') {
      if (signal.aborted) return cancelled();
      openError ??= conn;
      return fail(conn);
    }
    conns.push(conn);
    if (signal.aborted) conn.destroy();
    return conn;
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });

  const connect = async (opts: HandshakeOptions = {}): Promise<Connected> => {
    const conn = await open();
    const req = buildHandshake(target, opts);
    const result = await conn.handshake(req.text, timeoutMs);
    return { conn, key: req.key, result };
  };

  const session = async (opts: HandshakeOptions = {}): Promise<Session> => {
    const { conn, result } = await connect(opts);
    if (result.type !== 'response') {
      const why =
        result.type === 'timeout'
          ? `no handshake response within ${timeoutMs} ms`
          : result.type === 'malformed'
            ? result.detail
            : `connection closed during the handshake${result.error ? ` (${result.error})` : ''}`;
      return fail(why);
    }
    if (result.response.status !== 101)
      return fail(`handshake refused: HTTP ${result.response.status} ${result.response.statusText}`.trim());
    const s = new Session(conn, timeoutMs);
    sessions.push(s);
    const first = await s.next();
    if (first.kind === 'message' && first.msg?.type === 'hello') s.hello = first.msg;
    else s.helloProblem = helloProblem(first, timeoutMs);
    return s;
  };

  const dispose = async (): Promise<string[]> => {
    signal.removeEventListener('abort', destroyAll);
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
    await Promise.all(conns.map((c) => c.shutdown(timeoutMs)));
    const seen = new Set<string>();
    for (const c of conns) for (const v of c.reader.violations) seen.add(`${v.kind}: ${v.detail}`);
    return [...seen];
  };

  return {
    target,
    timeoutMs,
    baseline,
    signal,
    sleep,
    open,
    connect,
    session,
    note: (text) => {
      notes.push(text);
    },
    notes,
    get openError() {
      return openError;
    },
    dispose,
  };
}
