import type { AdvertFields } from './advert.js';
import { fromHex } from './hex.js';

export type Field = [name: string, value: string | number | boolean];

/** One decoded payload, in a shape any view can render without knowing the decoder. */
export type Decoded = { kind: string; label: string; tracker?: boolean; fields: Field[] };

/** What the decoders look at. */
export type DecodeInput = Pick<AdvertFields, 'name' | 'mfr' | 'uuids' | 'svc'>;

export const decoded = (kind: string, label: string, fields: Field[] = [], tracker?: boolean): Decoded =>
  tracker ? { kind, label, tracker, fields } : { kind, label, fields };

/** Bytes of a payload hex string; malformed hex decodes as no bytes. */
export const bytesOf = (hex: string): Uint8Array => fromHex(hex) ?? new Uint8Array(0);

/** Looks a name up in a small table, falling back to the number. */
export const nameOr = (table: Record<number, string>, v: number): string | number => table[v] ?? v;

/** A decode whose kind is its label in lowercase with dashes for spaces ('Fast Pair' -> 'fast-pair'). */
export const named = (label: string, fields?: Field[], tracker?: boolean): Decoded =>
  decoded(label.toLowerCase().replace(/ /g, '-'), label, fields, tracker);
