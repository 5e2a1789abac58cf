// The company and service names the page shows: the full tables of names.json when the device has it (see
// build/names.ts), else the few that decode.js knows (the companies the filters are about, the services
// its decoders read). Without either, ids are shown as they are.
import { S } from './store.ts';

export type Names = { c: Record<number, string>; s: Record<string, string> };

const NAMES: Names = { c: {}, s: {} };

/** A company's name by its SIG id. */
export const companyName = (id: number): string | undefined => NAMES.c[id] ?? S.dec?.COMPANIES[id];
/** A service's name by its wire-form UUID (16-bit ones are 4 lowercase hex digits). */
export const serviceName = (uuid: string): string | undefined => NAMES.s[uuid] ?? S.dec?.SERVICES[uuid];

/** Adds the tables of names.json (company ids as decimal keys, 16-bit UUIDs as lowercase hex keys). */
export const addNames = (n: Partial<Names>): void => {
  Object.assign(NAMES.c, n.c);
  Object.assign(NAMES.s, n.s);
};
