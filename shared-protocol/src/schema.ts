// A tiny schema language: each schema is plain data (so it can be hashed and emitted into a C header)
// plus one `check` function that walks it. Small enough for a flashed page, strict enough for a device.

export type Schema<T = unknown> =
  | { readonly k: 'lit'; readonly v: string | number | boolean; readonly _?: T }
  | { readonly k: 'one'; readonly of: readonly string[]; readonly _?: T }
  | { readonly k: 'str'; readonly max: number; readonly min: number; readonly re?: RegExp; readonly _?: T }
  | { readonly k: 'int' | 'num'; readonly min: number; readonly max: number; readonly _?: T }
  | { readonly k: 'bool'; readonly _?: T }
  | { readonly k: 'arr'; readonly of: Schema; readonly max: number; readonly _?: T }
  | { readonly k: 'tup'; readonly of: readonly Schema[]; readonly req: number; readonly _?: T }
  | { readonly k: 'obj'; readonly of: Readonly<Record<string, Schema>>; readonly _?: T }
  | { readonly k: 'opt'; readonly of: Schema; readonly _?: T };

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Optional<S> = Schema<S> & { readonly k: 'opt' };
type OptKeys<E> = { [K in keyof E]: E[K] extends { readonly k: 'opt' } ? K : never }[keyof E];
type Flat<T> = { [K in keyof T]: T[K] } & {};
type ObjOf<E extends Record<string, Schema>> = Flat<
  { -readonly [K in Exclude<keyof E, OptKeys<E>>]: Infer<E[K]> } & {
    -readonly [K in OptKeys<E>]?: Infer<E[K]>;
  }
>;

export const lit = <const V extends string | number | boolean>(v: V): Schema<V> => ({ k: 'lit', v });
export const oneOf = <const V extends readonly string[]>(of: V): Schema<V[number]> => ({ k: 'one', of });
export const str = (max: number, min = 0, re?: RegExp): Schema<string> =>
  re ? { k: 'str', max, min, re } : { k: 'str', max, min };
export const int = (min: number, max: number): Schema<number> => ({ k: 'int', min, max });
export const num = (min: number, max: number): Schema<number> => ({ k: 'num', min, max });
export const bool = (): Schema<boolean> => ({ k: 'bool' });
export const arr = <S extends Schema>(of: S, max: number): Schema<Infer<S>[]> => ({ k: 'arr', of, max });
export const opt = <S extends Schema>(of: S): Optional<Infer<S>> => ({ k: 'opt', of }) as Optional<Infer<S>>;
export const obj = <const E extends Record<string, Schema>>(of: E): Schema<ObjOf<E>> => ({ k: 'obj', of });
/** A tuple whose first `req` items are required and the rest may be left off the end. */
export const tup = <const R extends readonly Schema[], const O extends readonly Schema[] = []>(
  required: R,
  optional?: O,
): Schema<
  [...{ -readonly [I in keyof R]: Infer<R[I]> }, ...Partial<{ -readonly [I in keyof O]: Infer<O[I]> }>]
> => ({
  k: 'tup',
  of: [...required, ...(optional ?? [])],
  req: required.length,
});

/**
 * Checks `value` against `schema`. Returns undefined when it conforms, otherwise a short description of the
 * first problem with its path (`d[3].rssi: expected integer -127..20`). Unknown object keys are ignored so
 * that newer senders can add optional fields (see docs/protocol.md, "Versioning").
 */
export function check(schema: Schema, value: unknown, path = ''): string | undefined {
  const s = schema;
  const v = value;
  // What was expected, when the value itself (not one of its items) is wrong.
  let want: string | undefined;
  switch (s.k) {
    case 'opt':
      return v === undefined ? undefined : check(s.of, v, path);
    case 'lit':
      if (v !== s.v) want = JSON.stringify(s.v);
      break;
    case 'one':
      // Only strings are listed, so anything else is not included.
      if (!s.of.includes(v as string)) want = `one of ${s.of.join('|')}`;
      break;
    case 'str':
      if (typeof v !== 'string' || v.length > s.max || v.length < s.min || s.re?.test(v) === false)
        want = `string of ${s.min}..${s.max} chars${s.re ? ` matching ${s.re.source}` : ''}`;
      break;
    case 'int':
    case 'num':
      if (
        !(s.k === 'int' ? Number.isInteger(v) : Number.isFinite(v)) ||
        (v as number) < s.min ||
        (v as number) > s.max
      )
        want = `${s.k === 'int' ? 'integer' : 'number'} ${s.min}..${s.max}`;
      break;
    case 'bool':
      if (typeof v !== 'boolean') want = 'boolean';
      break;
    case 'arr':
    case 'tup':
      if (
        !Array.isArray(v) ||
        (s.k === 'arr' ? v.length > s.max : v.length < s.req || v.length > s.of.length)
      )
        want = s.k === 'arr' ? `array of at most ${s.max}` : `array of ${s.req}..${s.of.length} items`;
      else
        for (let i = 0; i < v.length; i++) {
          const e = check(s.k === 'arr' ? s.of : (s.of[i] as Schema), v[i], `${path}[${i}]`);
          if (e) return e;
        }
      break;
    case 'obj':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) want = 'object';
      else
        for (const key in s.of) {
          const item = Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
          const at = path ? `${path}.${key}` : key;
          if (item === undefined) {
            if ((s.of[key] as Schema).k !== 'opt') return `${at}: required`;
          } else {
            const e = check(s.of[key] as Schema, item, at);
            if (e) return e;
          }
        }
  }
  return want && `${path || 'message'}: expected ${want}`;
}

/**
 * A copy of `value` (which `check` accepted) with only the object keys its schema declares, at every depth:
 * what a receiver keeps or echoes, so the unknown keys `check` lets through for newer senders are dropped
 * rather than stored. Values that are not objects or arrays are returned as they are.
 */
export function known<T>(schema: Schema<T>, value: T): T {
  return pick(schema, value) as T;
}

function pick(s: Schema, v: unknown): unknown {
  switch (s.k) {
    case 'opt':
      return v === undefined ? v : pick(s.of, v);
    case 'arr':
      return Array.isArray(v) ? v.map((item) => pick(s.of, item)) : v;
    case 'tup':
      return Array.isArray(v) ? v.map((item, i) => (s.of[i] ? pick(s.of[i], item) : item)) : v;
    case 'obj': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
      const out: Record<string, unknown> = {};
      for (const key in s.of) {
        const item = Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
        if (item !== undefined) out[key] = pick(s.of[key] as Schema, item);
      }
      return out;
    }
    default:
      return v;
  }
}

/** Canonical text of a schema (regular expressions by their source): what the schema hash is taken over. */
export const describe = (schema: unknown): string =>
  JSON.stringify(schema, (_key, v) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v));
