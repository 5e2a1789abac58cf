import { describe, expect, it } from 'vitest';
import { addNames, companyName, serviceName } from './names.ts';

describe('names', () => {
  it('knows the companies the filters hide without names.json', () => {
    expect(companyName(0x4c)).toBe('Apple');
    expect(companyName(6)).toBe('Microsoft');
    expect(companyName(0xffff)).toBeUndefined();
  });

  it('adds the tables of names.json', () => {
    addNames({ c: { 89: 'Nordic Semiconductor ASA' }, s: { '1812': 'Human Interface Device' } });
    expect(companyName(0x59)).toBe('Nordic Semiconductor ASA');
    expect(serviceName('1812')).toBe('Human Interface Device');
    expect(serviceName('feaa')).toBeUndefined(); // built into decode.js, not the page
  });
});
