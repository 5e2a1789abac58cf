import { MAX_AD_BYTES, MAX_DATA_ENTRIES, MAX_NAME_BYTES, MAX_UUIDS } from '../limits.js';
import { arr, bool, type Infer, int, obj, oneOf, opt, str, tup } from '../schema.js';

const HEX = /^(?:[0-9a-f]{2})*$/;
const hex = (bytes: number) => str(bytes * 2, 0, HEX);

/** Device-local milliseconds since boot (the Nano has no wall clock). */
export const uptimeMsSchema = int(0, Number.MAX_SAFE_INTEGER);
/** A device id, assigned by the device when the address enters its table; stable until it leaves. */
export const deviceIdSchema = int(0, 2 ** 31 - 1);
export const rssiSchema = int(-127, 20);
/** `public` / `random` as the controller reports them; `unknown` where the OS hides it (macOS). */
export const addressTypeSchema = oneOf(['public', 'random', 'unknown']);
/** `aa:bb:cc:dd:ee:ff`, or an opaque platform id (macOS) when the address is unknown. */
export const addressSchema = str(40, 1, /^[0-9a-z:-]+$/);
export const uuidSchema = str(
  36,
  4,
  /^(?:[0-9a-f]{4}|[0-9a-f]{8}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
);
export const companyIdSchema = int(0, 65535);

/**
 * Everything known about one device. Sent whole when a connection first sees the device and whenever a
 * field other than rssi / last / count changes; otherwise the device sends a compact `DeviceUpdate`.
 */
export const deviceRecordSchema = obj({
  id: deviceIdSchema,
  addr: addressSchema,
  addrType: addressTypeSchema,
  rssi: rssiSchema,
  /** Local name, UTF-8 decoded with invalid sequences replaced by U+FFFD; at most 248 characters (devices cut at 248 bytes). */
  name: opt(str(MAX_NAME_BYTES)),
  /** Advertised TX power in dBm (absent when not advertised). */
  tx: opt(int(-127, 127)),
  conn: bool(),
  /** Manufacturer data: [company id, payload hex after the 2 company-id bytes]. */
  mfr: opt(arr(tup([companyIdSchema, hex(MAX_AD_BYTES)]), MAX_DATA_ENTRIES)),
  /** Service UUIDs: 4 or 8 hex digits on the Bluetooth base UUID, else the full lowercase form. */
  uuids: opt(arr(uuidSchema, MAX_UUIDS)),
  /** Service data: [uuid, payload hex]. */
  svc: opt(arr(tup([uuidSchema, hex(MAX_AD_BYTES)]), MAX_DATA_ENTRIES)),
  /** Raw advertising data, hex, when the source has it. */
  adv: opt(hex(MAX_AD_BYTES)),
  /** Raw scan-response data, hex, when the source has it. */
  rsp: opt(hex(MAX_AD_BYTES)),
  first: uptimeMsSchema,
  last: uptimeMsSchema,
  /** Advertisements seen from this device since it entered the table. */
  count: int(1, Number.MAX_SAFE_INTEGER),
});
export type DeviceRecord = Infer<typeof deviceRecordSchema>;

/**
 * `[id, rssi, seen]`: the device `id` (already sent whole on this connection) was heard again; `rssi` is
 * the newest value, `seen` how many advertisements this update stands for (left off when 1). Its last-seen
 * time is the batch's `t`.
 */
export const deviceUpdateSchema = tup([deviceIdSchema, rssiSchema], [int(1, 1_000_000)]);
export type DeviceUpdate = Infer<typeof deviceUpdateSchema>;
