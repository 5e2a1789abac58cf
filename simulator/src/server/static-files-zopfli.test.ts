// Runs in its own process (Vitest isolates test files), so nothing has loaded zopfli before it. Loading
// @gfx/zopfli installs emscripten's process-wide uncaughtException/unhandledRejection handlers; the flash
// recipe (@bleshark/firmware-bridge/flash, whose own test shows that zopfli is what installs them) loads it
// on the first compression and removes them at once.
import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const EVENTS = ['uncaughtException', 'unhandledRejection'];
const proc: EventEmitter = process;
const handlers = () => EVENTS.map((e) => [...proc.listeners(e)]);
const require = createRequire(import.meta.url);
const loaded = () => require.resolve('@gfx/zopfli') in require.cache;

describe('the simulator and zopfli', () => {
  it('loads zopfli only to compress a file, and keeps no process-wide handler of it', async () => {
    const before = handlers();
    const { StaticFiles } = await import('./static-files.js');
    await import('./live-server.js');
    expect(loaded()).toBe(false);
    expect(handlers()).toEqual(before);
    const dir = mkdtempSync(join(tmpdir(), 'bleshark-zopfli-'));
    try {
      writeFileSync(join(dir, 'index.html'), 'hello hello hello');
      const page = await new StaticFiles(dir).lookup('/');
      expect(page?.gz.subarray(0, 2).toString('hex')).toBe('1f8b');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(loaded()).toBe(true);
    expect(handlers()).toEqual(before);
  });
});
