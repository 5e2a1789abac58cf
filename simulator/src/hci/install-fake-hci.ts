// Loads a FRESH instance of the real @abandonware/noble whose Linux (hci-socket) bindings talk to a
// FakeHciSocket instead of @abandonware/bluetooth-hci-socket. The stand-in exists only while noble's
// modules are being loaded (a Module._load hook that answers only requests made from inside noble's
// own folder); noble's require.cache entries are set aside first and put back afterwards, so the real
// `noble` source, loaded before or after, never sees the stand-in. Nothing happens at import time. This is
// the only file that touches Module._load; its test fails loudly if Node stops routing require() through it.
import Module, { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { NobleInstance } from '../sources/noble-instance.js';
import { type FakeHciConfig, FakeHciSocket } from './fake-hci-socket.js';

export const HCI_SOCKET_MODULE = '@abandonware/bluetooth-hci-socket';

const require = createRequire(import.meta.url);

export type FakeNoble = {
  noble: NobleInstance;
  /** The sockets noble constructed (one per Hci instance; noble makes exactly one). */
  sockets: FakeHciSocket[];
};

type Loader = {
  _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
};

/** noble's package folder, resolved the way the simulator resolves it. */
export function nobleRoot(): string {
  return dirname(require.resolve('@abandonware/noble/package.json'));
}

/** require.cache keys of noble's own files. */
function nobleCacheKeys(root: string): string[] {
  return Object.keys(require.cache).filter((k) => k.startsWith(root + sep));
}

/**
 * Loads noble with the stand-in socket. `extended` selects noble's extended-scan commands (LE Set
 * Extended Scan Parameters/Enable) as for a Bluetooth 5 controller; otherwise the legacy ones.
 * The hci-socket bindings are used on every platform (no CoreBluetooth/WinRT), so replays behave the
 * same on macOS and Windows. Throws only if noble itself cannot be loaded.
 */
export function loadNobleWithFakeHci(config: FakeHciConfig & { extended?: boolean }): FakeNoble {
  const root = nobleRoot();
  const sockets: FakeHciSocket[] = [];
  class BoundFakeHciSocket extends FakeHciSocket {
    constructor() {
      super(config);
      sockets.push(this);
    }
  }
  const loader = Module as unknown as Loader;
  const original = loader._load;
  if (typeof original !== 'function')
    throw new Error(
      'install-fake-hci: this Node has no Module._load to hook; the replay stand-in cannot load noble',
    );
  const saved = new Map(nobleCacheKeys(root).map((k) => [k, require.cache[k]]));
  for (const k of saved.keys()) delete require.cache[k];
  loader._load = function load(this: unknown, request, parent, isMain) {
    if (request === HCI_SOCKET_MODULE && parent?.filename?.startsWith(root + sep)) return BoundFakeHciSocket;
    return original.call(this, request, parent, isMain);
  };
  try {
    const Noble = require(join(root, 'lib', 'noble.js')) as new (bindings: unknown) => NobleInstance;
    const Bindings = require(join(root, 'lib', 'hci-socket', 'bindings.js')) as new (
      options: object,
    ) => unknown;
    const noble = new Noble(new Bindings({ extended: config.extended === true }));
    if (sockets.length !== 1)
      throw new Error(
        `install-fake-hci: noble built ${sockets.length} stand-in sockets instead of 1; Node's Module._load or noble's hci-socket loading changed`,
      );
    return { noble, sockets };
  } finally {
    loader._load = original;
    for (const k of nobleCacheKeys(root)) delete require.cache[k];
    for (const [k, m] of saved) require.cache[k] = m;
  }
}

/** True when require.cache holds a module whose exports are (or derive from) the stand-in. */
export function cacheHoldsFakeHci(): boolean {
  return Object.values(require.cache).some((m) => {
    const e = m?.exports as unknown;
    return typeof e === 'function' && (e === FakeHciSocket || e.prototype instanceof FakeHciSocket);
  });
}

/** True while Module._load is the original loader (no hook left behind). */
export const loaderIsOriginal = (() => {
  const original = (Module as unknown as Loader)._load;
  return (): boolean => (Module as unknown as Loader)._load === original;
})();
