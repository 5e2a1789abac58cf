// The context a check runs in: connections it opens are tracked and closed afterwards, and the
// violations the strict reader saw on them are collected for the report.
import type { HelloMessage } from '@bleshark/shared-protocol';
import { buildHandshake, type HandshakeOptions } from './handshake-request.js';
import { RawConnection } from './raw-ws.js';
import { Session } from './session.js';
import type { Target } from './target.js';
import { type CheckContext, type Connected, fail } from './types.js';

export type TrackedContext = CheckContext & {
  notes: string[];
  /** Closes everything the check left open and returns the violations seen. */
  dispose(): Promise<string[]>;
};

export function createContext(
  target: Target,
  timeoutMs: number,
  baseline: HelloMessage | undefined,
): TrackedContext {
  const conns: RawConnection[] = [];
  const sessions: Session[] = [];
  const notes: string[] = [];

  const open = async (): Promise<RawConnection> => {
    const conn = await RawConnection.open(target, timeoutMs);
    if (typeof conn === 'string') return fail(conn);
    conns.push(conn);
    return conn;
  };

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
    if (first.kind === 'message' && first.raw?.type === 'hello') s.hello = first.raw as HelloMessage;
    return s;
  };

  const dispose = async (): Promise<string[]> => {
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
    open,
    connect,
    session,
    note: (text) => {
      notes.push(text);
    },
    notes,
    dispose,
  };
}
