// Limits (protocol: Limits): inbound size, command rate, client count.
import { PROTOCOL } from '@bleshark/shared-protocol';
import { Session } from '../app-connection.js';
import { buildFrame, OPCODE } from '../client-frame.js';
import { expectClose, nextId } from '../expect.js';
import { type Check, fail } from '../types.js';
import { boundedLimit, since, until } from './app-helpers.js';

/** A valid snapshot-request padded with spaces to exactly `bytes` bytes. */
const padded = (id: string, bytes: number): string => {
  const base = JSON.stringify({ type: 'snapshot-request', id });
  return base.slice(0, -1) + ' '.repeat(Math.max(0, bytes - base.length)) + base.slice(-1);
};

const burst = (n: number): Buffer =>
  Buffer.concat(
    Array.from({ length: n }, () =>
      buildFrame({
        opcode: OPCODE.text,
        payload: JSON.stringify({ type: 'snapshot-request', id: nextId('b') }),
      }),
    ),
  );

export const appLimitChecks: Check[] = [
  {
    id: 'app.inbound-at-limit',
    title: 'a command of exactly maxInboundBytes is accepted',
    expect: 'ack',
    ref: 'protocol: Limits (maxInboundBytes)',
    async run(ctx) {
      const s = await ctx.session();
      const max = boundedLimit(ctx, 'maxInboundBytes', s);
      const id = nextId('l');
      s.sendText(padded(id, max));
      const a = await s.answerTo(id);
      if (a.type !== 'ack') fail(`expected ack, got error ${a.code}: ${a.message}`);
      return `${max}-byte command acked`;
    },
  },
  {
    id: 'app.inbound-oversize',
    title: 'a command one byte over maxInboundBytes closes the connection',
    expect: 'close 1009',
    ref: 'protocol: Limits (maxInboundBytes)',
    negative: true,
    async run(ctx) {
      const s = await ctx.session();
      s.sendText(padded(nextId('o'), boundedLimit(ctx, 'maxInboundBytes', s) + 1));
      return expectClose(s, [1009]);
    },
  },
  {
    id: 'app.rate-limited',
    title: 'a burst over commandBurst is answered with rate-limited',
    expect: 'error rate-limited',
    ref: 'protocol: Limits (commandBurst)',
    negative: true,
    async run(ctx) {
      const s = await ctx.session();
      const mark = s.messages.length;
      const n = boundedLimit(ctx, 'commandBurst', s) + 1;
      s.conn.write(burst(n));
      await until(s, 'error rate-limited', () =>
        since(s, mark).some((m) => m.type === 'error' && m.code === 'rate-limited'),
      );
      return `rate-limited after a burst of ${n}`;
    },
  },
  {
    id: 'app.flood-closes-1008',
    title: 'continued flooding after rate-limited closes the connection',
    expect: 'close 1008',
    ref: 'protocol: Limits (commandsPerSecond)',
    negative: true,
    async run(ctx) {
      const s = await ctx.session();
      s.conn.write(burst(boundedLimit(ctx, 'commandBurst', s) + PROTOCOL.rateStrikes + 6));
      return expectClose(s, [1008], ctx.timeoutMs * 2);
    },
  },
  {
    id: 'app.max-clients',
    title: 'one client over maxClients is closed with 1013 (or refused)',
    expect: 'close 1013',
    ref: 'protocol: Limits (maxClients)',
    negative: true,
    exclusive: true,
    async run(ctx) {
      const max = boundedLimit(ctx, 'maxClients');
      await ctx.sleep(100);
      const held = [];
      for (let i = 0; i < max; i++) {
        const s = await ctx.session();
        if (!s.hello)
          fail(
            `client ${i + 1} of ${max} got no hello: ${s.closeFrame ? `close ${s.closeFrame.code}` : 'nothing'}`,
          );
        held.push(s);
      }
      const { conn, result } = await ctx.connect();
      if (result.type !== 'response') return `client ${max + 1} refused (${result.type})`;
      if (result.response.status !== 101)
        return `client ${max + 1} refused with HTTP ${result.response.status}`;
      const detail = await expectClose(new Session(conn, ctx.timeoutMs), [1013]);
      for (const s of held) await s.close();
      return `client ${max + 1} ${detail}`;
    },
  },
];
