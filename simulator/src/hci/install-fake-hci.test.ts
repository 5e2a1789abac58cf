import Module, { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { legacyReport } from './adv-reports.js';
import { OP } from './hci-commands.js';
import { cacheHoldsFakeHci, loaderIsOriginal, loadNobleWithFakeHci, nobleRoot } from './install-fake-hci.js';

const require = createRequire(import.meta.url);
const nobleKeys = () => Object.keys(require.cache).filter((k) => k.startsWith(nobleRoot()));
const events = [
  {
    ts: 0,
    record: 1,
    bytes: legacyReport({
      type: 3,
      addrType: 1,
      addr: '11:22:33:44:55:66',
      data: Uint8Array.from([2, 1, 6]),
      rssi: -40,
    }),
  },
];

function poweredOn(noble: ReturnType<typeof loadNobleWithFakeHci>['noble']): Promise<void> {
  return new Promise((resolve) => {
    noble.on('stateChange', (s: string) => s === 'poweredOn' && resolve());
  });
}

type Loader = { _load: (this: unknown, request: string, ...rest: unknown[]) => unknown };

describe('loadNobleWithFakeHci', () => {
  it("relies on Node routing every require() through Module._load (fails here first if Node's loader changes)", () => {
    const loader = Module as unknown as Loader;
    const original = loader._load;
    expect(typeof original).toBe('function');
    const seen: string[] = [];
    loader._load = function load(request, ...rest) {
      seen.push(request);
      return original.call(this, request, ...rest);
    };
    try {
      require('node:path');
    } finally {
      loader._load = original;
    }
    expect(seen).toContain('node:path');
  });

  it('throws one clear error instead of loading the real socket when there is no Module._load to hook', () => {
    const loader = Module as unknown as { _load: unknown };
    const original = loader._load;
    loader._load = undefined;
    try {
      expect(() => loadNobleWithFakeHci({ events })).toThrow(/no Module\._load to hook/);
    } finally {
      loader._load = original;
    }
  });

  it("leaves no stand-in in require.cache and restores Module._load and noble's own cache entries", () => {
    const before = new Map(nobleKeys().map((k) => [k, require.cache[k]]));
    const load = (Module as unknown as { _load: unknown })._load;
    const { noble, sockets } = loadNobleWithFakeHci({ events });
    expect(noble).toBeDefined();
    expect(sockets).toHaveLength(1);
    expect(cacheHoldsFakeHci()).toBe(false);
    expect(loaderIsOriginal()).toBe(true);
    expect((Module as unknown as { _load: unknown })._load).toBe(load);
    expect(new Map(nobleKeys().map((k) => [k, require.cache[k]]))).toEqual(before);
  });

  it('gives each call its own noble (noble is otherwise a singleton)', () => {
    const a = loadNobleWithFakeHci({ events });
    const b = loadNobleWithFakeHci({ events });
    expect(a.noble).not.toBe(b.noble);
    expect(a.sockets[0]).not.toBe(b.sockets[0]);
  });

  it('runs the real noble start-up against the stand-in: legacy commands, poweredOn, scanStart', async () => {
    const { noble, sockets } = loadNobleWithFakeHci({ events, speed: 0 });
    const on = poweredOn(noble);
    noble.on('warning', () => {});
    void noble.state;
    await on;
    await new Promise<void>((res, rej) => noble.startScanning([], true, (e) => (e ? rej(e) : res())));
    const found = await new Promise<{ address: string }>((res) => noble.once('discover', res));
    expect(found.address).toBe('11:22:33:44:55:66');
    expect(sockets[0]!.commands).toEqual([
      OP.SET_EVENT_MASK,
      OP.LE_SET_EVENT_MASK,
      OP.READ_LOCAL_VERSION,
      OP.WRITE_LE_HOST_SUPPORTED,
      OP.READ_LE_HOST_SUPPORTED,
      OP.LE_READ_BUFFER_SIZE,
      OP.READ_BD_ADDR,
      OP.LE_SET_SCAN_ENABLE,
      OP.LE_SET_SCAN_PARAMETERS,
      OP.LE_SET_SCAN_ENABLE,
      OP.LE_SET_SCAN_PARAMETERS,
      OP.LE_SET_SCAN_ENABLE,
    ]);
    expect(sockets[0]!.unknown.size).toBe(0);
    sockets[0]!.stop();
    removeNobleProcessListeners();
  });

  it('uses the extended-scan commands when extended', async () => {
    const { noble, sockets } = loadNobleWithFakeHci({ events, speed: 0, extended: true });
    const on = poweredOn(noble);
    void noble.state;
    await on;
    expect(sockets[0]!.commands[0]).toBe(OP.LE_SET_DEFAULT_PHY);
    expect(sockets[0]!.commands.slice(-2)).toEqual([
      OP.LE_SET_EXTENDED_SCAN_ENABLE,
      OP.LE_SET_EXTENDED_SCAN_PARAMETERS,
    ]);
    sockets[0]!.stop();
    removeNobleProcessListeners();
  });
});

/** noble's bindings add SIGINT/exit handlers on init; the sources remove theirs, these tests do it here. */
function removeNobleProcessListeners(): void {
  for (const event of ['SIGINT', 'exit'] as const)
    for (const l of process.listeners(event as 'exit'))
      if (l.name === 'bound onSigInt' || l.name === 'bound onExit') process.off(event as 'exit', l);
}
