// Parse and encode frames. Parsers never throw: they return the message or a stable error code.
import type { ErrorCode } from './codes.js';
import { NANO_MAX_FRAME_BYTES, NANO_MAX_INBOUND_BYTES } from './limits.js';
import { DOWN_SCHEMAS, type DownMessage } from './messages/down.js';
import { commandIdSchema, UP_SCHEMAS, type UpMessage } from './messages/up.js';
import { check, type Schema } from './schema.js';

export type ParseResult<T> =
  | { ok: true; msg: T }
  | {
      ok: false;
      code: ErrorCode;
      message: string /** the offending command's id, when readable */;
      id?: string;
    };

// The Encoding Standard's TextEncoder, which every runtime this package targets has (see ad/utf8.ts for
// TextDecoder); the ES library of this package's tsconfig does not declare it.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
const utf8 = new TextEncoder();

/** UTF-8 length of a string (lone surrogates count as 3: the encoder writes U+FFFD for them). */
export const utf8Length = (s: string): number => utf8.encode(s).length;

// Drops `__proto__` keys so a parsed command can never carry a prototype into an Object.assign later.
const noProto = (key: string, v: unknown) => (key === '__proto__' ? undefined : v);

function parseWith<T>(
  schemas: Readonly<Record<string, Schema>>,
  text: string,
  maxBytes: number,
  refine?: (msg: T) => string | undefined,
  reviver?: (key: string, v: unknown) => unknown,
): ParseResult<T> {
  if (typeof text !== 'string') return { ok: false, code: 'invalid-json', message: 'expected a text frame' };
  // Cheap bound first: a string of n UTF-16 units is at most 3n UTF-8 bytes and at least n.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes))
    return { ok: false, code: 'too-large', message: `message over ${maxBytes} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(text, reviver);
  } catch {
    return { ok: false, code: 'invalid-json', message: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, code: 'invalid-json', message: 'expected a JSON object' };
  const rec = value as Record<string, unknown>;
  // The id echoed with the error: only one that is itself valid.
  const id = check(commandIdSchema, rec.id) ? undefined : (rec.id as string | undefined);
  const fail = (code: ErrorCode, message: string): ParseResult<T> =>
    id === undefined ? { ok: false, code, message } : { ok: false, code, message, id };
  const type = rec.type;
  if (typeof type !== 'string') return fail('unknown-type', 'missing "type"');
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (!schema) return fail('unknown-type', `unknown type "${type.slice(0, 32)}"`);
  const problem = check(schema, value) ?? refine?.(value as T);
  if (problem) return fail('invalid-field', problem);
  return { ok: true, msg: value as T };
}

const refineUp = (msg: UpMessage): string | undefined =>
  msg.type === 'scan-start' &&
  msg.window !== undefined &&
  msg.interval !== undefined &&
  msg.window > msg.interval
    ? 'window: must not exceed interval'
    : undefined;

/** Parses a page -> device frame (what the device receives; `__proto__` keys are dropped). */
export const parseUp = (text: string, maxBytes = NANO_MAX_INBOUND_BYTES): ParseResult<UpMessage> =>
  parseWith(UP_SCHEMAS, text, maxBytes, refineUp, noProto);

/** Parses a device -> page frame (what the page receives). */
export const parseDown = (text: string, maxBytes = NANO_MAX_FRAME_BYTES): ParseResult<DownMessage> =>
  parseWith(DOWN_SCHEMAS, text, maxBytes);

/** Encodes any message as one text frame. */
export const encode = (msg: UpMessage | DownMessage): string => JSON.stringify(msg);
