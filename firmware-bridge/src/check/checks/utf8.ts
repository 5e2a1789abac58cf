// UTF-8 in text messages (RFC 6455 8.1): invalid sequences close with 1007, valid ones pass whole.
import { OPCODE } from '../client-frame.js';
import { type Check, fail } from '../types.js';
import { probeCommand, sendAndExpectAck, sendAndExpectClose, textFrame } from './frame-helpers.js';

const withBytes = (bytes: number[]): Buffer =>
  Buffer.concat([Buffer.from('{"type":"snapshot-request","id":"'), Buffer.from(bytes), Buffer.from('"}')]);

const invalid = (name: string, title: string, bytes: number[]): Check => ({
  id: `utf8.${name}`,
  title,
  expect: 'close 1007',
  ref: 'RFC 6455 8.1',
  negative: true,
  run: (ctx) => sendAndExpectClose(ctx, [textFrame('', { payload: withBytes(bytes) })], [1007]),
});

export const utf8Checks: Check[] = [
  invalid('invalid-byte', 'a text message with a 0xFF byte is refused', [0x61, 0xff, 0x62]),
  invalid('overlong', 'an overlong encoding (C0 AF) is refused', [0xc0, 0xaf]),
  invalid('surrogate', 'an encoded surrogate (ED A0 80) is refused', [0xed, 0xa0, 0x80]),
  invalid('above-max', 'a code point above U+10FFFF is refused', [0xf4, 0x90, 0x80, 0x80]),
  {
    id: 'utf8.truncated-end',
    title: 'a text message ending inside a multibyte sequence is refused',
    expect: 'close 1007',
    ref: 'RFC 6455 8.1',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(ctx, [textFrame('', { payload: Buffer.from([0x7b, 0x22, 0xe2, 0x82]) })], [1007]),
  },
  {
    id: 'utf8.invalid-across-fragments',
    title: 'an invalid sequence split across fragments is refused',
    expect: 'close 1007',
    ref: 'RFC 6455 8.1',
    negative: true,
    run: (ctx) =>
      sendAndExpectClose(
        ctx,
        [
          textFrame('', { payload: Buffer.from([0x7b, 0x22, 0xe2, 0x82]), fin: false }),
          { opcode: OPCODE.continuation, payload: Buffer.from([0x28, 0x22, 0x7d]) },
        ],
        [1007],
      ),
  },
  {
    id: 'utf8.valid-multibyte',
    title: 'valid 2-, 3- and 4-byte characters are accepted and echoed intact',
    expect: 'ack with the same id',
    ref: 'RFC 6455 8.1; protocol: error/ack id',
    async run(ctx) {
      const id = 'ü€𝄞';
      await sendAndExpectAck(ctx, [textFrame(JSON.stringify({ type: 'snapshot-request', id }))], id);
      return 'ack carried the multibyte id';
    },
  },
  {
    id: 'utf8.valid-across-fragments',
    title: 'a 4-byte character split across fragments is accepted',
    expect: 'ack',
    ref: 'RFC 6455 5.4, 8.1',
    async run(ctx) {
      const { id } = probeCommand('𝄞s');
      const bytes = Buffer.from(JSON.stringify({ type: 'snapshot-request', id }));
      const cut = bytes.indexOf(0xf0) + 2;
      if (cut < 2) fail('internal: no 4-byte character to split');
      await sendAndExpectAck(
        ctx,
        [
          textFrame('', { payload: bytes.subarray(0, cut), fin: false }),
          { opcode: OPCODE.continuation, payload: bytes.subarray(cut) },
        ],
        id,
      );
      return 'answered';
    },
  },
];
