import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeSourceContract } from '../../test/source-contract.js';
import { legacyReport } from '../hci/adv-reports.js';
import { loadNobleWithFakeHci } from '../hci/install-fake-hci.js';
import type { NobleInstance } from './noble-instance.js';
import { NobleSource } from './noble-source.js';
import { type ScanParams, SourceError } from './scan-source.js';

const PARAMS: ScanParams = { mode: 'active', interval: 100, window: 50, duplicates: true };
const events = Array.from({ length: 8 }, (_, i) => ({
  ts: i,
  record: i + 1,
  bytes: legacyReport({
    type: 3,
    addrType: 1,
    addr: `11:22:33:44:55:${(16 + i).toString(16)}`,
    data: Uint8Array.from([2, 1, 6]),
    rssi: -40 - i,
  }),
}));

/** A noble that never powers on, or reports `state` once initialised. */
function stubNoble(state?: string): NobleInstance {
  const noble = new EventEmitter() as NobleInstance;
  let initialised = false;
  Object.defineProperty(noble, 'state', {
    get() {
      if (!initialised && state) setTimeout(() => noble.emit('stateChange', state), 5);
      initialised = true;
      return 'unknown';
    },
  });
  return noble;
}

describe('NobleSource with the real @abandonware/noble on this machine', () => {
  // A start that hangs instead of failing is caught by the test's timeout (the source's own bound is far less).
  it('rejects start with a SourceError naming the cause, or scans where Bluetooth works', {
    timeout: 20_000,
  }, async () => {
    const source = new NobleSource();
    const err = await source.start(PARAMS).then(
      () => undefined,
      (e: unknown) => e,
    );
    await source.close();
    if (err === undefined) return; // a machine with a working adapter
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).message).toMatch(
      /EAFNOSUPPORT|bluetooth-hci-socket|setcap|adapter|poweredOn/,
    );
    if (process.platform === 'linux' && !(await hasKernelBluetooth()))
      expect((err as SourceError).message).toMatch(
        /no Bluetooth socket support \(EAFNOSUPPORT\).*--source demo/,
      );
  });
});

async function hasKernelBluetooth(): Promise<boolean> {
  const { readFile } = await import('node:fs/promises');
  const protocols = await readFile('/proc/net/protocols', 'utf8').catch(() => '');
  return /BTPROTO|HCI/i.test(protocols);
}

describe('NobleSource failure mapping', () => {
  it('maps a load error (EAFNOSUPPORT) and lets a later start try again', async () => {
    let calls = 0;
    const source = new NobleSource({
      load: () => {
        calls++;
        throw Object.assign(new Error('EAFNOSUPPORT, Address family not supported by protocol'), {
          code: 'EAFNOSUPPORT',
        });
      },
    });
    await expect(source.start(PARAMS)).rejects.toMatchObject({ code: 'no-kernel-bluetooth' });
    await expect(source.start(PARAMS)).rejects.toMatchObject({ code: 'no-kernel-bluetooth' });
    expect(calls).toBe(2);
    await source.close();
    await source.close();
  });

  it('rejects with the setcap line when the adapter is unauthorized', async () => {
    const source = new NobleSource({ load: () => stubNoble('unauthorized') });
    const err = (await source.start(PARAMS).catch((e: unknown) => e)) as SourceError;
    expect(err.message).toMatch(
      process.platform === 'darwin' ? /allow Bluetooth/ : /setcap cap_net_raw\+eip/,
    );
  });

  it('times out when poweredOn never comes, naming the last state', async () => {
    const source = new NobleSource({ load: () => stubNoble(), poweredOnTimeoutMs: 50 });
    await expect(source.start(PARAMS)).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/within 50 ms, last state unknown/),
    });
    const off = new NobleSource({ load: () => stubNoble('poweredOff'), poweredOnTimeoutMs: 50 });
    await expect(off.start(PARAMS)).rejects.toMatchObject({ code: 'adapter-off' });
  });

  it('stops idempotently and refuses to start after close', async () => {
    const source = new NobleSource({ load: () => loadNobleWithFakeHci({ events, speed: 0 }).noble });
    await source.stop();
    await source.start(PARAMS);
    await source.stop();
    await source.stop();
    await source.close();
    await expect(source.start(PARAMS)).rejects.toBeInstanceOf(SourceError);
  });
});

describe('NobleSource on the real noble code (stand-in HCI socket)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const consoleSpies = () => (['log', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m));

  it('shows adverts with `01 0a` / `01 16` and ADV_SCAN_IND as not connectable, printing nothing', async () => {
    const spies = consoleSpies();
    const report = (i: number, type: number, hex: string) => ({
      ts: i,
      record: i + 1,
      bytes: legacyReport({
        type,
        addrType: 1,
        addr: `11:22:33:44:55:0${i}`,
        data: Buffer.from(hex, 'hex'),
        rssi: -50,
      }),
    });
    const capture = [report(1, 3, '010a03094142'), report(2, 3, '0116020af4'), report(3, 2, '020106')];
    const logs: string[] = [];
    const source = new NobleSource({
      load: () => loadNobleWithFakeHci({ events: capture, speed: 0 }).noble,
      log: (level, m) => logs.push(`${level} ${m}`),
    });
    const got = new Map<string, { name?: string; tx?: number; conn: boolean }>();
    const all = new Promise<void>((resolve) =>
      source.on('advert', (a) => {
        got.set(a.addr, a);
        if (got.size === 3) resolve();
      }),
    );
    await source.start(PARAMS);
    await all;
    await source.close();
    expect(got.get('11:22:33:44:55:01')).toMatchObject({ name: 'AB', conn: false });
    expect(got.get('11:22:33:44:55:02')).toMatchObject({ tx: -12, conn: false });
    expect(got.get('11:22:33:44:55:03')).toMatchObject({ conn: false });
    expect(logs.filter((l) => !/^(debug|info) /.test(l))).toEqual([]);
    expect(spies.flatMap((s) => s.mock.calls)).toEqual([]);
  });

  it('reports an adapter that turns unauthorized as an error, without noble printing to the console', async () => {
    const spies = consoleSpies();
    let socket: EventEmitter | undefined;
    const source = new NobleSource({
      load: () => {
        const loaded = loadNobleWithFakeHci({ events, speed: 0, loop: true });
        socket = loaded.sockets[0];
        return loaded.noble;
      },
    });
    const failed = new Promise<SourceError>((resolve) => source.once('error', resolve));
    await source.start(PARAMS);
    socket!.emit('error', Object.assign(new Error('Operation not permitted'), { code: 'EPERM' }));
    expect((await failed).message).toMatch(/setcap|allow Bluetooth/);
    await source.close();
    expect(spies.flatMap((s) => s.mock.calls)).toEqual([]);
  });
});

// The whole contract, with the real noble code driven through the stand-in HCI socket.
describeSourceContract(
  'noble (real noble on a stand-in HCI socket)',
  async () => new NobleSource({ load: () => loadNobleWithFakeHci({ events, speed: 0, loop: true }).noble }),
  {
    failures: [
      {
        what: 'the kernel has no Bluetooth',
        make: async () =>
          new NobleSource({
            load: () => {
              throw Object.assign(new Error('EAFNOSUPPORT'), { code: 'EAFNOSUPPORT' });
            },
          }),
        code: 'no-kernel-bluetooth',
        message: /EAFNOSUPPORT/,
      },
    ],
  },
);
