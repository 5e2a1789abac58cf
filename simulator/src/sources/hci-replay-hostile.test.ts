// Hostile captures, written by the tests themselves, replayed through the real noble: nothing crashes,
// every advert is valid and JSON-clean, names are valid UTF-8 text, and skipped records are counted.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendedReport, legacyReport } from '../hci/adv-reports.js';
import { writeBtsnoop } from '../hci/btsnoop.js';
import { HciReplaySource } from './hci-replay-source.js';
import type { Advertisement, ScanParams } from './scan-source.js';
import { advertProblems } from './source-contract.js';

const PARAMS: ScanParams = { mode: 'active', interval: 100, window: 50, duplicates: true };
const ADV_NONCONN_IND = 0x03;
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
