// The model bleshark_protocol.h is emitted from, built by walking shared-protocol's plain-data schemas and
// tables: nothing here restates a value of the protocol, so the header cannot drift from the page.

import type { Schema } from '@bleshark/shared-protocol';
import * as sp from '@bleshark/shared-protocol';
import { macroPart } from '../c-text.js';

/** Everything the header is made from; tests substitute the identity to keep snapshots stable. */
export type ProtocolSource = {
  readonly version: number;
  readonly schemaHash: string;
  readonly endpointPath: string;
  readonly up: Readonly<Record<string, Schema>>;
  readonly down: Readonly<Record<string, Schema>>;
  readonly limits: Readonly<Record<string, number>>;
  readonly constants: Readonly<Record<string, number>>;
  readonly errorCodes: Readonly<Record<string, string>>;
  readonly closeCodes: Readonly<Record<number, string>>;
  /** Names of close codes (`CLOSE_TOO_BIG: 1009`); a code without one is named by its number. */
  readonly closeNames: Readonly<Record<string, number>>;
  readonly filter: Schema;
};

/** shared-protocol as it is now. */
export const SHARED_PROTOCOL: ProtocolSource = {
  version: sp.PROTOCOL_VERSION,
  schemaHash: sp.SCHEMA_HASH,
  endpointPath: sp.ENDPOINT_PATH,
  up: sp.UP_SCHEMAS,
  down: sp.DOWN_SCHEMAS,
  limits: sp.NANO_LIMITS,
  constants: sp.PROTOCOL,
  errorCodes: sp.ERROR_CODES,
  closeCodes: sp.CLOSE_CODES,
  closeNames: Object.fromEntries(
    Object.entries(sp as Record<string, unknown>).filter(
      (e): e is [string, number] => /^CLOSE_[A-Z_]+$/.test(e[0]) && typeof e[1] === 'number',
    ),
  ),
  filter: sp.filterSchema,
};

export type Define = { readonly name: string; readonly value: string | number; readonly comment?: string };
export type MessageType = Define & { readonly direction: 'up' | 'down' };

export type ProtocolModel = {
  readonly version: number;
  readonly schemaHash: string;
  readonly endpointPath: string;
  readonly messages: readonly MessageType[];
  readonly fields: readonly Define[];
  readonly limits: readonly Define[];
  readonly constants: readonly Define[];
  readonly closeCodes: readonly Define[];
  readonly errorCodes: readonly Define[];
  readonly filterRules: readonly Define[];
};

/** Every object key anywhere in a schema. */
export function fieldNames(schema: Schema, into = new Set<string>()): Set<string> {
  switch (schema.k) {
    case 'obj':
      for (const [key, s] of Object.entries(schema.of)) {
        into.add(key);
        fieldNames(s, into);
      }
      break;
    case 'arr':
    case 'opt':
      fieldNames(schema.of, into);
      break;
    case 'tup':
      for (const s of schema.of) fieldNames(s, into);
      break;
    default:
      break;
  }
  return into;
}

const unwrap = (s: Schema): Schema => (s.k === 'opt' ? unwrap(s.of) : s);

/** The bounds a field's schema sets, as `[suffix, value, comment]`. */
function bounds(s: Schema): [string, number, string][] {
  switch (s.k) {
    case 'str':
      return [
        ...(s.min > 0
          ? [['MIN_LEN', s.min, 'shortest, in UTF-16 code units'] as [string, number, string]]
          : []),
        ['MAX_LEN', s.max, 'longest, in UTF-16 code units (what the page counts)'],
      ];
    case 'int':
    case 'num':
      return [
        ['MIN', s.min, 'smallest value'],
        ['MAX', s.max, 'largest value'],
      ];
    case 'arr':
      return [
        ['MAX_ITEMS', s.max, 'most entries'],
        ...bounds(unwrap(s.of)).map(([k, v, c]): [string, number, string] => [
          `ITEM_${k}`,
          v,
          `each entry: ${c}`,
        ]),
      ];
    default:
      return [];
  }
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Fails on two different values under one macro name (`addr-type` and `addrType` would collide). */
function unique<T extends Define>(defs: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const d of defs) {
    const prev = seen.get(d.name);
    if (prev && prev.value !== d.value)
      throw new Error(
        `${d.name} would mean both ${JSON.stringify(prev.value)} and ${JSON.stringify(d.value)}`,
      );
    if (!prev) seen.set(d.name, d);
  }
  return [...seen.values()];
}

export function buildProtocolModel(src: ProtocolSource = SHARED_PROTOCOL): ProtocolModel {
  const messages = unique([
    ...Object.keys(src.up).map((type) => ({
      name: `BLESHARK_MSG_${macroPart(type)}`,
      value: type,
      direction: 'up' as const,
    })),
    ...Object.keys(src.down).map((type) => ({
      name: `BLESHARK_MSG_${macroPart(type)}`,
      value: type,
      direction: 'down' as const,
    })),
  ]);
  const names = new Set<string>();
  for (const s of [...Object.values(src.up), ...Object.values(src.down)]) fieldNames(s, names);
  const fields = unique([...names].map((f) => ({ name: `BLESHARK_FIELD_${macroPart(f)}`, value: f }))).sort(
    byName,
  );
  const closeName = new Map(Object.entries(src.closeNames).map(([name, code]) => [code, name]));
  const closeCodes = unique(
    Object.entries(src.closeCodes).map(([code, meaning]) => ({
      name: `BLESHARK_${closeName.get(Number(code)) ?? `CLOSE_${code}`}`,
      value: Number(code),
      comment: meaning,
    })),
  );
  const errorCodes = unique(
    Object.entries(src.errorCodes).map(([code, meaning]) => ({
      name: `BLESHARK_ERR_${macroPart(code)}`,
      value: code,
      comment: meaning,
    })),
  );
  if (src.filter.k !== 'obj') throw new Error('the filter schema must be an object');
  const filterRules = unique(
    Object.entries(src.filter.of).flatMap(([field, s]) =>
      bounds(unwrap(s)).map(([suffix, value, comment]) => ({
        name: `BLESHARK_FILTER_${macroPart(field)}_${suffix}`,
        value,
        comment: `filter.${field}: ${comment}`,
      })),
    ),
  );
  return {
    version: src.version,
    schemaHash: src.schemaHash,
    endpointPath: src.endpointPath,
    messages,
    fields,
    limits: unique(
      Object.entries(src.limits).map(([k, v]) => ({ name: `BLESHARK_NANO_${macroPart(k)}`, value: v })),
    ),
    constants: unique(
      Object.entries(src.constants).map(([k, v]) => ({
        name: `BLESHARK_PROTOCOL_${macroPart(k)}`,
        value: v,
      })),
    ),
    closeCodes,
    errorCodes,
    filterRules,
  };
}
