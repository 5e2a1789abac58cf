// The run-time patches of noble-patch.ts against the installed @abandonware/noble: the internals they rely
// on are still there (else these fail loudly, naming what changed), noble still needs them, and with them
// the real noble code delivers what the device would.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EVT_LE_META,
  extendedReport,
  LE_EXTENDED_ADVERTISING_REPORT,
  legacyReport,
} from '../hci/adv-reports.js';
import type { CaptureEvent } from '../hci/capture.js';
import { loadNobleWithFakeHci } from '../hci/install-fake-hci.js';
import { NobleDriver } from './noble-driver.js';
import type { NobleInstance } from './noble-instance.js';
import { nobleInternalProblems, nobleSafeAd, patchNoble } from './noble-patch.js';

type Gap = {
  parseServices(address: string, eir: Buffer, previous: boolean, type: number, tx?: number): unknown;
  onHciLeAdvertisingReport(s: number, type: number, a: string, t: string, eir: Buffer, rssi: number): void;
  on(event: 'discover', fn: (...args: unknown[]) => void): void;
};
type Internals = { _hci: Record<string, unknown> & NodeJS.EventEmitter; _gap: Gap; _state: unknown };
type Found = { address: string; connectable: unknown; name?: string; tx?: number; svc: unknown[] };

const ADV_IND = 0x00;
const ADV_DIRECT_IND = 0x01;
const ADV_SCAN_IND = 0x02;
const ADV_NONCONN_IND = 0x03;
const SCAN_RSP = 0x04;
const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');
const addr = (i: number) => `c0:00:00:00:00:${i.toString(16).padStart(2, '0')}`;
const legacy = (i: number, type: number, data: string) =>
  legacyReport({ type, addrType: 1, addr: addr(i), data: hex(data), rssi: -40 - i });
const internals = (noble: NobleInstance) => noble._bindings as unknown as Internals;
const asEvents = (packets: Uint8Array[]): CaptureEvent[] =>
  packets.map((bytes, i) => ({ ts: i, record: i + 1, bytes }));

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
  vi.restoreAllMocks();
});

/** noble's bindings add SIGINT/exit handlers on init; the driver removes them, bare nobles do it here. */
function dropProcessListeners(before: Record<'SIGINT' | 'exit', unknown[]>): void {
  for (const event of ['SIGINT', 'exit'] as const)
    for (const l of process.listeners(event as 'exit'))
      if (!before[event].includes(l)) process.off(event as 'exit', l);
}

/** A fresh real noble on the stand-in socket (not patched), powered on. */
async function freshNoble(packets: Uint8Array[] = [], extended = false) {
  let ended!: () => void;
  const end = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const loaded = loadNobleWithFakeHci({
    events: asEvents(packets),
    speed: 0,
    extended,
    onEnd: () => ended(),
  });
  const before = { SIGINT: process.listeners('SIGINT'), exit: process.listeners('exit') };
  cleanup.push(() => {
    loaded.sockets[0]!.stop();
    dropProcessListeners(before);
  });
  return { ...loaded, end };
}

async function powerOn(noble: NobleInstance): Promise<void> {
  noble.on('warning', () => {});
  await new Promise<void>((resolve) => {
    noble.on('stateChange', (s: string) => s === 'poweredOn' && resolve());
    void noble.state;
  });
}

/** Scans the packets through a patched noble; every discover, in order. */
async function scanPatched(packets: Uint8Array[], logs: string[] = [], extended = false): Promise<Found[]> {
  const { noble, end } = await freshNoble(packets, extended);
  const patch = patchNoble(noble, (level, m) => logs.push(`${level} ${m}`));
  cleanup.push(() => patch.release({ stopPolling: true }));
  expect(patch.problems).toEqual([]);
  const found: Found[] = [];
  noble.on(
    'discover',
    (p: { address: string; connectable: unknown; advertisement: Record<string, unknown> }) =>
      found.push({
        address: p.address,
        connectable: p.connectable,
        name: p.advertisement.localName as string | undefined,
        tx: p.advertisement.txPowerLevel as number | undefined,
        svc: [...(p.advertisement.serviceData as unknown[])],
      }),
  );
  await powerOn(noble);
  noble.startScanning([], true);
  await end;
  return found;
}

describe("noble's internals the patches rely on", () => {
  it('are all there in the installed noble (if this fails, re-read noble-patch.ts against the new noble)', async () => {
    const { noble } = await freshNoble();
    expect(nobleInternalProblems(noble)).toEqual([]);
  });

  it('still need patching: noble throws on `01 0a` / `01 16` and counts ADV_SCAN_IND as connectable', async () => {
    const { noble } = await freshNoble();
    const gap = internals(noble)._gap;
    expect(() => gap.parseServices(addr(1), hex('010a'), false, ADV_NONCONN_IND)).toThrow(RangeError);
    expect(() => gap.parseServices(addr(2), hex('0116'), false, ADV_NONCONN_IND)).toThrow(TypeError);
    const connectable: unknown[] = [];
    gap.on('discover', (...args) => connectable.push(args[3]));
    gap.onHciLeAdvertisingReport(0, ADV_SCAN_IND, addr(3), 'random', hex('020106'), -50);
    expect(connectable).toEqual([]); // held back as connectable, waiting for a scan response
    gap.onHciLeAdvertisingReport(0, ADV_SCAN_IND, addr(3), 'random', hex('020106'), -50);
    expect(connectable).toEqual([true]);
  });

  it('names what changed, and then patches nothing but the poll timer', async () => {
    const { noble } = await freshNoble();
    const { _hci: hci } = internals(noble);
    hci.processLeAdvertisingReport = (_data: Buffer) => {};
    hci.removeAllListeners('leExtendedAdvertisingReport');
    expect(nobleInternalProblems(noble)).toEqual([
      'hci.processLeAdvertisingReport takes 1 parameters, not 2',
    ]);
    hci.processLeAdvertisingReport = (_count: number, _data: Buffer) => {};
    expect(nobleInternalProblems(noble)).toEqual([
      "the Gap does not listen to the Hci's leExtendedAdvertisingReport with onHciLeExtendedAdvertisingReport",
    ]);
    const logs: string[] = [];
    const driver = new NobleDriver(noble, {
      log: (level, m) => logs.push(`${level} ${m}`),
      disposable: true,
    });
    cleanup.push(() => void driver.close());
    expect(logs).toEqual([
      expect.stringMatching(/^warn noble: its internals changed \(the Gap does not listen/),
    ]);
    expect(hci.listenerCount('leAdvertisingReport')).toBe(2); // the Gap's own and the driver's tap
  });

  it('are undefined for bindings other than hci-socket (macOS, Windows): nothing is patched', () => {
    const noble = { _bindings: {} } as unknown as NobleInstance;
    expect(nobleInternalProblems(noble)).toBeUndefined();
    expect(patchNoble(noble).applies).toBe(false);
  });
});

describe('nobleSafeAd', () => {
  it('leaves out structures too short for noble, as parseAdvertisement ignores them', () => {
    expect(nobleSafeAd(hex('020106 010a 0309 4142'))).toEqual(hex('020106 03094142'));
    expect(nobleSafeAd(hex('0116 02160d 03160d18 0120 0121 01ff 0109'))).toEqual(hex('03160d18'));
    expect(nobleSafeAd(hex('00 020106 0000'))).toEqual(hex('020106'));
    expect(nobleSafeAd(hex('020106 0509414243'))).toEqual(hex('020106'));
  });

  it('returns the same buffer when nothing is left out', () => {
    const eir = hex('020106 020a04 03160d18');
    expect(nobleSafeAd(eir)).toBe(eir);
  });
});

describe('a patched noble on the stand-in socket', () => {
  it('delivers adverts with one-byte AD structures, the fields around them intact', async () => {
    const warn = vi.spyOn(console, 'warn');
    const found = await scanPatched([
      legacy(1, ADV_NONCONN_IND, '020106 010a 0509 4e616e6f'),
      legacy(2, ADV_NONCONN_IND, '0116 020a f4'),
      legacy(3, ADV_NONCONN_IND, '0120 0121 05160d18 aabb'),
    ]);
    expect(found).toEqual([
      { address: addr(1), connectable: false, name: 'Nano', tx: undefined, svc: [] },
      { address: addr(2), connectable: false, name: undefined, tx: -12, svc: [] },
      {
        address: addr(3),
        connectable: false,
        name: undefined,
        tx: undefined,
        svc: [{ uuid: '180d', data: hex('aabb') }],
      },
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('also in extended reports', async () => {
    const found = await scanPatched(
      [
        extendedReport({
          type: 0x10,
          addrType: 1,
          addr: addr(7),
          data: hex('010a 0116 0309 4142'),
          rssi: -70,
        }),
      ],
      [],
      true,
    );
    expect(found.map(({ address, name }) => ({ address, name }))).toEqual([{ address: addr(7), name: 'AB' }]);
  });

  it('reports connectable only for ADV_IND and ADV_DIRECT_IND; a scan response keeps its advert’s', async () => {
    const found = await scanPatched([
      legacy(1, ADV_IND, '020106'),
      legacy(1, SCAN_RSP, '0309 4142'),
      legacy(2, ADV_DIRECT_IND, ''),
      legacy(2, ADV_DIRECT_IND, ''),
      legacy(3, ADV_SCAN_IND, '020106'),
      legacy(3, SCAN_RSP, '0309 4344'),
      legacy(4, ADV_NONCONN_IND, '020106'),
    ]);
    expect(found.map((f) => [f.address, f.connectable])).toEqual([
      [addr(1), true], // noble waits for the scan response of a connectable device
      [addr(2), true], // ... or for its second advert
      [addr(3), false], // ADV_SCAN_IND at once, as not connectable
      [addr(3), false],
      [addr(4), false],
    ]);
  });

  it('splits an event with several extended reports instead of gluing the second onto the first', async () => {
    const { noble, sockets } = await freshNoble([], true);
    const patch = patchNoble(noble);
    cleanup.push(() => patch.release({ stopPolling: true }));
    const eirs: string[] = [];
    internals(noble)._hci.prependListener('leExtendedAdvertisingReport', (...args: unknown[]) =>
      eirs.push((args[6] as Buffer).toString('hex')),
    );
    await powerOn(noble);
    noble.startScanning([], true);
    await new Promise<void>((resolve) => noble.once('scanStart', () => resolve()));
    const a = extendedReport({ type: 0x10, addrType: 1, addr: addr(1), data: hex('0209 41'), rssi: -50 });
    const b = extendedReport({ type: 0x10, addrType: 1, addr: addr(2), data: hex('0209 42'), rssi: -51 });
    const body = [...a.subarray(5), ...b.subarray(5)];
    sockets[0]!.emit(
      'data',
      Buffer.from([0x04, EVT_LE_META, 2 + body.length, LE_EXTENDED_ADVERTISING_REPORT, 2, ...body]),
    );
    expect(eirs).toEqual(['020941', '020942']);
  });

  it('logs malformed reports and throwing listeners through the log, never the console', async () => {
    const spies = (['log', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m));
    const { noble, sockets } = await freshNoble();
    const logs: string[] = [];
    const patch = patchNoble(noble, (level, m) => logs.push(`${level} ${m}`));
    cleanup.push(() => patch.release({ stopPolling: true }));
    await powerOn(noble);
    noble.startScanning([], true);
    await new Promise<void>((resolve) => noble.once('scanStart', () => resolve()));
    const good = legacy(1, ADV_NONCONN_IND, '020106');
    const cut = Buffer.from(good.subarray(0, good.length - 2));
    cut[2] = cut.length - 3; // a consistent event whose report claims more data than it holds
    sockets[0]!.emit('data', cut);
    sockets[0]!.emit('data', cut);
    noble.once('discover', () => {
      throw new Error('listener bug');
    });
    sockets[0]!.emit('data', Buffer.from(good));
    expect(logs).toEqual([
      'warn noble: dropped 1 advertising report(s) whose lengths run past the event (repeats are logged at debug level)',
      'debug noble: dropped 1 advertising report(s) whose lengths run past the event',
      'warn noble: a discovery failed: listener bug (repeats are logged at debug level)',
    ]);
    internals(noble)._hci.emit('stateChange', 'unauthorized');
    expect(noble.state).toBe('unauthorized');
    expect(logs.at(-1)).toBe('debug noble: adapter state unauthorized');
    patch.release();
    sockets[0]!.emit('data', cut);
    expect(logs).toHaveLength(4);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
