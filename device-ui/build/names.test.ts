import { describe, expect, it } from 'vitest';
import { buildNames } from './names.ts';

describe('names.json', () => {
  it('is a deterministic function of the assigned-numbers files', () => {
    const companies = [
      { code: 76, name: ' Apple, Inc. ' },
      { code: 6, name: 'Microsoft' },
      { code: 70000, name: 'out of range' },
      { code: 7, name: '' },
    ];
    const services = [
      { uuid: '180F', name: 'Battery' },
      { uuid: '1800', name: 'Generic Access' },
      { uuid: '0000fe2c-0000-1000-8000-00805f9b34fb', name: 'long form is skipped' },
    ];
    const a = buildNames(companies, services);
    expect(a).toEqual({
      c: { 6: 'Microsoft', 76: 'Apple, Inc.' },
      s: { 1800: 'Generic Access', '180f': 'Battery' },
    });
    expect(JSON.stringify(buildNames([...companies].reverse(), [...services].reverse()))).toBe(
      JSON.stringify(a),
    );
  });
});
