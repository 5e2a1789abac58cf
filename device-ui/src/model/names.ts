// The company and service names the page shows. The companies its filters are about are built in (the
// services its decoders know come with decode.js); the full tables arrive with names.json when the device
// has it (see build/names.ts).

export type Names = { c: Record<number, string>; s: Record<string, string> };

export const NAMES: Names = {
  c: { 6: 'Microsoft', 76: 'Apple', 117: 'Samsung', 224: 'Google', 1660: 'Tile' },
  s: {},
};

/** A company's name by its SIG id. */
export const companyName = (id: number): string | undefined => NAMES.c[id];
/** A service's name by its wire-form UUID (16-bit ones are 4 lowercase hex digits). */
export const serviceName = (uuid: string): string | undefined => NAMES.s[uuid];

/** Adds the tables of names.json (company ids as decimal keys, 16-bit UUIDs as lowercase hex keys). */
export const addNames = (n: Partial<Names>): void => {
  Object.assign(NAMES.c, n.c);
  Object.assign(NAMES.s, n.s);
};
