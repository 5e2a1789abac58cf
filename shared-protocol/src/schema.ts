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

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks `value` against `schema`. Returns undefined when it conforms, otherwise a short description of the
 * first problem with its path (`d[3].rssi: expected integer -127..20`). Unknown object keys are ignored so
 * that newer senders can add optional fields (see docs/protocol.md, "Versioning").
 */
export function check(schema: Schema, value: unknown, path = ''): string | undefined {
  const bad = (want: string) => `${path || 'message'}: expected ${want}`;
  switch (schema.k) {
    case 'lit':
      return value === schema.v ? undefined : bad(JSON.stringify(schema.v));
    case 'one':
      return typeof value === 'string' && schema.of.includes(value)
        ? undefined
        : bad(`one of ${schema.of.join('|')}`);
    case 'str':
      return typeof value === 'string' &&
        value.length <= schema.max &&
        value.length >= schema.min &&
        (!schema.re || schema.re.test(value))
        ? undefined
        : bad(
            `string of ${schema.min}..${schema.max} chars${schema.re ? ` matching ${schema.re.source}` : ''}`,
          );
    case 'int':
    case 'num':
      return typeof value === 'number' &&
        (schema.k === 'int' ? Number.isInteger(value) : Number.isFinite(value)) &&
        value >= schema.min &&
        value <= schema.max
        ? undefined
        : bad(`${schema.k === 'int' ? 'integer' : 'number'} ${schema.min}..${schema.max}`);
    case 'bool':
      return typeof value === 'boolean' ? undefined : bad('boolean');
    case 'arr': {
      if (!Array.isArray(value) || value.length > schema.max) return bad(`array of at most ${schema.max}`);
      for (let i = 0; i < value.length; i++) {
        const e = check(schema.of, value[i], `${path}[${i}]`);
        if (e) return e;
      }
      return undefined;
    }
    case 'tup': {
      if (!Array.isArray(value) || value.length < schema.req || value.length > schema.of.length)
        return bad(`array of ${schema.req}..${schema.of.length} items`);
      for (let i = 0; i < value.length; i++) {
        const e = check(schema.of[i] as Schema, value[i], `${path}[${i}]`);
        if (e) return e;
      }
      return undefined;
    }
    case 'obj': {
      if (!isObj(value)) return bad('object');
      for (const key in schema.of) {
        const s = schema.of[key] as Schema;
        const v = Object.hasOwn(value, key) ? value[key] : undefined;
        if (v === undefined) {
          if (s.k === 'opt') continue;
          return `${path ? `${path}.` : ''}${key}: required`;
        }
        const e = check(s.k === 'opt' ? s.of : s, v, path ? `${path}.${key}` : key);
        if (e) return e;
      }
      return undefined;
    }
    case 'opt':
      return value === undefined ? undefined : check(schema.of, value, path);
  }
}

/** Canonical text of a schema (regular expressions by their source): what the schema hash is taken over. */
export const describe = (schema: unknown): string =>
  JSON.stringify(schema, (_key, v) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v));
