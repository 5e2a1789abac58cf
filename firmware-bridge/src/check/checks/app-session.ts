// What every connection sees (protocol: A session, Messages): hello, the connect snapshot, frames that
// parse and fit, contiguous seq, the status heartbeat.
import { PROTOCOL_VERSION, SCHEMA_HASH } from '@bleshark/shared-protocol';
import type { Session } from '../app-connection.js';
import { type Check, type CheckContext, fail } from '../types.js';
import { boundedLimit, limitsOf, readSnapshot, since, until } from './app-helpers.js';
import { observe, observeMs } from './frame-helpers.js';

async function helloSession(ctx: CheckContext): Promise<Session & { hello: NonNullable<Session['hello']> }> {
  const s = await ctx.session();
  if (!s.hello) fail(s.helloProblem ?? 'no hello');
  return s as Session & { hello: NonNullable<Session['hello']> };
}

async function observed(ctx: CheckContext): Promise<Session> {
  const s = await helloSession(ctx);
  await observe(s, observeMs(ctx));
  return s;
}

export const appSessionChecks: Check[] = [
  {
    id: 'app.hello-first',
    title: 'the first frame is a valid hello',
    expect: 'hello passing the schema',
    ref: 'protocol: hello',
    async run(ctx) {
      const s = await helloSession(ctx);
      const first = s.messages[0]!;
      if (!first.msg) fail(`hello does not pass the schema: ${first.problem}`);
      return `hello from ${s.hello.device.model} ${s.hello.device.firmware}, epoch ${s.hello.epoch}`;
    },
  },
  {
    id: 'app.hello-version',
    title: 'hello.protocol is the checker protocol version',
    expect: `protocol ${PROTOCOL_VERSION}`,
    ref: 'protocol: Versioning',
    async run(ctx) {
      const s = await helloSession(ctx);
      if (s.hello.protocol !== PROTOCOL_VERSION)
        fail(`device speaks protocol ${String(s.hello.protocol)}, the checker ${PROTOCOL_VERSION}`);
      return `protocol ${PROTOCOL_VERSION}`;
    },
  },
  {
    id: 'app.hello-schema',
    title: 'hello.schema is 8 hex digits equal to the checker SCHEMA_HASH',
    expect: `schema ${SCHEMA_HASH}`,
    ref: 'protocol: Versioning',
    async run(ctx) {
      const s = await helloSession(ctx);
      const h = String(s.hello.schema);
      if (!/^[0-9a-f]{8}$/.test(h))
        fail(`device schema hash "${h}" is not 8 hex digits (checker: ${SCHEMA_HASH})`);
      if (h !== SCHEMA_HASH) fail(`device schema hash ${h}, checker SCHEMA_HASH ${SCHEMA_HASH}`);
      return `schema ${h}`;
    },
  },
  {
    id: 'app.snapshot-on-connect',
    title: 'a complete snapshot (reason connect) follows hello, before any batch',
    expect: 'snapshot parts, more=false on the last',
    ref: 'protocol: Rules for firmware 1',
    async run(ctx) {
      const s = await helloSession(ctx);
      const parts = await readSnapshot(s, 'connect');
      const firstBatch = since(s).findIndex((m) => m.type === 'batch');
      const lastPart = since(s).indexOf(parts[parts.length - 1]!);
      if (firstBatch >= 0 && firstBatch < lastPart)
        fail('a batch arrived before the connect snapshot was complete');
      return `${parts[parts.length - 1]!.total} devices in ${parts.length} part(s)`;
    },
  },
  {
    id: 'app.frames-parse',
    title: 'every frame passes parseDown',
    expect: 'no schema errors',
    ref: 'protocol: Messages, device -> page',
    async run(ctx) {
      const s = await observed(ctx);
      const bad = s.messages.find((m) => !m.msg);
      if (bad) fail(`a ${String(bad.raw?.type ?? 'non-JSON')} frame fails the schema: ${bad.problem}`);
      return `${s.messages.length} frames parsed`;
    },
  },
  {
    id: 'app.frame-size',
    title: 'every frame is within hello.limits.maxFrameBytes',
    expect: '<= maxFrameBytes',
    ref: 'protocol: Limits (maxFrameBytes)',
    async run(ctx) {
      const s = await observed(ctx);
      const max = limitsOf(ctx, s).maxFrameBytes;
      const big = s.messages.find((m) => m.bytes > max);
      if (big) fail(`a ${String(big.raw?.type)} frame of ${big.bytes} bytes exceeds maxFrameBytes ${max}`);
      return `largest frame ${Math.max(0, ...s.messages.map((m) => m.bytes))} of ${max} bytes`;
    },
  },
  {
    id: 'app.batch-items',
    title: 'batches and snapshot parts hold at most maxBatchItems records + updates',
    expect: '<= maxBatchItems',
    ref: 'protocol: Limits (maxBatchItems)',
    async run(ctx) {
      const s = await observed(ctx);
      const max = limitsOf(ctx, s).maxBatchItems;
      let most = 0;
      for (const m of since(s)) {
        if (m.type !== 'batch' && m.type !== 'snapshot') continue;
        const n = (m.d?.length ?? 0) + (m.type === 'batch' ? (m.u?.length ?? 0) : 0);
        if (n > max) fail(`${m.type} seq ${m.seq} holds ${n} items, over maxBatchItems ${max}`);
        most = Math.max(most, n);
      }
      return `at most ${most} of ${max} items per frame`;
    },
  },
  {
    id: 'app.seq-contiguous',
    title: 'seq grows by one with every batch and snapshot frame',
    expect: 'no gaps',
    ref: 'protocol: Rules for firmware 6',
    async run(ctx) {
      const s = await observed(ctx);
      const seqs = since(s).flatMap((m) => (m.type === 'batch' || m.type === 'snapshot' ? [m.seq] : []));
      for (let i = 1; i < seqs.length; i++)
        if (seqs[i] !== seqs[i - 1]! + 1) fail(`seq jumped from ${seqs[i - 1]} to ${seqs[i]}`);
      if (seqs.length < 2) fail(`only ${seqs.length} batch/snapshot frame(s) seen`);
      return `${seqs.length} frames, seq ${seqs[0]}..${seqs[seqs.length - 1]}`;
    },
  },
  {
    id: 'app.status-interval',
    title: 'status arrives within statusIntervalMs (plus 1 s slack)',
    expect: 'status within the interval',
    ref: 'protocol: status',
    async run(ctx) {
      boundedLimit(ctx, 'statusIntervalMs');
      const s = await helloSession(ctx);
      const interval = boundedLimit(ctx, 'statusIntervalMs', s);
      const t0 = Date.now();
      await until(s, 'status', () => since(s).some((m) => m.type === 'status'), interval + 1000);
      return `status after ${Date.now() - t0} ms (interval ${interval} ms)`;
    },
  },
  {
    id: 'app.status-seq',
    title: 'status.seq is the last seq sent on the connection',
    expect: 'status.seq = last batch/snapshot seq',
    ref: 'protocol: status',
    async run(ctx) {
      boundedLimit(ctx, 'statusIntervalMs');
      const s = await helloSession(ctx);
      const limit = boundedLimit(ctx, 'statusIntervalMs', s) + 1000;
      await until(s, 'status', () => since(s).some((m) => m.type === 'status'), limit);
      let last: number | undefined;
      for (const m of since(s)) {
        if (m.type === 'batch' || m.type === 'snapshot') last = m.seq;
        if (m.type === 'status') {
          if (last !== undefined && m.seq !== last)
            fail(`status.seq ${m.seq}, but the last frame sent had seq ${last}`);
          return `status.seq ${m.seq}`;
        }
      }
      return fail('internal: status not found');
    },
  },
  {
    id: 'app.epoch-stable',
    title: 'two connections in a row see the same epoch and different client numbers',
    expect: 'same epoch',
    ref: 'protocol: hello (epoch)',
    async run(ctx) {
      const a = await helloSession(ctx);
      await a.close();
      const b = await helloSession(ctx);
      if (a.hello.epoch !== b.hello.epoch)
        fail(`epoch changed between connections: ${a.hello.epoch} -> ${b.hello.epoch}`);
      if (a.hello.client === b.hello.client) fail(`both connections got client number ${a.hello.client}`);
      return `epoch ${a.hello.epoch}, clients ${a.hello.client} and ${b.hello.client}`;
    },
  },
];
