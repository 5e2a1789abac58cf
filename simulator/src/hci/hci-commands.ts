// The controller half of the HCI commands noble 1.9.2-26 sends: what a Bluetooth 5 controller answers.
// Opcodes are OGF << 10 | OCF.

export const OP = {
  DISCONNECT: 0x0406,
  SET_EVENT_MASK: 0x0c01,
  RESET: 0x0c03,
  READ_LE_HOST_SUPPORTED: 0x0c6c,
  WRITE_LE_HOST_SUPPORTED: 0x0c6d,
  READ_LOCAL_VERSION: 0x1001,
  READ_SUPPORTED_COMMANDS: 0x1002,
  READ_BUFFER_SIZE: 0x1005,
  READ_BD_ADDR: 0x1009,
  READ_RSSI: 0x1405,
  LE_SET_EVENT_MASK: 0x2001,
  LE_READ_BUFFER_SIZE: 0x2002,
  LE_SET_RANDOM_ADDRESS: 0x2005,
  LE_SET_SCAN_PARAMETERS: 0x200b,
  LE_SET_SCAN_ENABLE: 0x200c,
  LE_CREATE_CONN: 0x200d,
  LE_CREATE_CONN_CANCEL: 0x200e,
  LE_CONN_UPDATE: 0x2013,
  LE_START_ENCRYPTION: 0x2019,
  LE_SET_DEFAULT_PHY: 0x2031,
  LE_SET_EXTENDED_SCAN_PARAMETERS: 0x2041,
  LE_SET_EXTENDED_SCAN_ENABLE: 0x2042,
  LE_EXTENDED_CREATE_CONN: 0x2043,
} as const;

/** Names for logs. */
export const OP_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(OP).map(([name, op]) => [op, name.toLowerCase().replaceAll('_', ' ')]),
);

/** HCI status "Command Disallowed": a replayed capture cannot connect to anything. */
export const STATUS_DISALLOWED = 0x0c;

/** Commands answered with Command Status (they complete later with their own event). */
export const STATUS_COMMANDS: ReadonlySet<number> = new Set([
  OP.DISCONNECT,
  OP.LE_CREATE_CONN,
  OP.LE_CONN_UPDATE,
  OP.LE_START_ENCRYPTION,
  OP.LE_EXTENDED_CREATE_CONN,
]);

export type ControllerInfo = {
  /** HCI version: 6 = 4.0 ... 9 = 5.0 ... 12 = 5.3. noble needs >= 6. */
  hciVersion: number;
  /** The controller's public address, `aa:bb:cc:dd:ee:ff`. */
  address: string;
  /** Announces the extended-scan commands in Read Supported Commands. */
  extended: boolean;
};

/** `0x2042`, four hex digits, for logs. */
export const opHex = (op: number): string => `0x${op.toString(16).padStart(4, '0')}`;

/** Return parameters (after the status byte) of a successful Command Complete for `op`. */
export function completeParams(op: number, info: ControllerInfo): number[] {
  switch (op) {
    case OP.READ_LOCAL_VERSION:
      // HCI version, revision, LMP version, manufacturer 0xFFFF (none: "for tests"), LMP subversion.
      return [info.hciVersion, 0x00, 0x00, info.hciVersion, 0xff, 0xff, 0x00, 0x00];
    case OP.READ_BD_ADDR:
      return info.address
        .split(':')
        .reverse()
        .map((h) => Number.parseInt(h, 16));
    case OP.READ_LE_HOST_SUPPORTED:
      return [0x01, 0x00];
    case OP.LE_READ_BUFFER_SIZE:
      // 251-byte LE ACL packets, 8 of them (non-zero, so noble does not ask Read Buffer Size).
      return [251, 0, 8];
    case OP.READ_BUFFER_SIZE:
      return [0xfd, 0x03, 64, 8, 0, 0, 0];
    case OP.READ_SUPPORTED_COMMANDS: {
      const octets = new Array<number>(64).fill(0xff);
      // Octet 37, mask 0x30: LE Set Extended Scan Parameters / Enable (what noble checks).
      octets[37] = info.extended ? 0xff : 0xcf;
      return octets;
    }
    case OP.READ_RSSI:
      return [0x00, 0x00, 0x00];
    default:
      return [];
  }
}

/** A Command Complete event (H4 form) for `op` with `status` and the return parameters. */
export function commandComplete(op: number, status: number, params: readonly number[] = []): Uint8Array {
  return Uint8Array.from([0x04, 0x0e, 4 + params.length, 0x01, op & 0xff, op >> 8, status, ...params]);
}

/** A Command Status event (H4 form) for `op`. */
export function commandStatus(op: number, status: number): Uint8Array {
  return Uint8Array.from([0x04, 0x0f, 0x04, status, 0x01, op & 0xff, op >> 8]);
}
