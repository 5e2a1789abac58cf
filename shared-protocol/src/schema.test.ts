import { expect, expectTypeOf, it, describe as suite } from 'vitest';
import {
  arr,
  bool,
  check,
  describe,
  type Infer,
  int,
  known,
  lit,
  num,
  obj,
  oneOf,
  opt,
  str,
  tup,
} from './schema.js';

suite('check', () => {
  it('accepts a literal and names it when it differs', () => {
    expect(check(lit('scan-start'), 'scan-start')).toBeUndefined();
    expect(check(lit('scan-start'), 'scan-stop')).toBe('message: expected "scan-start"');
    expect(check(lit(1), '1')).toBe('message: expected 1');
  });

  it('accepts one of a list of strings', () => {
    const s = oneOf(['active', 'passive']);
    expect(check(s, 'passive')).toBeUndefined();
    expect(check(s, 'ACTIVE')).toBe('message: expected one of active|passive');
    expect(check(s, 0)).toBe('message: expected one of active|passive');
  });

  it('bounds string length and applies the pattern', () => {
    const s = str(4, 2, /^[a-z]+$/);
    expect(check(s, 'ab')).toBeUndefined();
    expect(check(s, 'abcd')).toBeUndefined();
    expect(check(s, 'a')).toBe('message: expected string of 2..4 chars matching ^[a-z]+$');
    expect(check(s, 'abcde')).toBeDefined();
    expect(check(s, 'AB')).toBeDefined();
    expect(check(str(3), 'abc')).toBeUndefined();
    expect(check(str(3), '')).toBeUndefined();
    expect(check(str(3), 3)).toBe('message: expected string of 0..3 chars');
  });

  it('tells integers from numbers and refuses non-finite values', () => {
    expect(check(int(0, 10), 10)).toBeUndefined();
    expect(check(int(0, 10), 1.5)).toBe('message: expected integer 0..10');
    expect(check(int(0, 10), 11)).toBe('message: expected integer 0..10');
    expect(check(int(0, 10), -1)).toBeDefined();
    expect(check(int(0, 10), '5')).toBeDefined();
    expect(check(num(0, 10), 1.5)).toBeUndefined();
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(check(num(-Infinity, Infinity), v)).toBe('message: expected number -Infinity..Infinity');
      expect(check(int(-Infinity, Infinity), v)).toBeDefined();
    }
  });

  it('accepts only true and false as booleans', () => {
    expect(check(bool(), false)).toBeUndefined();
    for (const v of [0, 1, 'true', null, undefined])
      expect(check(bool(), v)).toBe('message: expected boolean');
  });

  it('bounds arrays and reports the index of the first bad item', () => {
    const s = arr(int(0, 9), 3);
    expect(check(s, [])).toBeUndefined();
    expect(check(s, [1, 2, 3])).toBeUndefined();
    expect(check(s, [1, 2, 3, 4])).toBe('message: expected array of at most 3');
    expect(check(s, [1, 20, 'x'])).toBe('[1]: expected integer 0..9');
    expect(check(s, { 0: 1, length: 1 })).toBe('message: expected array of at most 3');
  });

  it('checks tuples with an optional tail', () => {
    const s = tup([int(0, 9), str(2)], [bool()]);
    expect(check(s, [1, 'ab'])).toBeUndefined();
    expect(check(s, [1, 'ab', true])).toBeUndefined();
    expect(check(s, [1])).toBe('message: expected array of 2..3 items');
    expect(check(s, [1, 'ab', true, 4])).toBe('message: expected array of 2..3 items');
    expect(check(s, [1, 'abc'])).toBe('[1]: expected string of 0..2 chars');
    expect(check(s, [1, 'ab', 'yes'])).toBe('[2]: expected boolean');
    expect(check(tup([int(0, 1)]), [0])).toBeUndefined();
  });

  it('requires keys, allows optional keys to be absent and names the path', () => {
    const s = obj({
      a: int(0, 9),
      b: opt(str(3)),
      c: opt(obj({ d: arr(obj({ e: bool() }), 4) })),
    });
    expect(check(s, { a: 1 })).toBeUndefined();
    expect(check(s, { a: 1, b: undefined })).toBeUndefined();
    expect(check(s, {})).toBe('a: required');
    expect(check(s, { a: undefined })).toBe('a: required');
    expect(check(s, { a: 1, b: null })).toBe('b: expected string of 0..3 chars');
    expect(check(s, { a: 1, c: {} })).toBe('c.d: required');
    expect(check(s, { a: 1, c: { d: [{ e: true }, { e: 1 }] } })).toBe('c.d[1].e: expected boolean');
    expect(check(s, { a: 1, c: { d: [{}] } })).toBe('c.d[0].e: required');
    expect(check(obj({ x: obj({ y: int(0, 1) }) }), { x: { y: 2 } }, 'm')).toBe(
      'm.x.y: expected integer 0..1',
    );
  });

  it('refuses arrays and null where an object is expected', () => {
    const s = obj({});
    expect(check(s, {})).toBeUndefined();
    for (const v of [[], null, 'x', 1, undefined]) expect(check(s, v)).toBe('message: expected object');
  });

  it('ignores unknown keys', () => {
    expect(check(obj({ a: int(0, 1) }), { a: 0, b: 'anything', c: { deep: [1] } })).toBeUndefined();
  });

  it('ignores unknown keys, and known() drops them at every depth', () => {
    const s = obj({ a: opt(int(0, 9)), list: opt(arr(obj({ x: int(0, 9) }), 4)), pair: opt(tup([obj({})])) });
    const v = JSON.parse('{"a":1,"b":2,"list":[{"x":1,"y":2}],"pair":[{"z":1}],"__proto__":{"a":3}}');
    expect(check(s, v)).toBeUndefined();
    const k = known(s, v);
    expect(k).toEqual({ a: 1, list: [{ x: 1 }], pair: [{}] });
    expect(Object.keys(k)).toEqual(['a', 'list', 'pair']);
    expect(known(obj({ a: opt(int(0, 9)) }), {})).toEqual({});
  });

  it('reads only own properties, so __proto__ and inherited keys are not fields', () => {
    const s = obj({ a: int(0, 9) });
    expect(check(s, Object.create({ a: 1 }))).toBe('a: required');
    expect(check(s, JSON.parse('{"__proto__":{"a":1}}'))).toBe('a: required');
    // Object.prototype's own keys do not count as present fields.
    expect(check(obj({ constructor: opt(int(0, 1)), toString: opt(bool()) }), {})).toBeUndefined();
    expect(check(obj({ constructor: int(0, 1) }), {})).toBe('constructor: required');
  });

  it('treats a top-level optional schema as allowing undefined', () => {
    expect(check(opt(int(0, 1)), undefined)).toBeUndefined();
    expect(check(opt(int(0, 1)), 2)).toBe('message: expected integer 0..1');
  });

  it('infers the types it checks', () => {
    const s = obj({ a: int(0, 1), b: opt(str(2)), t: tup([int(0, 1)], [bool()]), k: oneOf(['x', 'y']) });
    expectTypeOf<Infer<typeof s>>().toEqualTypeOf<{
      a: number;
      b?: string;
      t: [number, (boolean | undefined)?];
      k: 'x' | 'y';
    }>();
  });
});

suite('describe', () => {
  it('is the same for schemas built the same way', () => {
    const make = () =>
      obj({ a: int(0, 9), b: opt(arr(str(4, 1, /^[a-f]+$/), 3)), t: tup([lit('x')], [num(0, 1)]) });
    expect(describe(make())).toBe(describe(make()));
    expect(describe(make())).toBe(describe(structuredClone(make())));
  });

  it('writes regular expressions by their source', () => {
    expect(describe(str(4, 1, /^[a-f]+$/))).toBe('{"k":"str","max":4,"min":1,"re":"/^[a-f]+$/"}');
    expect(describe(str(4, 1, /^[a-f]+$/))).not.toBe(describe(str(4, 1, /^[a-g]+$/)));
  });

  it('differs when a bound, a key, optionality or a tuple tail differs', () => {
    const base = describe(obj({ a: int(0, 9) }));
    expect(describe(obj({ a: int(0, 10) }))).not.toBe(base);
    expect(describe(obj({ b: int(0, 9) }))).not.toBe(base);
    expect(describe(obj({ a: opt(int(0, 9)) }))).not.toBe(base);
    expect(describe(obj({ a: num(0, 9) }))).not.toBe(base);
    expect(describe(tup([int(0, 1)], [int(0, 1)]))).not.toBe(describe(tup([int(0, 1), int(0, 1)])));
  });

  it('includes regular-expression flags, so /^a$/i and /^a$/ describe differently', () => {
    expect(describe(str(4, 1, /^a$/i))).not.toBe(describe(str(4, 1, /^a$/)));
  });
});
