// @gfx/zopfli, loaded on first use and without the process-wide handlers its emscripten runtime installs
// when it is loaded: an `uncaughtException` handler that rethrows (so a crash anywhere prints a line of
// minified zopfli source) and an `unhandledRejection` handler that aborts the wasm runtime. Neither does
// anything zopfli needs, so they are removed as soon as the module is in.
import type { EventEmitter } from 'node:events';

type Zopfli = typeof import('@gfx/zopfli');

const INSTALLED = ['uncaughtException', 'unhandledRejection'];
const proc: EventEmitter = process;

let loading: Promise<Zopfli> | undefined;

/** The zopfli module; the first call loads it (later calls share that load). */
export function loadZopfli(): Promise<Zopfli> {
  loading ??= (async () => {
    const before = new Map(INSTALLED.map((e) => [e, new Set(proc.listeners(e))]));
    try {
      return await import('@gfx/zopfli');
    } finally {
      for (const event of INSTALLED)
        for (const l of proc.listeners(event))
          if (!before.get(event)?.has(l)) proc.off(event, l as (...args: unknown[]) => void);
    }
  })();
  return loading;
}
