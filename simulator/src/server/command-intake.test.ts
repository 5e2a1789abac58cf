import {
  CLOSE_POLICY,
  CLOSE_UNSUPPORTED_DATA,
  type UpHandlers,
  type UpMessage,
} from '@bleshark/shared-protocol';
import { loadFixtures } from '@bleshark/shared-protocol/test-support';
import { describe, expect, it } from 'vitest';
import { CommandIntake } from './command-intake.js';
import { DEFAULT_CAPS } from './hello.js';

const LIMITS = { maxInboundBytes: 1024, commandsPerSecond: 10, commandBurst: 2 };

function setup(caps: readonly string[] = DEFAULT_CAPS) {
  const handled: UpMessage[] = [];
  const record = (m: UpMessage) => {
    handled.push(m);
  };
  const sent: Record<string, unknown>[] = [];
  const closed: [number, string][] = [];
  let t = 0;
  const intake = new CommandIntake({
    client: 1,
    limits: LIMITS,
    caps,
    handlers: {
      'scan-start': record,
      'scan-stop': record,
      filter: record,
      'snapshot-request': record,
      clear: record,
    },
    send: (text) => sent.push(JSON.parse(text)),
    close: (code, reason) => closed.push([code, reason]),
    log: () => {},
    now: () => t,
  });
  const advance = (ms: number) => {
    t += ms;
  };
  return { intake, handled, sent, closed, advance };
}

describe('command intake', () => {
  it('hands each valid command to the handler of its type', () => {
    const { intake, handled, sent } = setup();
    intake.receive(Buffer.from('{"type":"clear","id":"c"}'), false);
    expect(handled).toEqual([{ type: 'clear', id: 'c' }]);
    expect(sent).toEqual([]);
  });

  it('answers a command needing an ability missing from hello.caps with unsupported naming it, the id, and no handler call', () => {
    const { intake, handled, sent } = setup(DEFAULT_CAPS.filter((c) => c !== 'clear' && c !== 'passive'));
    intake.receive(Buffer.from('{"type":"clear","id":"c9"}'), false);
    const passive = loadFixtures().up.find((f) => f.name === 'scan-start-passive')!.message;
    intake.receive(Buffer.from(JSON.stringify({ ...passive, id: 'p' })), false);
    expect(handled).toEqual([]);
    expect(sent).toEqual([
      {
        type: 'error',
        code: 'unsupported',
        id: 'c9',
        message: 'this device cannot do the clear command (no "clear" in hello.caps)',
      },
      expect.objectContaining({
        type: 'error',
        code: 'unsupported',
        id: 'p',
        message: expect.stringContaining('no "passive" in hello.caps'),
      }),
    ]);
    // With every ability announced, the same commands reach their handlers.
    const all = setup();
    all.intake.receive(Buffer.from('{"type":"clear","id":"c9"}'), false);
    expect(all.handled).toHaveLength(1);
  });

  it('answers a bad command with its error code and id, and closes with 1003 on a binary frame', () => {
    const { intake, sent, closed } = setup();
    intake.receive(Buffer.from('{"type":"nope","id":"n"}'), false);
    expect(sent[0]).toMatchObject({ type: 'error', code: 'unknown-type', id: 'n' });
    intake.receive(Buffer.from([1, 2]), true);
    expect(closed).toEqual([[CLOSE_UNSUPPORTED_DATA, 'binary frames are not accepted']]);
  });

  it('answers rate-limited past the burst and closes with 1008 after the strikes', () => {
    const { intake, sent, closed, advance } = setup();
    const cmd = Buffer.from('{"type":"snapshot-request","id":"s"}');
    intake.receive(cmd, false);
    intake.receive(cmd, false);
    intake.receive(cmd, false);
    expect(sent).toEqual([expect.objectContaining({ code: 'rate-limited', id: 's' })]);
    advance(100); // one token back: the strikes start over
    intake.receive(cmd, false);
    for (let i = 0; i < 4; i++) intake.receive(cmd, false);
    expect(closed).toEqual([[CLOSE_POLICY, 'command flood']]);
  });

  it('is exhaustive: a map without a handler for some command does not compile', () => {
    // @ts-expect-error 'clear' is missing
    const partial: UpHandlers = {
      'scan-start': () => {},
      'scan-stop': () => {},
      filter: () => {},
      'snapshot-request': () => {},
    };
    expect(Object.keys(partial)).not.toContain('clear');
  });
});
