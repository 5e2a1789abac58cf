// The company and service names the page shows: the full tables of names.json when the device has it (see
// build/names.ts), over shared-protocol's built-in table (which ships in decode.js). Without either, ids are
// shown as they are. Same signatures as shared-protocol's companyName / serviceName.
import { S } from './store.ts';

export type Names = { c: Record<number, string>; s: Record<string, string> };

let NAMES: Partial<Names> = {};

/** A company's name by its SIG id. */
export const companyName = (id: number): string | undefined => NAMES.c?.[id] ?? S.dec?.companyName(id);
/** A service's name by its wire-form UUID (names.json keys 16-bit ones as 4 lowercase hex digits). */
export const serviceName = (uuid: string): string | undefined => NAMES.s?.[uuid] ?? S.dec?.serviceName(uuid);

/**
 * Takes the tables of names.json (company ids as decimal keys, 16-bit UUIDs as lowercase hex keys), which
 * replace any taken before; anything but an object (a `null` names.json) counts as no tables.
 */
export const addNames = (n: Partial<Names>): void => {
  NAMES = Object(n);
};
