// Hostile captures, written by the tests themselves, replayed through the real noble: nothing crashes,
// every advert is valid and JSON-clean, names are valid UTF-8 text, and skipped records are counted.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advertProblems } from '../../test/source-contract.js';
import { extendedReport, legacyReport } from '../hci/adv-reports.js';
import { writeBtsnoop } from '../hci/btsnoop.js';
import { HciReplaySource } from './hci-replay-source.js';
import type { Advertisement, ScanParams } from './scan-source.js';

const PARAMS: ScanParams = { mode: 'active', interval: 100, window: 50, duplicates: true };
const ADV_IND = 0x00;
const ADV_SCAN_IND = 0x02;
const ADV_NONCONN_IND = 0x03;
const SCAN_RSP = 0x04;
const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');
const text = (s: string) => Buffer.from(s, 'utf8');
const ad = (type: number, data: Uint8Array) => Uint8Array.from([data.length + 1, type, ...data]);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const addr = (i: number) => `c0:00:00:00:00:${i.toString(16).padStart(2, '0')}`;
const report = (i: number, data: Uint8Array) =>
  legacyReport({ type: ADV_NONCONN_IND, addrType: 1, addr: addr(i), data, rssi: -40 - i });
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bleshark-hostile-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

/** Spies on every console method noble uses; `printed()` lists what reached the console. */
function watchConsole(): { printed: () => unknown[][] } {
  const spies = (['log', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m));
  return { printed: () => spies.flatMap((s) => s.mock.calls) };
}

async function play(
  name: string,
  bytes: Uint8Array,
  logs: string[] = [],
): Promise<Map<string, Advertisement>> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  const source = new HciReplaySource({ file, speed: 0, log: (level, m) => logs.push(`${level} ${m}`) });
  const got = new Map<string, Advertisement>();
  source.on('advert', (a) => got.set(a.addr, a));
  const ended = new Promise<void>((resolve) => source.once('end', resolve));
  await source.start(PARAMS);
  await ended;
  await source.close();
  for (const a of got.values()) {
    expect(advertProblems(a), JSON.stringify(a)).toBe('');
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    if (a.name !== undefined) expect(LONE_SURROGATE.test(a.name)).toBe(false);
  }
  return got;
}

describe('hci-replay of hostile captures', () => {
  it('survives AD lengths past the end and zero-length structures', async () => {
    const got = await play(
      'lengths.btsnoop',
      writeBtsnoop(
        [
          report(1, concat(hex('020106'), ad(0x09, text('OK')), hex('ff09414243'))), // last length runs past the end
          report(2, hex('1e09')), // a name that claims 29 bytes and has none
          report(3, concat(hex('020106'), ad(0x09, text('ABCD')), hex('000000'))), // zero padding at the end
          report(4, hex('0000020106')), // zero-length structures first
          report(5, new Uint8Array(0)), // no AD at all
        ].map((bytes) => ({ bytes })),
      ),
    );
    expect(got.size).toBe(5);
    expect(got.get(addr(1))!.name).toBe('OK');
    expect(got.get(addr(2))!.name).toBeUndefined();
    expect(got.get(addr(3))!.name).toBe('ABCD');
    expect(got.get(addr(3))!.adv).toBe('020106050941424344000000');
    expect(got.get(addr(5))!.adv).toBe('');
  });

  it('replaces invalid UTF-8 in names with U+FFFD and never passes the bytes through', async () => {
    const got = await play(
      'utf8.btsnoop',
      writeBtsnoop(
        [
          report(1, ad(0x09, hex('41 ff c3 42'))), // a stray byte, a lead byte without its continuation
          report(2, ad(0x09, hex('f0 9f 98'))), // a 4-byte sequence cut short
          report(3, ad(0x09, hex('ed a0 80 78'))), // an encoded surrogate
          report(4, ad(0x08, hex('c0 af'))), // an overlong '/'
        ].map((bytes) => ({ bytes })),
      ),
    );
    expect(got.get(addr(1))!.name).toBe('A\ufffd\ufffdB');
    expect(got.get(addr(2))!.name).toBe('\ufffd');
    expect(got.get(addr(3))!.name).toBe('\ufffd\ufffd\ufffdx');
    expect(got.get(addr(4))!.name).toBe('\ufffd\ufffd');
  });

  it('passes HTML and bidi characters in names through as text, JSON-valid', async () => {
    const html = '<img src=x onerror=alert(1)>';
    const bidi = '\u202egnp.exe\u2066x\u2069';
    const got = await play(
      'text.btsnoop',
      writeBtsnoop(
        [report(1, ad(0x09, text(html))), report(2, ad(0x09, text(bidi)))].map((bytes) => ({ bytes })),
      ),
    );
    expect(got.get(addr(1))!.name).toBe(html);
    expect(got.get(addr(2))!.name).toBe(bidi);
  });

  it('carries 31-byte advertising data and scan responses whole', async () => {
    const adv = concat(hex('020106'), ad(0x09, text('X'.repeat(26))));
    const rsp = ad(0xff, concat(hex('4c00'), new Uint8Array(27).fill(0xee)));
    expect([adv.length, rsp.length]).toEqual([31, 31]);
    const a = legacyReport({ type: 0x00, addrType: 0, addr: addr(1), data: adv, rssi: -30 });
    const r = legacyReport({ type: 0x04, addrType: 0, addr: addr(1), data: rsp, rssi: -31 });
    const got = (await play('max.btsnoop', writeBtsnoop([{ bytes: a }, { bytes: r }]))).get(addr(1))!;
    expect(got.name).toBe('X'.repeat(26));
    expect(got.mfr).toEqual([[0x004c, 'ee'.repeat(27)]]);
    expect(got.adv).toHaveLength(62);
    expect(got.rsp).toHaveLength(62);
    expect(got.rssi).toBe(-31);
  });

  it('carries extended reports with 229 bytes of data, long names and several manufacturer entries', async () => {
    const data = concat(
      ad(0x09, text('L'.repeat(99))),
      ad(0xff, concat(hex('5900'), new Uint8Array(60).fill(1))),
      ad(0xff, concat(hex('0600'), new Uint8Array(60).fill(2))),
    );
    expect(data.length).toBe(229);
    const bytes = extendedReport({ type: 0x00, addrType: 1, addr: addr(7), data, rssi: -70, tx: -10 });
    const got = (await play('long.h4', bytes)).get(addr(7))!;
    expect(got.name).toBe('L'.repeat(99));
    expect(got.mfr).toEqual([
      [0x0059, '01'.repeat(60)],
      [0x0006, '02'.repeat(60)],
    ]);
    expect(got.tx).toBe(-10);
    expect(got.adv).toHaveLength(458);
  });

  it('shows adverts with one-byte AD structures (`01 0a`, `01 16`) like the device, printing nothing', async () => {
    const console = watchConsole();
    const logs: string[] = [];
    const a = (i: number, type: number, data: string) =>
      legacyReport({ type, addrType: 1, addr: addr(i), data: hex(data), rssi: -40 - i });
    const got = await play(
      'one-byte.btsnoop',
      writeBtsnoop(
        [
          a(1, ADV_NONCONN_IND, '020106 010a 0509 4e616e6f'), // TX power without its byte, then a name
          a(2, ADV_NONCONN_IND, '0116 020a f4'), // service data without its UUID, then TX power
          a(3, ADV_IND, '0116 05ff 5900 0102'), // connectable: noble waits for the scan response
          a(3, SCAN_RSP, '010a 0309 4142'),
          a(4, ADV_NONCONN_IND, '010a'),
          a(5, ADV_NONCONN_IND, '0116'),
        ].map((bytes) => ({ bytes })),
      ),
      logs,
    );
    expect([...got.keys()]).toEqual([addr(1), addr(2), addr(3), addr(4), addr(5)]);
    expect(got.get(addr(1))).toMatchObject({ name: 'Nano', conn: false, adv: '020106010a05094e616e6f' });
    expect(got.get(addr(1))!.tx).toBeUndefined();
    expect(got.get(addr(2))).toMatchObject({ tx: -12, adv: '0116020af4' });
    expect(got.get(addr(2))!.svc).toBeUndefined();
    expect(got.get(addr(3))).toMatchObject({
      name: 'AB',
      conn: true,
      mfr: [[0x59, '0102']],
      rsp: '010a03094142',
    });
    expect(got.get(addr(4))).toMatchObject({ adv: '010a', conn: false });
    expect(got.get(addr(5))).toMatchObject({ adv: '0116', conn: false });
    expect(logs.filter((l) => !/^(debug|info) /.test(l))).toEqual([]);
    expect(console.printed()).toEqual([]);
  });

  it('shows the same in extended reports', async () => {
    const console = watchConsole();
    const data = hex('010a 0116 0309 4142');
    const got = await play(
      'one-byte-ext.h4',
      extendedReport({ type: 0x10, addrType: 1, addr: addr(6), data, rssi: -60, tx: -10 }),
    );
    expect(got.get(addr(6))).toMatchObject({ name: 'AB', tx: -10, conn: false, adv: '010a011603094142' });
    expect(console.printed()).toEqual([]);
  });

  it('reports ADV_SCAN_IND as not connectable, and at once (legacy and extended)', async () => {
    const legacyScannable = (i: number) =>
      legacyReport({
        type: ADV_SCAN_IND,
        addrType: 0,
        addr: addr(i),
        data: hex('020106 0309 4142'),
        rssi: -50,
      });
    const legacyGot = await play(
      'scannable.btsnoop',
      writeBtsnoop(
        [
          legacyScannable(1), // heard once, no scan response: the device still shows it
          legacyScannable(2),
          legacyReport({ type: SCAN_RSP, addrType: 0, addr: addr(2), data: hex('0309 4344'), rssi: -51 }),
          legacyReport({ type: ADV_IND, addrType: 0, addr: addr(3), data: hex('020106'), rssi: -52 }),
          legacyReport({ type: ADV_IND, addrType: 0, addr: addr(3), data: hex('020106'), rssi: -52 }),
        ].map((bytes) => ({ bytes })),
      ),
    );
    expect([...legacyGot.values()].map((a) => [a.addr, a.conn, a.rsp])).toEqual([
      [addr(1), false, undefined],
      [addr(2), false, '03094344'], // the scan response keeps its advert's `conn`
      [addr(3), true, undefined],
    ]);
    // Extended event types for legacy PDUs: 0x12 ADV_SCAN_IND, 0x1a its scan response, 0x13 ADV_IND.
    const ext = (i: number, type: number, data: string) =>
      extendedReport({ type, addrType: 0, addr: addr(i), data: hex(data), rssi: -60 });
    const extendedGot = await play(
      'scannable-ext.h4',
      Uint8Array.from([
        ...ext(4, 0x12, '0309 4142'),
        ...ext(4, 0x1a, ''),
        ...ext(5, 0x13, ''),
        ...ext(5, 0x13, ''),
      ]),
    );
    expect([...extendedGot.values()].map((a) => [a.addr, a.conn])).toEqual([
      [addr(4), false],
      [addr(5), true],
    ]);
  });

  it('rejects a truncated capture with the record number, or plays up to it when lenient', async () => {
    const bytes = writeBtsnoop(
      [report(1, hex('020106')), report(2, hex('020106'))].map((b) => ({ bytes: b })),
    );
    const file = join(dir, 'cut.btsnoop');
    await writeFile(file, bytes.subarray(0, bytes.length - 4));
    const source = new HciReplaySource({ file, speed: 0 });
    await expect(source.start(PARAMS)).rejects.toMatchObject({
      code: 'bad-capture',
      message: expect.stringMatching(/record 2 at byte 58: record claims 18 bytes, 14 remain/),
    });
    await source.close();
    const lenient = new HciReplaySource({ file, speed: 0, lenient: true });
    const got: Advertisement[] = [];
    lenient.on('advert', (a) => got.push(a));
    const ended = new Promise<void>((resolve) => lenient.once('end', resolve));
    await lenient.start(PARAMS);
    await ended;
    await lenient.close();
    expect(got.map((a) => a.addr)).toEqual([addr(1)]);
  });

  it('skips ACL, commands and other events, and reports the counts in its log', async () => {
    const logs: string[] = [];
    const packets = [
      Uint8Array.from([2, 0x40, 0x20, 4, 0, 0, 0, 4, 0]),
      Uint8Array.from([1, 0x0c, 0x20, 2, 1, 0]),
      Uint8Array.from([4, 0x0e, 4, 1, 0x0c, 0x20, 0]),
      Uint8Array.from([4, 0x3e, 3, 0x01, 0, 0]),
      report(1, hex('020106')),
    ];
    const got = await play('mixed.btsnoop', writeBtsnoop(packets.map((bytes) => ({ bytes }))), logs);
    expect(got.size).toBe(1);
    expect(logs.find((l) => l.startsWith('info hci-replay'))).toMatch(
      /1 advertising reports \(legacy\); skipped 1 ACL, 1 commands, 2 other events, 0 malformed reports, 0 other records/,
    );
  });
});
