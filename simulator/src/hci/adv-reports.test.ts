import { describe, expect, it } from 'vitest';
import {
  EVT_LE_META,
  extendedReport,
  isAdvertisingReport,
  LE_ADVERTISING_REPORT,
  legacyReport,
  splitAdvertisingReports,
  splitReports,
} from './adv-reports.js';

const data = (n: number, fill = 0xaa) => new Uint8Array(n).fill(fill);
const a = legacyReport({ type: 0, addrType: 1, addr: '11:22:33:44:55:66', data: data(3), rssi: -40 });
const b = legacyReport({ type: 4, addrType: 0, addr: 'aa:bb:cc:dd:ee:ff', data: data(0), rssi: -90 });

/** One event holding the reports of single-report events (interleaved, as Linux and noble read it). */
function joined(...events: Uint8Array[]): Uint8Array {
  const reports = events.map((e) => e.subarray(5));
  const size = reports.reduce((n, r) => n + r.length, 0);
  return Uint8Array.from([
    4,
    EVT_LE_META,
    2 + size,
    events[0]![3]!,
    events.length,
    ...reports.flatMap((r) => [...r]),
  ]);
}

describe('splitAdvertisingReports', () => {
  it('builds single-report events whose bytes read back as the same report', () => {
    expect(Array.from(a)).toEqual([
      4, 0x3e, 15, 2, 1, 0, 1, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 3, 0xaa, 0xaa, 0xaa, 216,
    ]);
    expect(isAdvertisingReport(a)).toBe(true);
    expect(splitAdvertisingReports(a)).toEqual({ events: [a], malformed: 0 });
  });

  it('splits a legacy event with two reports into two events', () => {
    expect(splitAdvertisingReports(joined(a, b))).toEqual({ events: [a, b], malformed: 0 });
  });

  it('splits an extended event with two reports (noble would glue the second onto the first)', () => {
    const x = extendedReport({
      type: 0x13,
      addrType: 1,
      addr: '11:22:33:44:55:66',
      data: data(200),
      rssi: -50,
    });
    const y = extendedReport({
      type: 0x1b,
      addrType: 1,
      addr: '11:22:33:44:55:66',
      data: data(5, 1),
      rssi: -51,
    });
    expect(x[3]).toBe(0x0d);
    expect(x[28]).toBe(200);
    const both = Uint8Array.from([4, 0x3e, 2 + 224 + 29, 0x0d, 2, ...x.subarray(5), ...y.subarray(5)]);
    expect(both.length).toBe(258);
    expect(splitAdvertisingReports(both)).toEqual({ events: [x, y], malformed: 0 });
  });

  it('keeps the reports before one whose data length runs past the event, and counts the rest', () => {
    const bad = joined(a, b);
    bad[4] = 3;
    expect(splitAdvertisingReports(bad)).toEqual({ events: [a, b], malformed: 1 });
    const long = Uint8Array.from(a);
    long[13] = 200;
    expect(splitAdvertisingReports(long)).toEqual({ events: [], malformed: 1 });
  });

  it('counts leftover bytes and a wrong parameter length as malformed', () => {
    const tail = Uint8Array.from([...a, 0x99]);
    tail[2]! += 1;
    expect(splitAdvertisingReports(tail)).toEqual({ events: [a], malformed: 1 });
    const wrong = Uint8Array.from(a);
    wrong[2] = 99;
    expect(splitAdvertisingReports(wrong)).toEqual({ events: [], malformed: 1 });
  });

  it('ignores LE Meta events that are not advertising reports', () => {
    const conn = Uint8Array.from([4, 0x3e, 3, 0x01, 0, 0]);
    expect(isAdvertisingReport(conn)).toBe(false);
    expect(isAdvertisingReport(Uint8Array.from([4, 0x0e, 1, 1]))).toBe(false);
    expect(LE_ADVERTISING_REPORT).toBe(2);
  });
});

describe('splitReports', () => {
  it("returns each report's bytes as a view of the body, as noble reads them", () => {
    const body = joined(a, b).subarray(5);
    const { reports, malformed } = splitReports(LE_ADVERTISING_REPORT, 2, body);
    expect(reports).toEqual([a.subarray(5), b.subarray(5)]);
    expect(reports[0]!.buffer).toBe(body.buffer);
    expect(malformed).toBe(0);
  });

  it('counts reports past the body, leftover bytes and unknown subevents as malformed', () => {
    const body = joined(a, b).subarray(5);
    expect(splitReports(LE_ADVERTISING_REPORT, 3, body)).toEqual({
      reports: [a.subarray(5), b.subarray(5)],
      malformed: 1,
    });
    expect(splitReports(LE_ADVERTISING_REPORT, 1, body)).toEqual({ reports: [a.subarray(5)], malformed: 1 });
    expect(splitReports(0x01, 1, body)).toEqual({ reports: [], malformed: 1 });
  });
});
