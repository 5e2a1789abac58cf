import { describe, expect, it } from 'vitest';
import { commandComplete, commandStatus, completeParams, OP, OP_NAMES, opHex } from './hci-commands.js';

const info = { hciVersion: 9, address: '00:00:5e:00:53:01', extended: false };

describe('hci-commands', () => {
  it('encodes Command Complete and Command Status events', () => {
    expect(Array.from(commandComplete(OP.RESET, 0))).toEqual([4, 0x0e, 4, 1, 0x03, 0x0c, 0]);
    expect(Array.from(commandStatus(OP.LE_CREATE_CONN, 0x0c))).toEqual([4, 0x0f, 4, 0x0c, 1, 0x0d, 0x20]);
  });

  it('gives a non-zero LE buffer size so noble never needs Read Buffer Size', () => {
    const [lo, hi, num] = completeParams(OP.LE_READ_BUFFER_SIZE, info);
    expect(lo! | (hi! << 8)).toBe(251);
    expect(num).toBe(8);
  });

  it('announces the extended-scan commands only when extended', () => {
    expect(completeParams(OP.READ_SUPPORTED_COMMANDS, info)[37]! & 0x30).toBe(0);
    expect(completeParams(OP.READ_SUPPORTED_COMMANDS, { ...info, extended: true })[37]! & 0x30).toBe(0x30);
  });

  it('names opcodes for logs', () => {
    expect(OP_NAMES[OP.LE_SET_EXTENDED_SCAN_ENABLE]).toBe('le set extended scan enable');
    expect(opHex(0x0c03)).toBe('0x0c03');
  });
});
