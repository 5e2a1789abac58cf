import { readFileSync } from 'node:fs';
import { missingSharedData, requireSharedData } from '@bleshark/shared-protocol/test-support';
import { describe, expect, it } from 'vitest';
import { H4_ACL, H4_EVENT, h4PacketSize, h4TypeName, readH4 } from './h4.js';

const REL = 'hci/bumble_hci_data_001.h4.bin';
const file = requireSharedData(REL);

describe.skipIf(!file)(file ? 'readH4 on the real bumble H4 stream' : missingSharedData(REL), () => {
  it('frames every packet of the stream back to back, events and ACL only', () => {
    const bytes = new Uint8Array(readFileSync(file!));
    const { packets, damage } = readH4(bytes);
    expect(damage).toBeUndefined();
    expect(packets.reduce((n, p) => n + p.bytes.length, 0)).toBe(bytes.length);
    const types = new Set(packets.map((p) => p.type));
    expect([...types].sort()).toEqual([H4_ACL, H4_EVENT]);
    expect(packets.filter((p) => p.type === H4_ACL)).toHaveLength(17);
    expect(packets.filter((p) => p.bytes[1] === 0x3e && p.bytes[3] === 0x02)).toHaveLength(28);
  });
});

describe('readH4', () => {
  it('reads each packet type with the length its header gives', () => {
    const stream = Uint8Array.from([
      ...[0x01, 0x03, 0x0c, 0x00],
      ...[0x02, 0x40, 0x00, 0x02, 0x00, 0xaa, 0xbb],
      ...[0x03, 0x01, 0x00, 0x01, 0xcc],
      ...[0x04, 0x0e, 0x04, 0x01, 0x03, 0x0c, 0x00],
      ...[0x05, 0x01, 0x00, 0x01, 0x40, 0xdd],
    ]);
    const { packets, damage } = readH4(stream);
    expect(damage).toBeUndefined();
    expect(packets.map((p) => [p.record, p.offset, p.type, p.bytes.length])).toEqual([
      [1, 0, 1, 4],
      [2, 4, 2, 7],
      [3, 11, 3, 5],
      [4, 16, 4, 7],
      [5, 23, 5, 6],
    ]);
  });

  it('stops at a truncated packet and names its number and offset', () => {
    const stream = Uint8Array.from([0x04, 0x0e, 0x01, 0x01, 0x04, 0x3e, 0x10, 0x02]);
    const { packets, damage } = readH4(stream);
    expect(packets).toHaveLength(1);
    expect(damage).toEqual({ record: 2, offset: 4, message: 'event declares 16 parameter bytes, 1 remain' });
  });

  it('stops at a byte that is no H4 packet type', () => {
    const { packets, damage } = readH4(Uint8Array.from([0x04, 0x0e, 0x00, 0x42, 0x00]));
    expect(packets).toHaveLength(1);
    expect(damage?.record).toBe(2);
    expect(damage?.offset).toBe(3);
    expect(damage?.message).toMatch(/0x42 is not an H4 packet type/);
  });

  it('reports a header cut short', () => {
    expect(h4PacketSize(Uint8Array.from([0x02, 0x01]), 0)).toEqual({
      error: 'ACL header needs 4 bytes, 1 remain',
    });
    expect(h4TypeName(0x09)).toBe('unknown type 0x09');
  });
});
