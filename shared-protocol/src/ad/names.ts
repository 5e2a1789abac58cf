// The one built-in name table: the companies the page's filters are about and the decoders read, and the
// services the decoders know. Read-only; the full SIG lists are data the page loads at run time (names.json,
// built by device-ui/build/names.ts), layered over this table by the page's model/names.ts.
import { normalizeUuid } from './uuid.js';

/** Company names by Bluetooth SIG company id. */
const COMPANIES: Readonly<Record<number, string>> = {
  6: 'Microsoft',
  76: 'Apple',
  117: 'Samsung',
  224: 'Google',
  1660: 'Tile',
};

/** Service names by 16-bit UUID (4 lowercase hex digits). */
const SERVICES: Readonly<Record<string, string>> = {
  '180a': 'Device Information',
  '180f': 'Battery',
  fcd2: 'BTHome',
  fd44: 'Find My',
  fd5a: 'SmartTag',
  fd6f: 'Exposure Notification',
  fe2c: 'Fast Pair',
  feaa: 'Eddystone',
  feed: 'Tile',
};

/** A company's name by its SIG id, when the table has it. */
export const companyName = (id: number): string | undefined => COMPANIES[id];

/** A service's name by its UUID in any accepted form (normalizeUuid: only hex UUIDs reach the table). */
export function serviceName(uuid: string): string | undefined {
  const u = normalizeUuid(uuid);
  return u === undefined ? undefined : SERVICES[u];
}
