// Control frames (RFC 6455 5.5): ping/pong payloads, size and fragmentation limits, interleaving.
import { randomBytes } from 'node:crypto';
import type { Session } from '../app-connection.js';
import { closePayload, OPCODE } from '../client-frame.js';
import { expectUsable } from '../expect.js';
import { type Check, type CheckContext, fail } from '../types.js';
import { probeCommand, sendAndExpectClose, textFrame } from './frame-helpers.js';

/** Waits for a pong and requires its payload to equal `payload`. */
async function expectPong(s: Session, payload: Buffer): Promise<void> {
  const got = await s.waitFor('a pong', (e) => (e.kind === 'pong' ? e.payload : undefined));
  if (!got.equals(payload))
    fail(
      `pong payload differs: sent ${payload.length} bytes, got ${got.length} bytes${got.length ? ` (${got.subarray(0, 16).toString('hex')}...)` : ''}`,
    );
}

async function pingEcho(ctx: CheckContext, size: number): Promise<string> {
  const s = await ctx.session();
  const payload = randomBytes(size);
  s.conn.send({ opcode: OPCODE.ping, payload });
  await expectPong(s, payload);
  return `pong echoed the ${size}-byte payload exactly`;
}

export const controlChecks: Check[] = [
  {
    id: 'control.ping-empty',
    title: 'an empty ping is answered with an empty pong',
    expect: 'pong, 0 bytes',
    ref: 'RFC 6455 5.5.2',
    run: (ctx) => pingEcho(ctx, 0),
  },
  {
    id: 'control.ping-125',
    title: 'a 125-byte ping is echoed exactly',
    expect: 'pong with the same 125 bytes',
    ref: 'RFC 6455 5.5.2',
    run: (ctx) => pingEcho(ctx, 125),
  },
  {
    id: 'control.ping-126',
    title: 'a 126-byte ping is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.5',
    negative: true,
    run: (ctx) => sendAndExpectClose(ctx, [{ opcode: OPCODE.ping, payload: randomBytes(126) }], [1002]),
  },
  {
    id: 'control.pong-126',
    title: 'a 126-byte pong is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.5',
    negative: true,
    run: (ctx) => sendAndExpectClose(ctx, [{ opcode: OPCODE.pong, payload: randomBytes(126) }], [1002]),
  },
  {
    id: 'control.ping-fragmented',
    title: 'a fragmented ping is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.5',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(
        ctx,
        [
          { opcode: OPCODE.ping, payload: 'frag', fin: false },
          { opcode: OPCODE.continuation, payload: 'ment' },
        ],
        [1002],
      ),
  },
  {
    id: 'control.close-fragmented',
    title: 'a fragmented close is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.5',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(ctx, [{ opcode: OPCODE.close, payload: closePayload(1000), fin: false }], [1002]),
  },
  {
    id: 'control.pong-unsolicited',
    title: 'an unsolicited pong is ignored',
    expect: 'no close; commands still answered',
    ref: 'RFC 6455 5.5.3',
    async run(ctx) {
      const s = await ctx.session();
      s.conn.send({ opcode: OPCODE.pong, payload: 'unsolicited' });
      await expectUsable(s, 'after an unsolicited pong');
      return 'ignored; the connection stayed usable';
    },
  },
  {
    id: 'control.ping-between-fragments',
    title: 'a ping between the fragments of a message is answered',
    expect: 'pong, then the message is answered',
    ref: 'RFC 6455 5.4',
    async run(ctx) {
      const s = await ctx.session();
      const { id, text } = probeCommand();
      const cut = Math.floor(text.length / 2);
      const payload = Buffer.from('between');
      s.conn.send(textFrame(text.slice(0, cut), { fin: false }));
      s.conn.send({ opcode: OPCODE.ping, payload });
      await expectPong(s, payload);
      s.conn.send({ opcode: OPCODE.continuation, payload: text.slice(cut) });
      const a = await s.answerTo(id);
      if (a.type !== 'ack') fail(`expected ack, got error ${a.code}`);
      return 'pong in the middle, then the command was answered';
    },
  },
];
