// Seeded generators of hostile inbound messages and frames for the fuzz test, with the outcome the
// protocol documents for each (docs/protocol.md "Error codes" and "Close codes"; the oracle for a text
// message is shared-protocol's own parseUp).
import { parseUp } from '@bleshark/shared-protocol';
import { loadFixtures } from '@bleshark/shared-protocol/test-support';
import { closePayload, frame, OP } from '../lib/raw-ws.mjs';

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
  };
}
export type Rng = ReturnType<typeof prng>;

/** What one text message must get back: exactly one `error` (with code) or `ack`. */
export type Expect = { kind: 'error'; code: string; id?: string } | { kind: 'ack'; id: string };

export const MAX_INBOUND = 1024;
const fixtures = loadFixtures();
const SEEDS = [
  ...fixtures.up.map((f) => JSON.stringify(f.message)),
  ...fixtures.reject.filter((f) => f.direction === 'up').map((f) => f.frame),
];

const HOSTILE_VALUES: unknown[] = [
  1e308,
  -1e308,
  2 ** 53 + 1,
  -(2 ** 63),
  0.5,
  -0,
  '',
  'x'.repeat(40),
  '\u0000\u0007\u001b[31m',
  '\u202e<script>alert(1)</script>',
  null,
  true,
  [],
  [1, [2, [3]]],
  {},
  { __proto__: { polluted: true } },
  '__proto__',
  'constructor',
];
const TYPES = [
  'scan-start',
  'filter',
  'snapshot-request',
  'SCAN-START',
  'hello',
  'batch',
  '__proto__',
  'constructor',
  'toString',
  '',
];
const KEYS = [
  'type',
  'id',
  'mode',
  'interval',
  'window',
  'duration',
  'duplicates',
  'filter',
  'minRssi',
  'text',
  'exclude',
  'service',
  'company',
];

function mutateText(r: Rng, s: string): string {
  const ops = 1 + r.int(5);
  for (let i = 0; i < ops; i++) {
    const at = r.int(s.length + 1);
    switch (r.int(4)) {
      case 0:
        s = s.slice(0, at) + String.fromCharCode(r.int(128)) + s.slice(at + 1);
        break;
      case 1:
        s = s.slice(0, at) + r.pick(['{', '}', '[', ']', '"', ',', ':', '\\', '1e999', 'null']) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + 1 + r.int(4));
        break;
      default:
        s = s.slice(0, at);
    }
  }
  return s;
}

function mutateJson(r: Rng, s: string): string {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    return mutateText(r, s);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return JSON.stringify(r.pick(HOSTILE_VALUES));
  const o = v as Record<string, unknown>;
  const target =
    r.next() < 0.4 && typeof o.filter === 'object' && o.filter ? (o.filter as Record<string, unknown>) : o;
  const key = r.pick(KEYS);
  if (r.next() < 0.2) delete target[key];
  else target[key] = key === 'type' && r.next() < 0.5 ? r.pick(TYPES) : r.pick(HOSTILE_VALUES);
  return JSON.stringify(o);
}

function deepNesting(r: Rng): string {
  const d = 20 + r.int(170);
  return r.next() < 0.5
    ? `{"type":"filter","id":"deep","filter":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`
    : `{"type":"scan-start","mode":${'['.repeat(d * 2)}${']'.repeat(d * 2)}}`;
}

function randomText(r: Rng): string {
  const n = r.int(200);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.next() < 0.8 ? 32 + r.int(95) : r.int(0xffff));
  return s;
}

export const TEXT_CLASSES = [
  'mutated',
  'wrong-type',
  'deep-nesting',
  'huge-number',
  'random-text',
  'valid',
] as const;
export type TextClass = (typeof TEXT_CLASSES)[number];

/** One text message of a class (as bytes, at most MAX_INBOUND) and the single answer it must get. */
export function textMessage(
  r: Rng,
  cls: TextClass,
  n: number,
): { bytes: Buffer; expect: Expect } | undefined {
  let text: string;
  switch (cls) {
    case 'mutated':
      text = r.next() < 0.5 ? mutateJson(r, r.pick(SEEDS)) : mutateText(r, r.pick(SEEDS));
      break;
    case 'wrong-type':
      text = JSON.stringify({ type: r.pick(HOSTILE_VALUES.concat(TYPES)), id: `w${n}` });
      break;
    case 'deep-nesting':
      text = deepNesting(r);
      break;
    case 'huge-number':
      text = `{"type":"${r.pick(['scan-start', 'filter'])}","id":"h${n}","${r.pick(KEYS)}":${r.pick(['1e999', '-1e999', '123456789012345678901234567890', '9007199254740993', '1e-400', '0x10', 'NaN', 'Infinity'])}}`;
      break;
    case 'random-text':
      text = randomText(r);
      break;
    default:
      text =
        r.next() < 0.5
          ? `{"type":"snapshot-request","id":"v${n}"}`
          : `{"type":"filter","id":"v${n}","filter":{"minRssi":-127}}`;
  }
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_INBOUND) return undefined;
  const sent = bytes.toString('utf8');
  const p = parseUp(sent, MAX_INBOUND);
  if (!p.ok)
    return {
      bytes,
      expect:
        p.id === undefined ? { kind: 'error', code: p.code } : { kind: 'error', code: p.code, id: p.id },
    };
  // Valid commands: only those that leave the shared scan alone, and only with an id (one answer each).
  if (p.msg.type !== 'filter' && p.msg.type !== 'snapshot-request') return undefined;
  if (p.msg.id === undefined) return undefined;
  return { bytes, expect: { kind: 'ack', id: p.msg.id } };
}

/** Frame classes that end the connection, each with the close codes it may get. */
export type ClosingCase = {
  cls: string;
  bytes: Buffer;
  allowed: readonly (number | string)[];
  frames?: number;
};

const textFrame = (payload: Buffer | string, extra: Partial<Parameters<typeof frame>[0]> = {}) =>
  frame({ opcode: OP.text, payload, ...extra });

function invalidUtf8(r: Rng): Buffer {
  const bad = r.pick([
    [0xc3, 0x28],
    [0xa0, 0xa1],
    [0xe2, 0x28, 0xa1],
    [0xf0, 0x28, 0x8c, 0x28],
    [0xed, 0xa0, 0x80],
    [0xc0, 0xaf],
    [0xff],
    [0xf5, 0x80, 0x80, 0x80],
  ]);
  return Buffer.concat([
    Buffer.from('{"type":"filter","filter":{"text":"'),
    Buffer.from(bad),
    Buffer.from('"}}'),
  ]);
}

export function closingCase(r: Rng): ClosingCase {
  switch (r.int(14)) {
    case 0:
      return {
        cls: 'binary',
        bytes: frame({ opcode: OP.binary, payload: r.bytes(1 + r.int(300)) }),
        allowed: [1003],
      };
    case 1:
      return { cls: 'invalid-utf8', bytes: textFrame(invalidUtf8(r)), allowed: [1007] };
    case 2: {
      const p = invalidUtf8(r);
      const cut = 1 + r.int(p.length - 1);
      return {
        cls: 'invalid-utf8-fragmented',
        bytes: Buffer.concat([
          textFrame(p.subarray(0, cut), { fin: false }),
          frame({ opcode: OP.cont, payload: p.subarray(cut) }),
        ]),
        allowed: [1007],
      };
    }
    case 3:
      return r.next() < 0.5
        ? {
            cls: 'oversized',
            bytes: textFrame(Buffer.alloc(MAX_INBOUND + 1 + r.int(3000), 0x61)),
            allowed: [1009],
          }
        : {
            cls: 'oversized',
            bytes: textFrame(Buffer.alloc(0), { declaredLength: 2 ** 32 + r.int(2 ** 20) }),
            allowed: [1009],
          };
    case 4: {
      // A message over the limit made of fragments that are each small.
      const parts: Buffer[] = [];
      const n = 2 + r.int(6);
      const each = Math.ceil((MAX_INBOUND + 10) / n);
      for (let i = 0; i < n; i++)
        parts.push(
          frame({ opcode: i === 0 ? OP.text : OP.cont, fin: i === n - 1, payload: Buffer.alloc(each, 0x61) }),
        );
      return { cls: 'oversized-fragmented', bytes: Buffer.concat(parts), allowed: [1009] };
    }
    case 5:
      return {
        cls: 'unmasked',
        bytes: textFrame('{"type":"snapshot-request"}', { mask: false }),
        allowed: [1002],
      };
    case 6:
      return { cls: 'reserved-bits', bytes: textFrame('{}', { rsv: 1 + r.int(7) }), allowed: [1002] };
    case 7:
      return {
        cls: 'reserved-opcode',
        bytes: frame({ opcode: r.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload: r.bytes(r.int(10)) }),
        allowed: [1002],
      };
    case 8:
      return {
        cls: 'continuation-without-start',
        bytes: frame({ opcode: OP.cont, payload: 'x' }),
        allowed: [1002],
      };
    case 9:
      return r.next() < 0.5
        ? {
            cls: 'bad-control',
            bytes: frame({ opcode: OP.ping, payload: r.bytes(126 + r.int(100)) }),
            allowed: [1002],
          }
        : {
            cls: 'bad-control',
            bytes: frame({ opcode: OP.ping, payload: 'p', fin: false }),
            allowed: [1002],
          };
    case 10: {
      const code = r.pick([0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535]);
      return {
        cls: 'bad-close-code',
        bytes: frame({ opcode: OP.close, payload: closePayload(code) }),
        allowed: [1002],
      };
    }
    case 12:
      // Non-minimal length encoding (RFC 6455 5.2: the minimal number of bytes MUST be used).
      return {
        cls: 'non-minimal-length',
        bytes: textFrame(
          '{"type":"snapshot-request"}',
          r.next() < 0.5 ? { longLength: true } : { forceLength16: true },
        ),
        allowed: [1002],
      };
    case 11: {
      // A ping flood: ws terminates a peer with more than 60 automatic pongs pending (no close frame).
      const n = 200 + r.int(300);
      return {
        cls: 'ping-flood',
        bytes: Buffer.concat(
          Array.from({ length: n }, () => frame({ opcode: OP.ping, payload: r.bytes(r.int(126)) })),
        ),
        allowed: ['end'],
        frames: n,
      };
    }
    default: {
      const code = r.pick([1000, 1001, 1003, 3000, 4000, 4999]);
      return {
        cls: 'valid-close',
        bytes: frame({ opcode: OP.close, payload: closePayload(code, 'bye') }),
        allowed: [code],
      };
    }
  }
}

/** Random bytes after the handshake: any documented close code, or nothing yet (an incomplete frame). */
export function garbageCase(r: Rng): ClosingCase {
  return { cls: 'random-bytes', bytes: r.bytes(1 + r.int(64)), allowed: [1002, 1003, 1007, 1009, 'open'] };
}
