// Helpers for the application-protocol checks: reading the log, snapshots in parts, error answers.
import type { DownMessage, Limits, SnapshotMessage } from '@bleshark/shared-protocol';
import type { Session } from '../app-connection.js';
import { CHECKER_BOUNDS } from '../bounds.js';
import { expectUsable } from '../expect.js';
import { type CheckContext, fail, skip } from '../types.js';

/**
 * The limits the device announced: the session's hello, else the probe's. Only a hello that passed the
 * schema counts; without one the check is skipped (the probe and app.hello-first fail instead).
 */
export const limitsOf = (ctx: CheckContext, s?: Session): Limits =>
  s?.hello?.limits ??
  ctx.baseline?.limits ??
  skip(
    `no valid hello.limits to test against (${s?.helloProblem ?? 'the first connection got no hello that passes the schema'})`,
  );

type BoundedLimit = 'maxClients' | 'maxInboundBytes' | 'commandBurst' | 'statusIntervalMs';

const BOUND_OF: Record<BoundedLimit, number> = {
  maxClients: CHECKER_BOUNDS.maxClients,
  maxInboundBytes: CHECKER_BOUNDS.maxInboundBytes,
  commandBurst: CHECKER_BOUNDS.maxCommandBurst,
  statusIntervalMs: CHECKER_BOUNDS.maxStatusIntervalMs,
};

/** An announced limit the check acts on; over the checker's bound (CHECKER_BOUNDS) the check is skipped. */
export function boundedLimit(ctx: CheckContext, key: BoundedLimit, s?: Session): number {
  const value = limitsOf(ctx, s)[key];
  const bound = BOUND_OF[key];
  if (value > bound)
    skip(`hello.limits.${key} is ${value}, over the checker's bound of ${bound}; not checked`);
  return value;
}

/** Parsed messages received since `mark` (an index into s.messages). */
export const since = (s: Session, mark = 0): DownMessage[] =>
  s.messages.slice(mark).flatMap((e) => (e.msg ? [e.msg] : []));

/** Reads until `cond` holds over the log; fails naming `what`. */
export async function until(
  s: Session,
  what: string,
  cond: () => boolean,
  timeoutMs = s.timeoutMs,
): Promise<void> {
  if (cond()) return;
  await s.waitFor(what, () => (cond() ? true : undefined), timeoutMs);
}

/** The parts of the first complete snapshot with `reason` since `mark`, or undefined while incomplete. */
export function snapshotParts(
  s: Session,
  reason: SnapshotMessage['reason'],
  mark = 0,
): SnapshotMessage[] | undefined {
  const parts: SnapshotMessage[] = [];
  for (const m of since(s, mark)) {
    if (m.type !== 'snapshot' || m.reason !== reason) continue;
    parts.push(m);
    if (!m.more) return parts;
  }
  return undefined;
}

/** Waits for a complete snapshot and checks that its parts agree with each other. */
export async function readSnapshot(
  s: Session,
  reason: SnapshotMessage['reason'],
  mark = 0,
): Promise<SnapshotMessage[]> {
  await until(
    s,
    `a complete snapshot (reason ${reason})`,
    () => snapshotParts(s, reason, mark) !== undefined,
  );
  const parts = snapshotParts(s, reason, mark)!;
  const count = parts.reduce((n, p) => n + p.d.length, 0);
  const total = parts[parts.length - 1]!.total;
  if (count !== total)
    fail(`snapshot (${reason}) says total ${total} but its ${parts.length} part(s) hold ${count} records`);
  return parts;
}

/** Sends raw text and expects an `error` with `code` (and `id` echoed when given); the connection stays. */
export async function expectError(s: Session, text: string, code: string, id?: string): Promise<string> {
  const mark = s.messages.length;
  s.sendText(text);
  await until(s, `an error ${code}`, () =>
    since(s, mark).some((m) => m.type === 'error' || (id !== undefined && m.type === 'ack' && m.id === id)),
  );
  const m = since(s, mark).find((x) => x.type === 'error' || x.type === 'ack')!;
  if (m.type === 'ack') fail(`expected error ${code}, got ack`);
  if (m.type !== 'error') return fail('internal');
  if (m.code !== code) fail(`expected error ${code}, got error ${m.code} (${m.message})`);
  if (id !== undefined && m.id !== id)
    fail(`error ${code} did not echo id "${id}" (got ${m.id === undefined ? 'none' : `"${m.id}"`})`);
  await expectUsable(s, `after error ${code}`);
  return `error ${code}${id ? ` with id ${id}` : ''}; connection kept`;
}
