// Fragmentation (RFC 6455 5.4): fragmented commands, empty fragments, broken sequences, size across parts.
import { OPCODE } from '../client-frame.js';
import { type Check, fail } from '../types.js';
import { boundedLimit } from './app-helpers.js';
import { probeCommand, sendAndExpectAck, sendAndExpectClose, textFrame } from './frame-helpers.js';

export const fragmentationChecks: Check[] = [
  {
    id: 'fragmentation.text-command',
    title: 'a command split over three fragments is accepted',
    expect: 'ack',
    ref: 'RFC 6455 5.4',
    async run(ctx) {
      const { id, text } = probeCommand();
      const a = Math.floor(text.length / 3);
      const b = 2 * a;
      await sendAndExpectAck(
        ctx,
        [
          textFrame(text.slice(0, a), { fin: false }),
          { opcode: OPCODE.continuation, payload: text.slice(a, b), fin: false },
          { opcode: OPCODE.continuation, payload: text.slice(b) },
        ],
        id,
      );
      return 'the reassembled command was answered';
    },
  },
  {
    id: 'fragmentation.empty-fragments',
    title: 'empty fragments around the data are accepted',
    expect: 'ack',
    ref: 'RFC 6455 5.4',
    async run(ctx) {
      const { id, text } = probeCommand();
      await sendAndExpectAck(
        ctx,
        [
          textFrame('', { fin: false }),
          { opcode: OPCODE.continuation, payload: text, fin: false },
          { opcode: OPCODE.continuation, payload: '' },
        ],
        id,
      );
      return 'answered';
    },
  },
  {
    id: 'fragmentation.continuation-without-start',
    title: 'a continuation frame without a started message is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.4',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(ctx, [{ opcode: OPCODE.continuation, payload: probeCommand().text }], [1002]),
  },
  {
    id: 'fragmentation.new-message-while-fragmenting',
    title: 'a new text frame before the fragmented message ends is a protocol error',
    expect: 'close 1002',
    ref: 'RFC 6455 5.4',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(
        ctx,
        [textFrame('{"type":', { fin: false }), textFrame(probeCommand().text)],
        [1002],
      ),
  },
  {
    id: 'fragmentation.oversize-across-fragments',
    title: 'small fragments adding up to more than maxInboundBytes are refused',
    expect: 'close 1009',
    ref: 'protocol: Limits (maxInboundBytes)',
    negative: true,
    run(ctx) {
      const total = boundedLimit(ctx, 'maxInboundBytes') + 1;
      const part = 100;
      const frames = [];
      for (let sent = 0; sent < total; sent += part) {
        const n = Math.min(part, total - sent);
        frames.push({
          opcode: sent === 0 ? OPCODE.text : OPCODE.continuation,
          payload: ' '.repeat(n),
          fin: sent + n >= total,
        });
      }
      if (frames.length < 2) fail('maxInboundBytes too small to split');
      return sendAndExpectClose(ctx, frames, [1009]);
    },
  },
  {
    id: 'fragmentation.binary-message',
    title: 'a fragmented binary message is refused',
    expect: 'close 1003',
    ref: 'protocol: Transport (text only)',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(
        ctx,
        [
          { opcode: OPCODE.binary, payload: '{"type":', fin: false },
          { opcode: OPCODE.continuation, payload: '"clear"}' },
        ],
        [1003],
      ),
  },
];
