// Type-level as much as runtime: `npx tsc -p shared-protocol/tsconfig.test.json` fails if a derived union
// drifts from the message types or if a handler map may leave a message type out.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { lit, obj, type Schema } from '../schema.js';
import { dispatch, type HandlerMap, type MessageOf } from './dispatch.js';
import {
  type AckMessage,
  type BatchMessage,
  DOWN_SCHEMAS,
  type DownHandlers,
  type DownMessage,
  type ErrorMessage,
  type HelloMessage,
  type ScanCompleteMessage,
  type SnapshotMessage,
  type StatusMessage,
} from './down.js';
import {
  type ClearMessage,
  type FilterMessage,
  type ScanStartMessage,
  type ScanStopMessage,
  type SnapshotRequestMessage,
  UP_SCHEMAS,
  type UpHandlers,
  type UpMessage,
  type UpMessageType,
} from './up.js';

// A handler map that names every command and says which one it got.
const upNames: UpHandlers<string[], string> = {
  'scan-start': (m, log) => `${m.type}:${m.mode ?? '-'}:${log.length}`,
  'scan-stop': (m) => m.type,
  filter: (m) => `${m.type}:${Object.keys(m.filter).join(',')}`,
  'snapshot-request': (m) => m.type,
  clear: (m) => m.type,
};

describe('the message unions', () => {
  it('are exactly the message types, derived from the schema maps', () => {
    expectTypeOf<UpMessage>().toEqualTypeOf<
      ScanStartMessage | ScanStopMessage | FilterMessage | SnapshotRequestMessage | ClearMessage
    >();
    expectTypeOf<DownMessage>().toEqualTypeOf<
      | HelloMessage
      | StatusMessage
      | BatchMessage
      | SnapshotMessage
      | ScanCompleteMessage
      | ErrorMessage
      | AckMessage
    >();
    expectTypeOf<UpMessage['type']>().toEqualTypeOf<UpMessageType>();
    expectTypeOf<DownMessage['type']>().toEqualTypeOf<keyof typeof DOWN_SCHEMAS>();
    expect(Object.keys(upNames).sort()).toEqual(Object.keys(UP_SCHEMAS).sort());
  });

  it('key every schema by its own `type` literal', () => {
    type Keyed<M extends Readonly<Record<string, Schema>>> = {
      [T in keyof M]: MessageOf<M> & { type: T } extends never ? T : never;
    }[keyof M];
    expectTypeOf<Keyed<typeof UP_SCHEMAS>>().toBeNever();
    expectTypeOf<Keyed<typeof DOWN_SCHEMAS>>().toBeNever();
    for (const [type, schema] of [...Object.entries(UP_SCHEMAS), ...Object.entries(DOWN_SCHEMAS)])
      expect(schema.k === 'obj' && schema.of.type).toEqual({ k: 'lit', v: type });
  });
});

describe('handler maps', () => {
  it('must handle a message type added to the schema map', () => {
    const pingSchema = obj({ type: lit('ping'), n: lit(1) });
    const withPing = { ...UP_SCHEMAS, ping: pingSchema } as const;
    type WithPing = MessageOf<typeof withPing>;
    expectTypeOf<WithPing>().toEqualTypeOf<UpMessage | { type: 'ping'; n: 1 }>();
    // The map that was complete before the schema grew no longer compiles...
    // @ts-expect-error Property 'ping' is missing
    const stale: HandlerMap<WithPing, string[], string> = upNames;
    // ...until it has a handler for the new type, which receives the new message.
    const complete: HandlerMap<WithPing, string[], string> = { ...upNames, ping: (m) => `ping ${m.n}` };
    expect(dispatch(complete, { type: 'ping', n: 1 }, [])).toBe('ping 1');
    expect(stale).toBe(upNames);
  });

  it('refuses a map that leaves out a command or a device message', () => {
    const { clear: _, ...noClear } = upNames;
    // @ts-expect-error Property 'clear' is missing
    const up: UpHandlers<string[], string> = noClear;
    // @ts-expect-error Property 'ack' is missing (the page used to ignore acks without a word)
    const down: DownHandlers = {
      hello() {},
      status() {},
      batch() {},
      snapshot() {},
      'scan-complete'() {},
      error() {},
    };
    expect([up, down]).toHaveLength(2);
  });

  it('gives each handler its own message type', () => {
    const down: DownHandlers<void, string> = {
      hello: (m) => m.device.model,
      status: (m) => `${m.devices}`,
      batch: (m) => `${m.seq}`,
      snapshot: (m) => m.reason,
      'scan-complete': (m) => m.reason,
      error: (m) => m.code,
      // @ts-expect-error an ack has no `code`
      ack: (m) => m.code,
    };
    expect(down.ack({ type: 'ack', id: 'c1', command: 'filter' })).toBeUndefined();
  });
});

describe('dispatch', () => {
  it('calls the handler for the message type with the context', () => {
    const log: string[] = [];
    expect(dispatch(upNames, { type: 'scan-start', mode: 'passive' }, log)).toBe('scan-start:passive:0');
    expect(dispatch(upNames, { type: 'filter', filter: { text: 'x' } }, log)).toBe('filter:text');
    expectTypeOf(dispatch<typeof upNames>)
      .parameter(1)
      .toEqualTypeOf<UpMessage>();
    expectTypeOf(dispatch<typeof upNames>).returns.toEqualTypeOf<string>();
    // @ts-expect-error 'ping' is not a command
    expect(() => dispatch(upNames, { type: 'ping' }, log)).toThrow(TypeError);
    // @ts-expect-error these handlers need their context
    expect(() => dispatch(upNames, { type: 'clear' })).not.toThrow();
  });

  it('needs no context argument when the handlers take none', () => {
    const seen: string[] = [];
    const down: DownHandlers = {
      hello: () => void seen.push('hello'),
      status: () => {},
      batch: () => {},
      snapshot: () => {},
      'scan-complete': () => {},
      error: (m) => void seen.push(m.code),
      ack: (m) => void seen.push(`ack ${m.id}`),
    };
    dispatch(down, { type: 'ack', id: 'c2', command: 'clear' } as DownMessage);
    expect(seen).toEqual(['ack c2']);
  });
});
