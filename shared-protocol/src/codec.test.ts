import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../test-support/fixtures.js';
import { encode, type ParseResult, parseDown, parseUp, utf8Length } from './codec.js';
import { ERROR_CODES } from './codes.js';
import { NANO_LIMITS, PROTOCOL } from './limits.js';
import { DOWN_SCHEMAS } from './messages/down.js';
import { UP_SCHEMAS } from './messages/up.js';
import { check, type Schema } from './schema.js';

const fixtures = loadFixtures();
const parsers = { up: parseUp, down: parseDown } as const;
const limitOf = { up: NANO_LIMITS.maxInboundBytes, down: NANO_LIMITS.maxFrameBytes } as const;

/** The id a parser should echo: a readable string id of 1..32 characters in a frame within the limit. */
function readableId(frame: string, maxBytes: number): string | undefined {
  if (utf8Length(frame) > maxBytes) return undefined;
  try {
    const v: unknown = JSON.parse(frame);
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, 'id')) return undefined;
    const id = (v as { id: unknown }).id;
    return typeof id === 'string' && id.length >= 1 && id.length <= PROTOCOL.maxIdLength ? id : undefined;
  } catch {
    return undefined;
  }
}

describe('golden fixtures', () => {
  it('has at least 70 fixtures of which at least 40 are valid messages', () => {
    const valid = fixtures.up.length + fixtures.down.length;
    expect(valid).toBeGreaterThanOrEqual(40);
    expect(valid + fixtures.reject.length).toBeGreaterThanOrEqual(70);
  });

  it('covers every message type in both directions', () => {
    expect(new Set(fixtures.up.map((f) => f.message.type))).toEqual(new Set(Object.keys(UP_SCHEMAS)));
    expect(new Set(fixtures.down.map((f) => f.message.type))).toEqual(new Set(Object.keys(DOWN_SCHEMAS)));
  });

  it('covers every error code, snapshot reason and scan-complete reason', () => {
    const down = fixtures.down.map((f) => f.message);
    const codes = new Set(down.flatMap((m) => (m.type === 'error' ? [m.code] : [])));
    expect(codes).toEqual(new Set(Object.keys(ERROR_CODES)));
    const reasons = new Set(down.flatMap((m) => (m.type === 'snapshot' ? [m.reason] : [])));
    expect(reasons).toEqual(new Set(['connect', 'request', 'filter', 'clear']));
    const ends = new Set(down.flatMap((m) => (m.type === 'scan-complete' ? [m.reason] : [])));
    expect(ends).toEqual(new Set(['duration', 'stopped', 'error']));
  });

  it('has rejections in both directions for every parse-time code', () => {
    for (const dir of ['up', 'down'] as const) {
      const codes = new Set(fixtures.reject.filter((f) => f.direction === dir).map((f) => f.code));
      expect(codes).toEqual(new Set(['invalid-json', 'unknown-type', 'invalid-field', 'too-large']));
    }
  });

  for (const dir of ['up', 'down'] as const) {
    describe(`${dir} messages`, () => {
      for (const f of fixtures[dir]) {
        it(`parses ${f.name} to the same message and round-trips through encode`, () => {
          const text = JSON.stringify(f.message);
          expect(utf8Length(text)).toBeLessThanOrEqual(limitOf[dir]);
          const r = parsers[dir](text);
          expect(r).toEqual({ ok: true, msg: f.message });
          if (!r.ok) return;
          expect(encode(r.msg)).toBe(text);
          expect(parsers[dir](encode(r.msg))).toEqual(r);
          // Whitespace does not matter.
          expect(parsers[dir](JSON.stringify(f.message, null, 2))).toEqual(r);
        });

        it(`refuses ${f.name} in the other direction as unknown-type`, () => {
          const r = parsers[dir === 'up' ? 'down' : 'up'](JSON.stringify(f.message));
          expect(r.ok ? 'ok' : r.code).toBe('unknown-type');
        });
      }
    });
  }

  describe('rejections', () => {
    for (const f of fixtures.reject) {
      it(`refuses ${f.name} (${f.direction}) with ${f.code}`, () => {
        const r = parsers[f.direction](f.frame);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect({ code: r.code, id: r.id }).toEqual({
          code: f.code,
          id: readableId(f.frame, limitOf[f.direction]),
        });
        expect(r.message.length).toBeGreaterThan(0);
      });
    }
  });
});

describe('parse', () => {
  it('accepts a frame of exactly the limit and refuses one byte more', () => {
    const frame = (bytes: number, unit: string) => {
      const head = '{"type":"scan-stop","pad":"';
      const room = bytes - utf8Length(head) - 2;
      const pad = unit.repeat(Math.floor(room / utf8Length(unit))) + 'x'.repeat(room % utf8Length(unit));
      const text = `${head}${pad}"}`;
      expect(utf8Length(text)).toBe(bytes);
      return text;
    };
    for (const unit of ['x', 'é', '€', '🦈']) {
      expect(parseUp(frame(1024, unit)).ok).toBe(true);
      expect(parseUp(frame(1025, unit))).toMatchObject({ ok: false, code: 'too-large' });
      expect(parseDown(frame(4096, unit)).ok).toBe(false); // scan-stop is not a down message
      expect(parseDown(frame(4097, unit))).toMatchObject({ ok: false, code: 'too-large' });
    }
  });

  it('takes another limit as its second argument', () => {
    expect(parseUp('{"type":"clear"}', 15)).toMatchObject({ ok: false, code: 'too-large' });
    expect(parseUp('{"type":"clear"}', 16).ok).toBe(true);
    const big = JSON.stringify({
      type: 'batch',
      seq: 1,
      t: 1,
      x: Array.from({ length: 1000 }, (_, i) => 100000 + i),
    });
    expect(parseDown(big)).toMatchObject({ ok: false, code: 'too-large' });
    expect(parseDown(big, 1 << 20).ok).toBe(true);
  });

  it('answers a non-string input with invalid-json instead of throwing', () => {
    for (const v of [undefined, null, 42, {}, new Uint8Array([123, 125])])
      expect(parseUp(v as unknown as string)).toMatchObject({ ok: false, code: 'invalid-json' });
  });

  it('does not take prototype keys for fields', () => {
    expect(parseUp('{"__proto__":{"type":"scan-stop"}}')).toMatchObject({ ok: false, code: 'unknown-type' });
    const r = parseUp('{"type":"scan-stop","__proto__":{"id":""}}');
    expect(r.ok).toBe(true);
    const f = parseUp('{"type":"filter","filter":{"__proto__":{"minRssi":"loud"},"constructor":1}}');
    expect(f.ok).toBe(true);
    if (f.ok && f.msg.type === 'filter') expect(f.msg.filter.minRssi).toBeUndefined();
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])
      expect(parseDown(JSON.stringify({ type }))).toMatchObject({ ok: false, code: 'unknown-type' });
  });

  it('names the offending field in the message', () => {
    expect(parseUp('{"type":"scan-start","interval":2}')).toEqual({
      ok: false,
      code: 'invalid-field',
      message: 'interval: expected integer 3..10240',
    });
    expect(parseUp('{"type":"scan-start","id":"a","interval":10,"window":20}')).toEqual({
      ok: false,
      code: 'invalid-field',
      message: 'window: must not exceed interval',
      id: 'a',
    });
    const r = parseDown('{"type":"batch","seq":1,"t":1,"u":[[1,-60],[2,30]]}');
    expect(r).toMatchObject({
      ok: false,
      code: 'invalid-field',
      message: 'u[1][1]: expected integer -127..20',
    });
  });
});

describe('utf8Length', () => {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

  it('counts like a UTF-8 encoder, lone surrogates as U+FFFD', () => {
    for (const s of [
      '',
      'a',
      'é',
      '€',
      '🦈',
      '\ud800',
      '\udc00',
      'a\udbff',
      '\udfff\ud800',
      '\ud800\ud800\udc00',
      '\u0000',
    ])
      expect(utf8Length(s), JSON.stringify(s)).toBe(bytes(s));
  });

  it('agrees with Buffer.byteLength on random UTF-16 (including lone surrogates)', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0x7ff }),
      fc.integer({ min: 0x800, max: 0xffff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
    );
    const utf16 = fc.array(unit, { maxLength: 64 }).map((a) => String.fromCharCode(...a));
    fc.assert(
      fc.property(
        fc.oneof(utf16, fc.string({ unit: 'binary' }), fc.string()),
        (s) => utf8Length(s) === bytes(s),
      ),
      { seed: 42, numRuns: 5000 },
    );
  });
});

// ---------- the property test: 10,000 random and mutated frames ----------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const SENTINEL = '@@RAW@@';
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'type',
  'id',
];
const HUGE = [
  '1e400',
  '-1e400',
  '1e308',
  '9007199254740993',
  '-9007199254740993',
  '1e-400',
  '-0',
  '4294967296',
  '0.5',
];
const valid = [...fixtures.up, ...fixtures.down].map((f) => f.message as unknown as Json);
const allTypes = [...Object.keys(UP_SCHEMAS), ...Object.keys(DOWN_SCHEMAS)];

/** Sets an own, enumerable property, so that `__proto__` becomes a key and not the prototype. */
const setOwn = (o: Record<string, Json>, k: string, v: Json) =>
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

type Mutation = {
  fixture: number;
  path: number[];
  op: 'replace' | 'delete' | 'retype' | 'proto' | 'huge' | 'nest' | 'push';
  value: Json;
  key: string;
  depth: number;
  huge: string;
};

/** A valid fixture with one field replaced, deleted or retyped, rendered as frame text. */
function mutate(m: Mutation): string {
  const root = structuredClone(valid[m.fixture % valid.length]) as Json;
  let raw: string | undefined;
  // Walk down to a container, following the path.
  let node = root as Json;
  for (const step of m.path) {
    const kids = Array.isArray(node) ? node : node && typeof node === 'object' ? Object.values(node) : [];
    const next = kids[step % Math.max(kids.length, 1)];
    if (next === undefined || next === null || typeof next !== 'object') break;
    node = next;
  }
  if (node === null || typeof node !== 'object') return JSON.stringify(root);
  const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node);
  const key = keys.length ? (keys[m.depth % keys.length] as string) : '0';
  const put = (v: Json) => {
    if (Array.isArray(node)) node[Number(key)] = v;
    else setOwn(node as Record<string, Json>, key, v);
  };
  const old = Array.isArray(node) ? node[Number(key)] : (node as Record<string, Json>)[key];
  switch (m.op) {
    case 'replace':
      put(m.value);
      break;
    case 'delete':
      if (Array.isArray(node)) node.splice(Number(key), 1);
      else delete (node as Record<string, Json>)[key];
      break;
    case 'retype':
      put(
        typeof old === 'number'
          ? String(old)
          : typeof old === 'string'
            ? old.length
            : typeof old === 'boolean'
              ? Number(old)
              : Array.isArray(old)
                ? { ...old }
                : old === null || old === undefined
                  ? false
                  : Object.values(old),
      );
      break;
    case 'proto':
      if (Array.isArray(node)) node.push({ [m.key]: m.value });
      else setOwn(node as Record<string, Json>, m.key, m.value);
      break;
    case 'huge':
      put(SENTINEL);
      raw = m.huge;
      break;
    case 'nest':
      put(SENTINEL);
      raw = '['.repeat(m.depth) + ']'.repeat(m.depth);
      break;
    case 'push':
      if (Array.isArray(node)) node.push(m.value, ...node);
      else setOwn(node as Record<string, Json>, `${key}_`, m.value);
      break;
  }
  const text = JSON.stringify(root);
  return raw === undefined ? text : text.replace(`"${SENTINEL}"`, raw);
}

const mutation: fc.Arbitrary<string> = fc
  .record({
    fixture: fc.nat(),
    path: fc.array(fc.nat(), { maxLength: 6 }),
    op: fc.constantFrom('replace', 'delete', 'retype', 'proto', 'huge', 'nest', 'push'),
    value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
    key: fc.constantFrom(...PROTO_KEYS),
    depth: fc.integer({ min: 1, max: 3000 }),
    huge: fc.constantFrom(...HUGE),
  })
  .map(mutate);

const frames: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: mutation, weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 100 }), weight: 1 },
  { arbitrary: fc.json({ maxDepth: 4 }), weight: 2 },
  {
    arbitrary: fc
      .record({
        type: fc.constantFrom(...allTypes, ...PROTO_KEYS),
        rest: fc.dictionary(fc.string(), fc.jsonValue()),
      })
      .map(({ type, rest }) => JSON.stringify({ ...rest, type })),
    weight: 2,
  },
  {
    arbitrary: fc.integer({ min: 1, max: 5000 }).map((n) => '{"type":"batch","d":'.repeat(n) + '}'.repeat(n)),
    weight: 1,
  },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...valid.map((m) => JSON.stringify(m))), fc.nat())
      .map(([text, cut]) => text.slice(0, cut % (text.length + 1))),
    weight: 1,
  },
);

/** Either a message that passes its schema or a documented code with a non-empty message. */
function wellFormed(
  result: ParseResult<unknown>,
  schemas: Readonly<Record<string, Schema>>,
  text: string,
  maxBytes: number,
) {
  if (result.ok) {
    const msg = result.msg as { type: string; interval?: number; window?: number };
    if (!Object.hasOwn(schemas, msg.type)) return false;
    if (check(schemas[msg.type] as Schema, msg) !== undefined) return false;
    if (msg.type === 'scan-start' && msg.window !== undefined && msg.interval !== undefined)
      if (msg.window > msg.interval) return false;
    return utf8Length(text) <= maxBytes;
  }
  return (
    Object.hasOwn(ERROR_CODES, result.code) &&
    typeof result.message === 'string' &&
    result.message.length > 0 &&
    (result.id === undefined || (result.id.length >= 1 && result.id.length <= PROTOCOL.maxIdLength))
  );
}

describe('parsers on random and mutated input', () => {
  it('never throw and always give a valid message or a documented error code (10,000 frames)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(frames, (text) => {
        const up = parseUp(text);
        const down = parseDown(text);
        const wide = parseDown(text, 1 << 20);
        if (up.ok || down.ok) accepted++;
        return (
          wellFormed(up, UP_SCHEMAS, text, NANO_LIMITS.maxInboundBytes) &&
          wellFormed(down, DOWN_SCHEMAS, text, NANO_LIMITS.maxFrameBytes) &&
          wellFormed(wide, DOWN_SCHEMAS, text, 1 << 20)
        );
      }),
      { seed: 42, numRuns: 10000 },
    );
    // The mutations must leave some frames valid, or the test only exercises the error paths.
    expect(accepted).toBeGreaterThan(500);
  });
});
