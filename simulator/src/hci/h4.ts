// H4 (HCI UART) framing: one packet-type byte, then the HCI packet whose header gives its length.
// Used for raw H4 stream files and for the records of a btsnoop file with datalink 1002.

/** H4 packet-type indicators. */
export const H4_COMMAND = 0x01;
export const H4_ACL = 0x02;
export const H4_SCO = 0x03;
export const H4_EVENT = 0x04;
export const H4_ISO = 0x05;

/** Where a capture stopped making sense: the 1-based record number, the byte offset and why. */
export type Damage = { record: number; offset: number; message: string };

/** One H4 packet: its type and its bytes, type byte included (what noble reads from its socket). */
export type H4Packet = { record: number; offset: number; type: number; bytes: Uint8Array };

const NAMES: Record<number, string> = {
  [H4_COMMAND]: 'command',
  [H4_ACL]: 'ACL',
  [H4_SCO]: 'SCO',
  [H4_EVENT]: 'event',
  [H4_ISO]: 'ISO',
};

/** Header size (after the type byte) and how to read the parameter length from it, per packet type. */
const HEADERS: Record<number, { size: number; length: (b: Uint8Array, o: number) => number }> = {
  [H4_COMMAND]: { size: 3, length: (b, o) => b[o + 2]! },
  [H4_ACL]: { size: 4, length: (b, o) => b[o + 2]! | (b[o + 3]! << 8) },
  [H4_SCO]: { size: 3, length: (b, o) => b[o + 2]! },
  [H4_EVENT]: { size: 2, length: (b, o) => b[o + 1]! },
  [H4_ISO]: { size: 4, length: (b, o) => (b[o + 2]! | (b[o + 3]! << 8)) & 0x3fff },
};

/** Human name of an H4 packet type ("event", "ACL", ...) for messages. */
export const h4TypeName = (type: number): string =>
  NAMES[type] ?? `unknown type 0x${type.toString(16).padStart(2, '0')}`;

/**
 * Size in bytes (type byte included) of the H4 packet starting at `offset` in `bytes`, read from its
 * header; or a message saying why it cannot be read (unknown type, header or body cut short).
 */
export function h4PacketSize(bytes: Uint8Array, offset: number): { size: number } | { error: string } {
  const type = bytes[offset];
  if (type === undefined) return { error: 'no packet-type byte' };
  const header = HEADERS[type];
  if (!header) return { error: `${h4TypeName(type)} is not an H4 packet type (expected 0x01-0x05)` };
  const remain = bytes.length - offset - 1;
  if (remain < header.size)
    return { error: `${h4TypeName(type)} header needs ${header.size} bytes, ${remain} remain` };
  const params = header.length(bytes, offset + 1);
  const size = 1 + header.size + params;
  if (size > bytes.length - offset)
    return {
      error: `${h4TypeName(type)} declares ${params} parameter bytes, ${remain - header.size} remain`,
    };
  return { size };
}

/**
 * Splits a raw H4 stream (no file header: packets back to back, as bumble and `hcidump -w` style
 * dumps of a UART write them) into packets. Never throws: stops at the first packet that cannot be
 * framed and reports it as `damage` (record = 1-based packet number, offset = its first byte).
 */
export function readH4(bytes: Uint8Array): { packets: H4Packet[]; damage?: Damage } {
  const packets: H4Packet[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const record = packets.length + 1;
    const framed = h4PacketSize(bytes, offset);
    if ('error' in framed) return { packets, damage: { record, offset, message: framed.error } };
    packets.push({
      record,
      offset,
      type: bytes[offset]!,
      bytes: bytes.subarray(offset, offset + framed.size),
    });
    offset += framed.size;
  }
  return { packets };
}
