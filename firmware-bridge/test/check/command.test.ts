// The command line: usage errors never connect; lines, summary, --only and exit codes.
import { afterEach, describe, expect, it } from 'vitest';
import { selectChecks } from '../../src/check/checks/index.js';
import { checkCommand } from '../../src/check/command.js';
import { type MiniDevice, startMiniDevice } from './fixtures/mini-device.js';

let device: MiniDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await checkCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
};

describe('check command', () => {
  it('has at least 60 checks with unique ids, refs and expectations', () => {
    const all = selectChecks([]);
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    for (const c of all) {
      expect(c.id).toMatch(/^[a-z0-9]+\.[a-z0-9-]+$/);
      expect(c.ref.length).toBeGreaterThan(0);
      expect(c.expect.length).toBeGreaterThan(0);
    }
  });

  it('selects by prefix and by glob', () => {
    expect(selectChecks(['close.code-']).map((c) => c.id)).toContain('close.code-1005');
    expect(selectChecks(['*opcode-?']).length).toBe(10);
    expect(selectChecks(['nothing-like-this'])).toEqual([]);
  });

  it('refuses to run without a URL and never connects', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/missing URL/);
    expect((await run(['http://127.0.0.1:1/'])).code).toBe(2);
    expect((await run(['ws://127.0.0.1:1/', '--bogus'])).code).toBe(2);
  });

  it('prints one line per check and the closing summary', async () => {
    device = await startMiniDevice();
    const r = await run([device.url, '--only', 'control.ping', '--only', 'handshake.token-*']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'pass  control.ping-empty  pong echoed the 0-byte payload exactly (RFC 6455 5.5.2)',
    );
    expect(r.out.filter((l) => l.startsWith('skip  handshake.token-'))).toHaveLength(3);
    expect(r.out.at(-1)).toBe('5 passed, 0 failed, 3 skipped');
  });

  it('exits 1 when a check fails', async () => {
    device = await startMiniDevice({ acceptBinary: true });
    const r = await run([device.url, '--only', 'framing.binary-frame', '--timeout', '300']);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(
      /^fail {2}framing\.binary-frame {2}expected close 1003, got nothing within 300 ms/,
    );
    expect(r.out.at(-1)).toBe('0 passed, 1 failed');
  });
});
