// Base framing (RFC 6455 5.1-5.2, 10.4): masking, length encodings, size limits, server frame hygiene.

import { buildFrame, OPCODE } from '../client-frame.js';
import type { ViolationKind } from '../frame-reader.js';
import { type Check, type CheckContext, fail } from '../types.js';
import {
  observe,
  observeMs,
  probeCommand,
  sendAndExpectAck,
  sendAndExpectClose,
  textFrame,
} from './frame-helpers.js';

/** A session observed for a while must show no violation of `kind` in the server's frames. */
async function serverFramesClean(ctx: CheckContext, kinds: ViolationKind[], what: string): Promise<string> {
  const s = await ctx.session();
  const ms = observeMs(ctx);
  await observe(s, ms);
  const bad = s.conn.reader.violations.filter((v) => kinds.includes(v.kind));
  if (bad.length) fail(`${bad.length} server frame(s) broke the rule, first: ${bad[0]!.detail}`);
  if (s.messages.length === 0) {
    const broken = s.conn.reader.violations.find((v) => v.kind === 'frame-too-large');
    fail(
      broken
        ? `no server message could be read: ${broken.detail}`
        : `no server message arrived within ${ms} ms after the 101, so none could be checked`,
    );
  }
  return `${s.messages.length} server messages, all ${what}`;
}

export const framingChecks: Check[] = [
  {
    id: 'framing.unmasked-client-frame',
    title: 'an unmasked client frame is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.1',
    negative: true,
    run: (ctx) => sendAndExpectClose(ctx, [textFrame(probeCommand().text, { mask: false })], [1002]),
  },
  {
    id: 'framing.non-minimal-length-16',
    title: 'a short payload with a 16-bit length is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.2',
    negative: true,
    run: (ctx) => sendAndExpectClose(ctx, [textFrame(probeCommand().text, { lengthForm: '16' })], [1002]),
  },
  {
    id: 'framing.non-minimal-length-64',
    title: 'a short payload with a 64-bit length is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.2',
    negative: true,
    run: (ctx) => sendAndExpectClose(ctx, [textFrame(probeCommand().text, { lengthForm: '64' })], [1002]),
  },
  {
    id: 'framing.huge-declared-length',
    title: 'a frame declaring 1 GiB is refused before its payload arrives',
    expect: 'close 1009',
    ref: 'RFC 6455 10.4',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(ctx, [{ opcode: OPCODE.text, declaredLength: (1n << 30n) + 1n }], [1009]),
  },
  {
    id: 'framing.length-msb-set',
    title: 'a 64-bit length with the most significant bit set is refused',
    expect: 'close 1002 or 1009',
    ref: 'RFC 6455 5.2',
    negative: true,
    run: (ctx) => sendAndExpectClose(ctx, [{ opcode: OPCODE.text, declaredLength: 1n << 63n }], [1002, 1009]),
  },
  {
    id: 'framing.binary-frame',
    title: 'a binary frame on the text-only protocol is refused',
    expect: 'close 1003',
    ref: 'RFC 6455 7.4.1; protocol: Transport',
    negative: true,
    run: (ctx) => sendAndExpectClose(ctx, [{ opcode: OPCODE.binary, payload: probeCommand().text }], [1003]),
  },
  {
    id: 'framing.length-16-bit',
    title: 'a 16-bit length frame (126+ bytes) is accepted',
    expect: 'ack',
    ref: 'RFC 6455 5.2',
    async run(ctx) {
      const { id } = probeCommand();
      const text = JSON.stringify({ type: 'snapshot-request', id, pad: 'x'.repeat(200) });
      await sendAndExpectAck(ctx, [textFrame(text)], id);
      return `a ${Buffer.byteLength(text)}-byte frame was answered`;
    },
  },
  {
    id: 'framing.split-writes',
    title: 'a frame arriving one byte per TCP segment is reassembled',
    expect: 'ack',
    ref: 'RFC 6455 5.2',
    async run(ctx) {
      const s = await ctx.session();
      const { id, text } = probeCommand();
      const bytes = buildFrame(textFrame(text));
      for (const b of bytes) {
        s.conn.write(Buffer.from([b]));
        await ctx.sleep(1);
      }
      const a = await s.answerTo(id);
      if (a.type !== 'ack') fail(`expected ack, got error ${a.code}`);
      return `${bytes.length} single-byte writes were answered`;
    },
  },
  {
    id: 'framing.server-unmasked',
    title: 'server frames are not masked',
    expect: 'no masked frame',
    ref: 'RFC 6455 5.1',
    run: (ctx) => serverFramesClean(ctx, ['masked-server-frame'], 'unmasked'),
  },
  {
    id: 'framing.server-minimal-length',
    title: 'server frames use the minimal length encoding',
    expect: 'minimal lengths',
    ref: 'RFC 6455 5.2',
    run: (ctx) => serverFramesClean(ctx, ['non-minimal-length', 'length-msb-set'], 'minimally encoded'),
  },
  {
    id: 'framing.server-no-rsv',
    title: 'server frames have RSV bits clear and known opcodes',
    expect: 'RSV 000, opcodes 0-2 and 8-A',
    ref: 'RFC 6455 5.2',
    run: (ctx) =>
      serverFramesClean(ctx, ['rsv-set', 'reserved-opcode'], 'without RSV bits or reserved opcodes'),
  },
  {
    id: 'framing.server-text-utf8',
    title: 'server text messages are valid UTF-8 and control frames well formed',
    expect: 'valid UTF-8, control frames <= 125 bytes with FIN',
    ref: 'RFC 6455 5.5, 8.1',
    run: (ctx) =>
      serverFramesClean(
        ctx,
        [
          'invalid-utf8',
          'fragmented-control',
          'control-too-long',
          'unexpected-continuation',
          'interleaved-data',
        ],
        'valid UTF-8 with well-formed control frames',
      ),
  },
];
