import { describe, expect, it } from 'vitest';
import { applyBatch, newTable } from './device-table.ts';
import { csvCell, toCsv, toJson } from './export.ts';

describe('csv cells', () => {
  it.each([
    ['=1+1', `"'=1+1"`],
    ['+SUM(A1)', `"'+SUM(A1)"`],
    ['-2+3', `"'-2+3"`],
    ['@cmd', `"'@cmd"`],
    ['\t=x', `"'\u2409=x"`],
    ['\r=x', `"'\u240d=x"`],
    ['\n=x', `"'\u240a=x"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])('neutralises %j', (input, out) => expect(csvCell(input)).toBe(out));

  it('shows control and bidi characters instead of writing them raw', () => {
    expect(csvCell('Invoice\u202Efdp.exe')).toBe('"Invoice\\u202Efdp.exe"');
    expect(csvCell('nul\u0000byte\u001b[31mRED\u007f')).toBe('"nul\u2400byte\u241b[31mRED\u2421"');
    expect(csvCell('a\r\nb\u2066c\u0085')).toBe('"a\u240d\u240ab\\u2066c\\u0085"');
    expect(csvCell('\u202E=1+1')).toBe('"\\u202E=1+1"'); // no longer starts with "=" when shown
  });

  it('quotes text with commas and quotes and leaves numbers bare (a number is never a formula)', () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(-60)).toBe('-60');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
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
    iso: (u: number) => new Date(Date.UTC(2026, 11, 5, 14, 3) + u).toISOString(),
  };

  it('writes one neutralised row per device with its RSSI history', () => {
    const lines = toCsv(devs, ctx).split('\r\n');
    expect(lines[0]).toMatch(/^"address","type","name"/);
    expect(lines[1]).toContain(`"'=cmd|"" /C calc""!A0"`);
    expect(lines[1]).toContain(`"'@alias"`);
    expect(lines[1]).toMatch(
      /"Nearby Info",-60,,false,"Apple","2026-12-05T14:03:01.000Z","2026-12-05T14:03:01.000Z",1,,true,/,
    );
    // The history: one value per second, no padding before the first sighting.
    expect(lines[1]?.endsWith(',"\'-60"')).toBe(true);
    expect(lines[2]).toBe('');
  });

  it('writes control and bidi characters as escapes in both files, and JSON reads back the same strings', () => {
    const t2 = newTable();
    const name = 'evil\u202Egpj.exe\u0000\u001b\u007f\u0085\u2028\u2066x';
    applyBatch(t2, {
      type: 'batch',
      seq: 1,
      t: 1000,
      d: [
        {
          id: 2,
          addr: 'aa:bb:cc:dd:ee:01',
          addrType: 'public',
          rssi: -50,
          conn: true,
          name,
          first: 1000,
          last: 1000,
          count: 1,
        },
      ],
    });
    const d2 = [...t2.m.values()];
    const raw = /[\u0000-\u001f\u007f-\u009f\u2028\u202e\u2066]/;
    const csv = toCsv(d2, ctx);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(raw);
    expect(csv).toContain('"evil\\u202Egpj.exe\u2400\u241b\u2421\\u0085\\u2028\\u2066x"');
    const json = toJson(d2, ctx, { device: { model: 'x\u202e' } });
    expect(json.replace(/\n/g, '')).not.toMatch(raw);
    expect(json).toContain('"evil\\u202Egpj.exe\\u0000\\u001b\\u007F\\u0085\\u2028\\u2066x"');
    const back = JSON.parse(json);
    expect(back.devices[0].name).toBe(name);
    expect(back.device.model).toBe('x\u202e');
  });

  it('writes JSON with the records, aliases, pins and RSSI history', () => {
    const j = JSON.parse(toJson(devs, ctx, { epoch: 'e1' }));
    expect(j.epoch).toBe('e1');
    expect(j.devices[0]).toMatchObject({ addr: 'aa:bb:cc:dd:ee:ff', alias: '@alias', pinned: true });
    expect(j.devices[0].history).toHaveLength(60);
    expect(j.devices[0].history.at(-1)).toBe(-60);
  });
});
