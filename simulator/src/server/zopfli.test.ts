// Runs in its own process (Vitest isolates test files), so nothing has loaded zopfli before it.
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const EVENTS = ['uncaughtException', 'unhandledRejection'];
const proc: EventEmitter = process;
const handlers = () => EVENTS.map((e) => [...proc.listeners(e)]);

describe('loading zopfli', () => {
  it('adds no process-wide handlers: not when the server is imported, not after compressing', async () => {
    const before = handlers();
    const { zopfliGzip } = await import('./static-files.js');
    await import('./live-server.js');
    expect(handlers()).toEqual(before);
    const gz = await zopfliGzip(Buffer.from('hello hello hello'));
    expect(gz.subarray(0, 2).toString('hex')).toBe('1f8b');
    expect(handlers()).toEqual(before);
  });

  it('is the module that installs them (so the check above can fail)', () => {
    const before = handlers();
    // A second, unmanaged evaluation of the emscripten runtime.
    const require = createRequire(import.meta.url);
    const path = require.resolve('@gfx/zopfli/dist/libzopfli.js');
    delete require.cache[path];
    require(path);
    const added = handlers().map((list, i) => list.filter((l) => !before[i]?.includes(l)));
    added.forEach((list, i) => {
      for (const l of list) proc.off(EVENTS[i] ?? '', l as (...args: unknown[]) => void);
    });
    expect(added.flat().length).toBeGreaterThan(0);
  });
});
