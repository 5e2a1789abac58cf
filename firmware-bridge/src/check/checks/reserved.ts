// Reserved bits and opcodes (RFC 6455 5.2): without a negotiated extension they are protocol errors.
import type { Check } from '../types.js';
import { probeCommand, sendAndExpectClose, textFrame } from './frame-helpers.js';

const rsvCheck = (bit: 1 | 2 | 3): Check => ({
  id: `reserved.rsv${bit}`,
  title: `a text frame with RSV${bit} set is a protocol error`,
  expect: 'close 1002',
  ref: 'RFC 6455 5.2',
  negative: true,
  run: (ctx) => sendAndExpectClose(ctx, [textFrame(probeCommand().text, { rsv: 1 << (3 - bit) })], [1002]),
});

const opcodeCheck = (opcode: number): Check => ({
  id: `reserved.opcode-${opcode.toString(16)}`,
  title: `reserved opcode 0x${opcode.toString(16).toUpperCase()} is a protocol error`,
  expect: 'close 1002',
  ref: 'RFC 6455 5.2',
  negative: true,
  run: (ctx) =>
    sendAndExpectClose(ctx, [{ opcode, payload: opcode < 8 ? probeCommand().text : 'x' }], [1002]),
});

export const reservedChecks: Check[] = [
  rsvCheck(1),
  rsvCheck(2),
  rsvCheck(3),
  ...[3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map(opcodeCheck),
];
