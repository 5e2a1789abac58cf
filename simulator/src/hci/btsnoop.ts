// btsnoop v1 reader (RFC 1761 "snoop" layout with Bluetooth datalinks), as written by Android's
// "Bluetooth HCI snoop log" (btsnoop_hci.log), `btmon -w` and Wireshark. Every record becomes an H4
// packet (type byte first), whatever the datalink, so the rest of the replay path sees one format.
import { type Damage, H4_ACL, H4_COMMAND, H4_EVENT, H4_ISO, H4_SCO, h4PacketSize } from './h4.js';

/** "btsnoop\0" */
export const BTSNOOP_MAGIC = Uint8Array.from([0x62, 0x74, 0x73, 0x6e, 0x6f, 0x6f, 0x70, 0x00]);
const FILE_HEADER = 16;
const RECORD_HEADER = 24;

/** HCI without a type indicator: the record flags say command/event/ACL and direction. */
export const DATALINK_H1 = 1001;
/** HCI UART (H4): every record starts with its packet-type byte (Android, bumble, Wireshark). */
export const DATALINK_H4 = 1002;
/** Linux monitor (`btmon -w`): the flags carry the controller index and a monitor opcode. */
export const DATALINK_MONITOR = 2001;
const DATALINKS = [DATALINK_H1, DATALINK_H4, DATALINK_MONITOR];

/** Monitor opcodes (BlueZ src/shared/btsnoop.h) that carry HCI packets, as H4 types. */
const MONITOR_TYPES: Record<number, number> = {
  2: H4_COMMAND,
  3: H4_EVENT,
  4: H4_ACL,
  5: H4_ACL,
  6: H4_SCO,
  7: H4_SCO,
  18: H4_ISO,
  19: H4_ISO,
};

/** One record that holds an HCI packet. `ts` is milliseconds since the first record. */
export type SnoopPacket = {
  record: number;
  offset: number;
  ts: number;
  type: number;
  /** H4 form: type byte, then the HCI packet. */
  bytes: Uint8Array;
  /** True when the controller sent it (events, received ACL/SCO/ISO). */
  fromController: boolean;
};

export type SnoopResult = {
  datalink: number;
  packets: SnoopPacket[];
  /** Records that hold no HCI packet (monitor index/system notes, user logging, ...). */
  other: number;
  damage?: Damage;
};

/** True when `bytes` starts with the btsnoop magic. */
export function isBtsnoop(bytes: Uint8Array): boolean {
  return bytes.length >= BTSNOOP_MAGIC.length && BTSNOOP_MAGIC.every((b, i) => bytes[i] === b);
}

/** Header problem of a btsnoop file, or undefined when it is a readable v1 file. */
function headerError(bytes: Uint8Array, view: DataView): string | undefined {
  if (!isBtsnoop(bytes)) return 'not a btsnoop file (no "btsnoop\\0" magic)';
  if (bytes.length < FILE_HEADER) return `file header needs ${FILE_HEADER} bytes, ${bytes.length} present`;
  const version = view.getUint32(8);
  if (version !== 1) return `btsnoop version ${version} is not supported (only version 1)`;
  const datalink = view.getUint32(12);
  if (!DATALINKS.includes(datalink))
    return `btsnoop datalink ${datalink} is not supported (1001 HCI, 1002 H4, 2001 Linux monitor)`;
  return undefined;
}

/** Packet type and direction of a record's data, or undefined when the record holds no packet. */
function classify(
  datalink: number,
  flags: number,
  data: Uint8Array,
): { type: number; fromController: boolean; h4: boolean } | undefined {
  if (datalink === DATALINK_MONITOR) {
    const opcode = flags & 0xffff;
    const type = MONITOR_TYPES[opcode];
    return type === undefined ? undefined : { type, fromController: opcode % 2 === 1, h4: false };
  }
  const received = (flags & 1) === 1;
  if (datalink === DATALINK_H1) {
    const type = flags & 2 ? (received ? H4_EVENT : H4_COMMAND) : H4_ACL;
    return { type, fromController: received, h4: false };
  }
  const type = data[0];
  if (type === undefined) return undefined;
  return { type, fromController: type === H4_EVENT || (type !== H4_COMMAND && received), h4: true };
}

/**
 * Reads a btsnoop v1 file. Never throws: a bad header or the first record that cannot be read is
 * reported as `damage` with its 1-based record number (0 for the file header) and byte offset; the
 * records before it are returned.
 */
export function readBtsnoop(bytes: Uint8Array): SnoopResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = headerError(bytes, view);
  const datalink = bytes.length >= FILE_HEADER ? view.getUint32(12) : 0;
  if (bad) return { datalink, packets: [], other: 0, damage: { record: 0, offset: 0, message: bad } };
  const packets: SnoopPacket[] = [];
  let other = 0;
  let first: bigint | undefined;
  let offset = FILE_HEADER;
  for (let record = 1; offset < bytes.length; record++) {
    const damage = (message: string): SnoopResult => ({
      datalink,
      packets,
      other,
      damage: { record, offset, message },
    });
    const remain = bytes.length - offset;
    if (remain < RECORD_HEADER) return damage(`record header needs ${RECORD_HEADER} bytes, ${remain} remain`);
    const original = view.getUint32(offset);
    const included = view.getUint32(offset + 4);
    const flags = view.getUint32(offset + 8);
    const stamp = view.getBigInt64(offset + 16);
    if (included > remain - RECORD_HEADER)
      return damage(`record claims ${included} bytes, ${remain - RECORD_HEADER} remain`);
    if (included > original) return damage(`record includes ${included} bytes of a ${original}-byte packet`);
    const data = bytes.subarray(offset + RECORD_HEADER, offset + RECORD_HEADER + included);
    first ??= stamp;
    const kind = classify(datalink, flags, data);
    if (!kind) other++;
    else {
      const packet = kind.h4 ? data : withType(kind.type, data);
      const framed = h4PacketSize(packet, 0);
      if ('error' in framed) {
        const cut = included < original ? ` (only ${included} of ${original} bytes were captured)` : '';
        return damage(`${framed.error}${cut}`);
      }
      if (framed.size !== packet.length)
        return damage(`packet is ${framed.size} bytes by its header but the record holds ${packet.length}`);
      const ts = Number(stamp - first) / 1000;
      packets.push({
        record,
        offset,
        ts,
        type: kind.type,
        bytes: packet,
        fromController: kind.fromController,
      });
    }
    offset += RECORD_HEADER + included;
  }
  return { datalink, packets, other };
}

function withType(type: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 1);
  out[0] = type;
  out.set(data, 1);
  return out;
}

/** Writes a btsnoop v1 file with datalink 1002 (H4); for tests and tools. `ts` in ms. */
export function writeBtsnoop(
  packets: readonly { bytes: Uint8Array; ts?: number; flags?: number }[],
): Uint8Array {
  const size = packets.reduce((n, p) => n + RECORD_HEADER + p.bytes.length, FILE_HEADER);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(BTSNOOP_MAGIC, 0);
  view.setUint32(8, 1);
  view.setUint32(12, DATALINK_H4);
  let offset = FILE_HEADER;
  // 2000-01-01 in microseconds since year 0, as btsnoop counts them.
  const epoch = 0x00dcddb30f2f8000n + 946_684_800_000_000n;
  packets.forEach((p, i) => {
    view.setUint32(offset, p.bytes.length);
    view.setUint32(offset + 4, p.bytes.length);
    view.setUint32(offset + 8, p.flags ?? (p.bytes[0] === H4_EVENT ? 3 : 0));
    view.setBigInt64(offset + 16, epoch + BigInt(Math.round((p.ts ?? i) * 1000)));
    out.set(p.bytes, offset + RECORD_HEADER);
    offset += RECORD_HEADER + p.bytes.length;
  });
  return out;
}
