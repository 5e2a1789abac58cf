// The checker's connection code: every valid device message is described by its own handler, and the
// checker's modules import one another without a cycle.
import { readdirSync, readFileSync } from 'node:fs';
import { loadFixtures } from '@bleshark/shared-protocol/test-support';
import { describe, expect, it } from 'vitest';
import { describeIncoming, type Incoming } from '../../src/check/app-connection.js';

const CHECK_DIR = new URL('../../src/check/', import.meta.url);

const incoming = (msg: Extract<Incoming, { kind: 'message' }>['msg'], text = JSON.stringify(msg)) =>
  ({ kind: 'message', text, bytes: text.length, msg, raw: JSON.parse(text) }) as Incoming;

describe('describeIncoming', () => {
  it('names each valid device message with what sets it apart, for every type in the fixtures', () => {
    const { down } = loadFixtures();
    const types = new Set(down.map((f) => f.message.type));
    expect([...types].sort()).toEqual([
      'ack',
      'batch',
      'error',
      'hello',
      'scan-complete',
      'snapshot',
      'status',
    ]);
    for (const f of down)
      expect(describeIncoming(incoming(f.message))).toMatch(`a ${f.message.type} message (`);
  });

  it('says which command an error or ack answers, and why an error was sent', () => {
    expect(describeIncoming(incoming({ type: 'ack', id: 'f1', command: 'filter' }))).toBe(
      'a ack message (of filter "f1")',
    );
    expect(
      describeIncoming(
        incoming({ type: 'error', code: 'unsupported', message: 'no passive\u001b[2J', id: 'p' }),
      ),
    ).toBe('a error message (unsupported to "p": no passive\\x1b[2J)');
  });

  it('still names the type of a message that fails the schema', () => {
    const text = '{"type":"status","t":-1}';
    expect(
      describeIncoming({ kind: 'message', text, bytes: text.length, msg: undefined, raw: JSON.parse(text) }),
    ).toBe('a status message');
  });
});

describe('the checker modules', () => {
  it('import one another without a cycle', () => {
    const files = readdirSync(CHECK_DIR, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    const deps = new Map<string, string[]>();
    for (const f of files) {
      const src = readFileSync(new URL(f, CHECK_DIR), 'utf8');
      const base = new URL(f, CHECK_DIR);
      deps.set(
        f,
        [...src.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map((m) =>
          new URL(`${m[1]}.ts`, base).pathname.slice(CHECK_DIR.pathname.length),
        ),
      );
    }
    const cycles: string[] = [];
    const walk = (f: string, path: string[]) => {
      if (path.includes(f)) return void cycles.push([...path.slice(path.indexOf(f)), f].join(' -> '));
      for (const d of deps.get(f) ?? []) walk(d, [...path, f]);
    };
    for (const f of files) walk(f, []);
    expect(cycles).toEqual([]);
  });
});
