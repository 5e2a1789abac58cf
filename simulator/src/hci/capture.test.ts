import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingSharedData, requireSharedData } from '@bleshark/shared-protocol/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendedReport, legacyReport } from './adv-reports.js';
import { writeBtsnoop } from './btsnoop.js';
import { CaptureError, describeCapture, parseCapture, readCapture, UNTIMED_GAP_MS } from './capture.js';

const VARIANTS = [
  ['hci/bumble_hci_data_001.h4.bin', 'h4', false, { acl: 17, events: 73 }],
  ['hci/bumble_hci_data_001.le_adv_reports.btsnoop', 'btsnoop', false, { acl: 0, events: 0 }],
  ['hci/bumble_hci_data_001.as_ext_adv_reports.btsnoop', 'btsnoop', true, { acl: 0, events: 0 }],
  ['hci/bumble_hci_data_001.as_ext_adv_reports.h4.bin', 'h4', true, { acl: 0, events: 0 }],
] as const;

describe('readCapture on the real bumble captures', () => {
  for (const [rel, format, extended, skipped] of VARIANTS) {
    const file = requireSharedData(rel);
    it.skipIf(!file)(file ? `finds the 28 reports in ${rel}` : missingSharedData(rel), async () => {
      const c = await readCapture(file!);
      expect(c.format).toBe(format);
      expect(c.extended).toBe(extended);
      expect(c.events).toHaveLength(28);
      expect(c.reports).toEqual(extended ? { legacy: 0, extended: 28 } : { legacy: 28, extended: 0 });
      expect(c.skipped).toMatchObject({ ...skipped, commands: 0, malformed: 0, other: 0 });
      expect(c.timestamps).toBe(format === 'h4' ? 'synthetic' : 'recorded');
      if (format === 'h4') expect(c.events[1]!.ts - c.events[0]!.ts).toBeGreaterThanOrEqual(UNTIMED_GAP_MS);
      expect(describeCapture(c)).toMatch(/28 advertising reports/);
    });
  }
});

const report = (i: number) =>
  legacyReport({
    type: 0,
    addrType: 1,
    addr: `11:22:33:44:55:${(i + 16).toString(16)}`,
    data: Uint8Array.from([2, 1, 6]),
    rssi: -50,
  });
const acl = Uint8Array.from([2, 0x40, 0x20, 4, 0, 0, 0, 4, 0]);
const command = Uint8Array.from([1, 0x0c, 0x20, 2, 1, 0]);
const complete = Uint8Array.from([4, 0x0e, 4, 1, 0x0c, 0x20, 0]);
const sco = Uint8Array.from([3, 1, 0, 1, 0x55]);

describe('parseCapture', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bleshark-capture-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('replays only advertising reports and counts ACL, commands, other events and SCO', () => {
    const bytes = writeBtsnoop(
      [report(0), acl, command, complete, sco, report(1)].map((b, i) => ({ bytes: b, ts: i * 5 })),
    );
    const c = parseCapture(bytes);
    expect(c.events.map((e) => [e.record, e.ts])).toEqual([
      [1, 0],
      [6, 25],
    ]);
    expect(c.skipped).toEqual({ acl: 1, commands: 1, events: 1, malformed: 0, other: 1 });
    expect(describeCapture(c)).toBe(
      'btsnoop (datalink 1002): 2 advertising reports (legacy); skipped 1 ACL, 1 commands, 1 other events, 0 malformed reports, 1 other records',
    );
  });

  it('sniffs a raw H4 stream and reads extended reports with 200+ bytes of data', () => {
    const long = extendedReport({
      type: 0x01,
      addrType: 1,
      addr: '11:22:33:44:55:66',
      data: new Uint8Array(229).fill(7),
      rssi: -60,
    });
    const c = parseCapture(Uint8Array.from([...long, ...report(0)]));
    expect(c.format).toBe('h4');
    expect(c.reports).toEqual({ legacy: 1, extended: 1 });
    expect(c.extended).toBe(true);
    expect(c.events[0]!.bytes).toEqual(long);
  });

  it('fails on a truncated btsnoop record with its record number and byte offset', async () => {
    const bytes = writeBtsnoop([report(0), report(1), report(2)].map((b) => ({ bytes: b })));
    const file = join(dir, 'cut.btsnoop');
    await writeFile(file, bytes.subarray(0, bytes.length - 5));
    const err = await readCapture(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).record).toBe(3);
    expect((err as CaptureError).offset).toBe(16 + 2 * (24 + report(0).length));
    expect((err as Error).message).toBe(`${file}: record 3 at byte 100: record claims 18 bytes, 13 remain`);
  });

  it('in lenient mode stops at the damage and keeps what came before', () => {
    const bytes = Uint8Array.from([...report(0), ...report(1), 0x04, 0x3e, 0x30, 0x02]);
    expect(() => parseCapture(bytes)).toThrow(
      /record 3 at byte 36: event declares 48 parameter bytes, 1 remain/,
    );
    const c = parseCapture(bytes, { lenient: true });
    expect(c.events).toHaveLength(2);
    expect(c.damage).toEqual({
      record: 3,
      offset: 36,
      message: 'event declares 48 parameter bytes, 1 remain',
    });
    expect(describeCapture(c)).toMatch(/stopped at record 3, byte 36/);
  });

  it('counts reports whose data length runs past the event as malformed', () => {
    const bad = report(0);
    bad[13] = 40;
    const c = parseCapture(writeBtsnoop([{ bytes: bad }, { bytes: report(1) }]));
    expect(c.events).toHaveLength(1);
    expect(c.skipped.malformed).toBe(1);
  });

  it('refuses files that are neither btsnoop nor H4, and empty files, naming the problem', () => {
    expect(() => parseCapture(new TextEncoder().encode('hello'), { name: 'x.txt' })).toThrow(
      /x\.txt: record 1 at byte 0: unknown type 0x68 .*not a btsnoop file either/,
    );
    expect(() => parseCapture(new Uint8Array(0))).toThrow(/file header at byte 0: empty file/);
    const header = writeBtsnoop([]);
    header[15] = 0xff; // datalink 0x3ff = 1023
    expect(() => parseCapture(header)).toThrow(
      /file header at byte 0: btsnoop datalink 1023 is not supported/,
    );
  });
});
