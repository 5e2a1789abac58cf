// Loading @gfx/zopfli installs emscripten's process-wide uncaughtException/unhandledRejection handlers. This
// file runs in its own process (Vitest isolates test files), so nothing has loaded zopfli before it.
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const EVENTS = ['uncaughtException', 'unhandledRejection'];
const proc: EventEmitter = process;
const handlers = () => EVENTS.map((e) => [...proc.listeners(e)]);
const require = createRequire(import.meta.url);
const ZOPFLI = require.resolve('@gfx/zopfli');
const RUNTIME = require.resolve('@gfx/zopfli/dist/libzopfli.js');
const loaded = () => ZOPFLI in require.cache;

describe('the flash recipe', () => {
  it('does not load zopfli until it compresses, and leaves no process-wide handler when it does', async () => {
    const before = handlers();
    const { flashGzip } = await import('./flash-recipe.js');
    expect(loaded()).toBe(false);
    expect(handlers()).toEqual(before);
    const gz = await flashGzip(Buffer.from('hello hello hello'));
    expect(gz.subarray(0, 2).toString('hex')).toBe('1f8b');
    expect(loaded()).toBe(true);
    expect(handlers()).toEqual(before);
  });

  it('is zopfli that installs them (so the check above can fail)', () => {
    const before = handlers();
    // A second, unmanaged evaluation of the emscripten runtime.
    delete require.cache[RUNTIME];
    require(RUNTIME);
    const added = handlers().map((list, i) => list.filter((l) => !before[i]?.includes(l)));
    added.forEach((list, i) => {
      for (const l of list) proc.off(EVENTS[i] ?? '', l as (...args: unknown[]) => void);
    });
    expect(added.flat().length).toBeGreaterThan(0);
  });
});
