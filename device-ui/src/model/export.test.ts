import { describe, expect, it } from 'vitest';
import { applyBatch, newTable } from './device-table.ts';
import { csvCell, toCsv, toJson } from './export.ts';

describe('csv cells', () => {
  it.each([
    ['=1+1', `"'=1+1"`],
    ['+SUM(A1)', `"'+SUM(A1)"`],
    ['-2+3', `"'-2+3"`],
    ['@cmd', `"'@cmd"`],
    ['\t=x', `"'\t=x"`],
    ['\r=x', `"'\r=x"`],
    ['\n=x', `"'\n=x"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])('neutralises %j', (input, out) => expect(csvCell(input)).toBe(out));

  it('quotes text with commas and quotes and leaves numbers bare (a number is never a formula)', () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(-60)).toBe('-60');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('"true"');
  });
});

describe('export', () => {
  const t = newTable();
  applyBatch(t, {
    type: 'batch',
    seq: 1,
    t: 1000,
    d: [
      {
        id: 1,
        addr: 'aa:bb:cc:dd:ee:ff',
        addrType: 'random',
        rssi: -60,
        conn: false,
        name: '=cmd|" /C calc"!A0',
        mfr: [[76, '1005']],
        first: 1000,
        last: 1000,
        count: 1,
      },
    ],
  });
  const devs = [...t.m.values()];
  const ctx = {
    alias: () => '@alias',
    pinned: () => true,
    label: () => 'Nearby Info',
    company: (id: number) => (id === 76 ? 'Apple' : undefined),
  };

  it('writes one neutralised row per device with its RSSI history', () => {
    const lines = toCsv(devs, ctx).split('\r\n');
    expect(lines[0]).toMatch(/^"address","type","name"/);
    expect(lines[1]).toContain(`"'=cmd|"" /C calc""!A0"`);
    expect(lines[1]).toContain(`"'@alias"`);
    expect(lines[1]).toMatch(/"Nearby Info",-60,,"false",/);
    expect(lines[1]?.endsWith(' -60"')).toBe(true);
    expect(lines[2]).toBe('');
  });

  it('writes JSON with the records, aliases, pins and RSSI history', () => {
    const j = JSON.parse(toJson(devs, ctx, { epoch: 'e1' }));
    expect(j.epoch).toBe('e1');
    expect(j.devices[0]).toMatchObject({ addr: 'aa:bb:cc:dd:ee:ff', alias: '@alias', pinned: true });
    expect(j.devices[0].history).toHaveLength(60);
    expect(j.devices[0].history.at(-1)).toBe(-60);
  });
});
