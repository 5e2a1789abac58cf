// The closing handshake (RFC 6455 5.5.1, 7.4): echoed codes, refused codes, payload rules, silence after.
import { randomBytes } from 'node:crypto';
import type { Session } from '../app-connection.js';
import { closePayload, OPCODE } from '../client-frame.js';
import { type Check, type CheckContext, fail } from '../types.js';
import { observe, sendAndExpectClose, textFrame } from './frame-helpers.js';

/** Sends a close and returns the server's answer (its close frame), failing on anything else. */
async function closeAnswer(
  s: Session,
  payload: Buffer | string,
): Promise<{ code: number | undefined; reason: Buffer }> {
  s.sendClose(payload);
  const c = await s.waitFor('the close reply', (e) => (e.kind === 'close' ? e : undefined));
  await s.conn.shutdown(s.timeoutMs);
  return c;
}

const echoCheck = (code: number): Check => ({
  id: `close.echo-${code}`,
  title: `close ${code} is echoed`,
  expect: `close ${code}`,
  ref: 'RFC 6455 5.5.1',
  async run(ctx) {
    const s = await ctx.session();
    const c = await closeAnswer(s, closePayload(code, 'bye'));
    if (c.code !== code) fail(`expected close ${code}, got close ${c.code ?? '(no code)'}`);
    return `close ${code} echoed`;
  },
});

const refusedCode = (code: number): Check => ({
  id: `close.code-${code}`,
  title: `close code ${code} is refused`,
  expect: 'close 1002',
  ref: 'RFC 6455 7.4.1',
  negative: true,
  run: (ctx) => sendAndExpectClose(ctx, [{ opcode: OPCODE.close, payload: closePayload(code) }], [1002]),
});

/** After the server's close frame nothing may follow; checked while batches are flowing. */
async function silentAfterClose(
  ctx: CheckContext,
  trigger: (s: Session) => void,
  what: string,
): Promise<string> {
  const s = await ctx.session();
  await observe(s, 250);
  trigger(s);
  const c = await s.waitFor('the server close frame', (e) => (e.kind === 'close' ? e : undefined));
  s.sendClose(c.code === undefined ? '' : closePayload(c.code));
  const after = Date.now() + Math.min(ctx.timeoutMs, 1000);
  while (!s.conn.ended && Date.now() < after) await s.next(Math.max(0, after - Date.now()));
  const bad = s.conn.reader.violations.filter((v) => v.kind === 'data-after-close');
  if (bad.length) fail(`the server sent data after its close frame: ${bad[0]!.detail}`);
  return `nothing followed the close (${what})`;
}

export const closeChecks: Check[] = [
  ...[1000, 1001, 3000, 4999].map(echoCheck),
  {
    id: 'close.empty-payload',
    title: 'a close without a code is answered without 1005 on the wire',
    expect: 'close with no code or 1000',
    ref: 'RFC 6455 7.1.5, 7.4.1',
    async run(ctx) {
      const s = await ctx.session();
      const c = await closeAnswer(s, '');
      if (c.code !== undefined && c.code !== 1000)
        fail(`expected an empty close or 1000, got close ${c.code}`);
      return c.code === undefined ? 'answered with an empty close' : 'answered with 1000';
    },
  },
  {
    id: 'close.reason-123',
    title: 'a 123-byte reason (the maximum) is accepted',
    expect: 'close 1000',
    ref: 'RFC 6455 5.5',
    async run(ctx) {
      const s = await ctx.session();
      const c = await closeAnswer(s, closePayload(1000, 'r'.repeat(123)));
      if (c.code !== 1000) fail(`expected close 1000, got close ${c.code ?? '(no code)'}`);
      return 'close 1000 echoed';
    },
  },
  ...[0, 999, 1004, 1005, 1006, 1015, 1016, 2999].map(refusedCode),
  {
    id: 'close.one-byte-payload',
    title: 'a close payload of one byte is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.5.1',
    negative: true,
    run: (ctx) => sendAndExpectClose(ctx, [{ opcode: OPCODE.close, payload: Buffer.from([0x03]) }], [1002]),
  },
  {
    id: 'close.reason-124',
    title: 'a 124-byte reason (126-byte control frame) is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.5',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(
        ctx,
        [{ opcode: OPCODE.close, payload: closePayload(1000, 'r'.repeat(124)) }],
        [1002],
      ),
  },
  {
    id: 'close.reason-invalid-utf8',
    title: 'a close reason that is not UTF-8 is refused',
    expect: 'close 1007 or 1002',
    ref: 'RFC 6455 5.5.1, 8.1',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(
        ctx,
        [{ opcode: OPCODE.close, payload: closePayload(1000, Buffer.from([0x61, 0xff, 0xfe])) }],
        [1007, 1002],
      ),
  },
  {
    id: 'close.nothing-after-echo',
    title: 'nothing is sent after the close that answers ours',
    expect: 'no frame after close',
    ref: 'RFC 6455 5.5.1',
    run: (ctx) => silentAfterClose(ctx, (s) => s.sendClose(closePayload(1000)), 'client-initiated'),
  },
  {
    id: 'close.nothing-after-error-close',
    title: 'nothing is sent after a close for a protocol error',
    expect: 'no frame after close',
    ref: 'RFC 6455 5.5.1',
    negative: true,
    run: (ctx) =>
      silentAfterClose(
        ctx,
        (s) => s.conn.send(textFrame('{}', { mask: false, payload: randomBytes(8) })),
        'after a protocol error',
      ),
  },
];
