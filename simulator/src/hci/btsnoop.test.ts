import { readFileSync } from 'node:fs';
import { missingSharedData, requireSharedData } from '@bleshark/shared-protocol/test-support';
import { describe, expect, it } from 'vitest';
import { BTSNOOP_MAGIC, isBtsnoop, readBtsnoop, writeBtsnoop } from './btsnoop.js';
import { H4_ACL, H4_COMMAND, H4_EVENT } from './h4.js';

const REL = 'hci/bumble_hci_data_001.le_adv_reports.btsnoop';
const file = requireSharedData(REL);

/** A btsnoop file with the given datalink and raw records ({flags, data}), 2 ms apart. */
function snoop(
  datalink: number,
  records: { flags: number; data: number[]; original?: number }[],
): Uint8Array {
  const parts: number[] = [...BTSNOOP_MAGIC, 0, 0, 0, 1, ...u32(datalink)];
  records.forEach((r, i) => {
    const ts = new Uint8Array(8);
    new DataView(ts.buffer).setBigInt64(0, 63_000_000_000_000_000n + BigInt(i * 2000));
    parts.push(
      ...u32(r.original ?? r.data.length),
      ...u32(r.data.length),
      ...u32(r.flags),
      ...u32(0),
      ...ts,
      ...r.data,
    );
  });
  return Uint8Array.from(parts);
}
const u32 = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

describe.skipIf(!file)(file ? 'readBtsnoop on the real capture' : missingSharedData(REL), () => {
  it('reads 28 received H4 events with timestamps 1 ms apart', () => {
    const r = readBtsnoop(new Uint8Array(readFileSync(file!)));
    expect(r.datalink).toBe(1002);
    expect(r.damage).toBeUndefined();
    expect(r.packets).toHaveLength(28);
    expect(r.packets.every((p) => p.type === H4_EVENT && p.fromController)).toBe(true);
    expect(r.packets.map((p) => p.ts)).toEqual(Array.from({ length: 28 }, (_, i) => i));
  });
});

describe('readBtsnoop', () => {
  it('turns datalink 1001 (no type byte) into H4 packets using the flags', () => {
    const r = readBtsnoop(
      snoop(1001, [
        { flags: 2, data: [0x03, 0x0c, 0x00] },
        { flags: 3, data: [0x0e, 0x01, 0x01] },
        { flags: 1, data: [0x40, 0x00, 0x00, 0x00] },
      ]),
    );
    expect(r.packets.map((p) => [p.type, p.fromController, p.bytes[0], p.ts])).toEqual([
      [H4_COMMAND, false, 1, 0],
      [H4_EVENT, true, 4, 2],
      [H4_ACL, true, 2, 4],
    ]);
  });

  it('reads btmon -w files (datalink 2001) and counts monitor notes as other', () => {
    const r = readBtsnoop(
      snoop(2001, [
        { flags: 0, data: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
        { flags: 2, data: [0x03, 0x0c, 0x00] },
        { flags: (1 << 16) | 3, data: [0x0e, 0x01, 0x01] },
        { flags: 12, data: [0x41] },
      ]),
    );
    expect(r.damage).toBeUndefined();
    expect(r.other).toBe(2);
    expect(r.packets.map((p) => [p.record, p.type, p.fromController])).toEqual([
      [2, H4_COMMAND, false],
      [3, H4_EVENT, true],
    ]);
  });

  it('names the record and offset of a record that runs past the end', () => {
    const bytes = snoop(1002, [
      { flags: 3, data: [4, 0x0e, 0x01, 0x01] },
      { flags: 3, data: [4, 0x0e, 0x01, 0x01] },
    ]);
    const r = readBtsnoop(bytes.subarray(0, bytes.length - 2));
    expect(r.packets).toHaveLength(1);
    expect(r.damage).toEqual({ record: 2, offset: 44, message: 'record claims 4 bytes, 2 remain' });
  });

  it('names a record whose header is cut short', () => {
    const bytes = snoop(1002, [{ flags: 3, data: [4, 0x0e, 0x01, 0x01] }]);
    const r = readBtsnoop(Uint8Array.from([...bytes, 0, 0, 0]));
    expect(r.damage).toEqual({ record: 2, offset: 44, message: 'record header needs 24 bytes, 3 remain' });
  });

  it('names a record whose H4 length disagrees with the record, and says when the capture was cut', () => {
    const r = readBtsnoop(snoop(1002, [{ flags: 3, data: [4, 0x3e, 0x20, 0x02], original: 35 }]));
    expect(r.damage?.record).toBe(1);
    expect(r.damage?.message).toBe(
      'event declares 32 parameter bytes, 1 remain (only 4 of 35 bytes were captured)',
    );
    const extra = readBtsnoop(snoop(1002, [{ flags: 3, data: [4, 0x0e, 0x00, 0x99] }]));
    expect(extra.damage?.message).toBe('packet is 3 bytes by its header but the record holds 4');
  });

  it('refuses other versions and datalinks in the file header', () => {
    const v2 = snoop(1002, []);
    v2[11] = 2;
    expect(readBtsnoop(v2).damage).toEqual({
      record: 0,
      offset: 0,
      message: 'btsnoop version 2 is not supported (only version 1)',
    });
    expect(readBtsnoop(snoop(201, [])).damage?.message).toMatch(/datalink 201 is not supported/);
    expect(readBtsnoop(BTSNOOP_MAGIC).damage?.message).toMatch(/needs 16 bytes/);
    expect(isBtsnoop(Uint8Array.from([4, 0x3e]))).toBe(false);
  });

  it('round-trips what writeBtsnoop writes', () => {
    const packets = [
      { bytes: Uint8Array.from([4, 0x0e, 0x01, 0x01]), ts: 0 },
      { bytes: Uint8Array.from([1, 3, 0x0c, 0]), ts: 12.5 },
    ];
    const r = readBtsnoop(writeBtsnoop(packets));
    expect(r.packets.map((p) => [Array.from(p.bytes), p.ts, p.fromController])).toEqual([
      [[4, 0x0e, 0x01, 0x01], 0, true],
      [[1, 3, 0x0c, 0], 12.5, false],
    ]);
  });
});
