// Shared expectations: the server closes with a code, answers with an HTTP status, stays usable.

import { describeIncoming, type Session } from './app-connection.js';
import { closePayload } from './client-frame.js';
import type { HttpResponse } from './http-response.js';
import { fail } from './types.js';

/**
 * Reads until the server's close frame and requires one of `codes`; replies to the close and waits
 * (bounded) for the TCP close. Text frames before the close (hello, batches) are skipped.
 */
export async function expectClose(s: Session, codes: number[], timeoutMs = s.timeoutMs): Promise<string> {
  const want = `close ${codes.join(' or ')}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = await s.next(Math.max(0, deadline - Date.now()));
    if (e.kind === 'timeout')
      return fail(`expected ${want}, got nothing within ${timeoutMs} ms (connection open)`);
    if (e.kind === 'end') return fail(`expected ${want}, got ${describeIncoming(e)}`);
    if (e.kind !== 'close') continue;
    s.sendClose(e.code === undefined ? '' : closePayload(e.code));
    await s.conn.shutdown(timeoutMs);
    if (e.code === undefined || !codes.includes(e.code))
      return fail(`expected ${want}, got ${describeIncoming(e)}`);
    return `closed with ${e.code}`;
  }
}

/** Requires an HTTP status from the list (the refusal happens before the upgrade). */
export function expectStatus(res: HttpResponse | undefined, statuses: number[], what: string): string {
  if (!res) return fail(`expected HTTP ${statuses.join(' or ')} for ${what}, got no response`);
  if (!statuses.includes(res.status))
    return fail(
      `expected HTTP ${statuses.join(' or ')} for ${what}, got ${res.status} ${res.statusText}`.trim(),
    );
  return `HTTP ${res.status} for ${what}`;
}

let counter = 0;
/** A fresh command id. */
export const nextId = (prefix: string): string => `${prefix}${(++counter).toString(36)}`;

/** The connection still answers commands: a snapshot-request with an id is acked. */
export async function expectUsable(s: Session, after: string): Promise<void> {
  const id = nextId('alive');
  s.command({ type: 'snapshot-request', id });
  const a = await s.waitFor(`an answer to a command ${after}`, (e) => {
    if (e.kind === 'close' || e.kind === 'end')
      fail(`connection was not kept ${after}: got ${describeIncoming(e)}`);
    return e.kind === 'message' && e.msg?.type === 'ack' && e.msg.id === id ? e.msg : undefined;
  });
  void a;
}
