// The one shape of "what a device advertised", and its wire rules. Every other shape of an advertisement
// derives from AdvertFields: the simulator's Advertisement adds source bookkeeping (pid, at), the decoders
// read a Pick of it (DecodeInput), the filter another (FilterSubject), the AD parser returns its AD-derived
// fields (AdvertisementFields), and a DeviceRecord is AdvertFields plus the table's id and times. The rules
// are deviceRecordSchema's own entries (advertFieldSchemas), so a sanitiser or a recording checks exactly
// what the wire accepts.
import { type DeviceRecord, deviceRecordSchema } from '../messages/device-record.js';
import type { Schema } from '../schema.js';

/** One advertisement in wire form: a DeviceRecord without the table's bookkeeping (id, first, last, count). */
export type AdvertFields = Omit<DeviceRecord, 'id' | 'first' | 'last' | 'count'>;

function advertEntries(): Readonly<Record<keyof AdvertFields, Schema>> {
  const {
    id: _id,
    first: _first,
    last: _last,
    count: _count,
    ...fields
  } = (deviceRecordSchema as Extract<Schema, { k: 'obj' }>).of;
  return fields as Readonly<Record<keyof AdvertFields, Schema>>;
}
/** The wire rule of each AdvertFields field (deviceRecordSchema's entries; optional fields are `opt`). */
export const advertFieldSchemas = /* @__PURE__ */ advertEntries();

/** A schema without its `opt` wrapper: the rule a present value must meet. */
export const required = (s: Schema): Schema => (s.k === 'opt' ? s.of : s);

/** The pattern of a string rule (the hex of `adv` for example), or one that matches anything. */
export const patternOf = (s: Schema): RegExp => {
  const r = required(s);
  return r.k === 'str' && r.re ? r.re : /^/;
};

/** Rounds `v` into the range of a numeric rule (rssi, tx). */
export const clampTo = (s: Schema, v: number): number => {
  const r = required(s);
  return r.k === 'int' || r.k === 'num' ? Math.min(r.max, Math.max(r.min, Math.round(v))) : v;
};

/** A real Bluetooth address, `aa:bb:cc:dd:ee:ff` lowercase (anything else in `addr` is a platform id). */
export const MAC_ADDRESS = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/** True for a real `aa:bb:cc:dd:ee:ff` address (not an opaque platform id). */
export const isRealAddress = (addr: string): boolean => MAC_ADDRESS.test(addr);
