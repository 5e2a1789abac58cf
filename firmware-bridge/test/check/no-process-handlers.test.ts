// The CLI must not load @gfx/zopfli unless it compresses: loading it installs emscripten's process-wide
// uncaughtException/unhandledRejection handlers, and then a crash prints ~21 KB of minified source. The CLI
// is imported here (not at the top) so that the listeners can be compared before and after.
import type { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startMiniDevice } from './fixtures/mini-device.js';

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
const proc: EventEmitter = process;
const listeners = () => EVENTS.map((e) => proc.listeners(e));

describe('bleshark-bridge check', () => {
  it('installs no process-wide uncaughtException or unhandledRejection handler', async () => {
    const before = listeners();
    const { runCli } = await import('../../src/cli.js');
    expect(listeners()).toEqual(before);
    const device = await startMiniDevice();
    try {
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
      expect(await runCli(['check', device.url, '--only', 'app.hello-first'], io)).toBe(0);
      expect(out.at(-1)).toBe('1 passed, 0 failed');
    } finally {
      await device.close();
    }
    expect(listeners()).toEqual(before);
  }, 20_000);
});
