import { describe, expect, it } from 'vitest';
import * as decoders from '../decode.ts';
import { addNames, companyName, type Names, serviceName } from './names.ts';
import { S } from './store.ts';

describe('names', () => {
  it('has no names of its own: ids stay ids without names.json and decode.js', () => {
    S.dec = undefined;
    expect(companyName(0x4c)).toBeUndefined();
    expect(serviceName('feaa')).toBeUndefined();
  });

  it("knows shared-protocol's built-in names (the companies the filters hide, the decoders' services) once decode.js is loaded", () => {
    S.dec = decoders;
    expect(companyName(0x4c)).toBe('Apple');
    expect(companyName(6)).toBe('Microsoft');
    expect(companyName(0xffff)).toBeUndefined();
    expect(serviceName('feaa')).toBe('Eddystone');
  });

  it('adds the tables of names.json, which come first', () => {
    addNames({
      c: { 76: 'Apple, Inc.', 89: 'Nordic Semiconductor ASA' },
      s: { '1812': 'Human Interface Device' },
    });
    expect(companyName(0x59)).toBe('Nordic Semiconductor ASA');
    expect(companyName(0x4c)).toBe('Apple, Inc.');
    expect(serviceName('1812')).toBe('Human Interface Device');
    expect(serviceName('feaa')).toBe('Eddystone');
    addNames(null as unknown as Partial<Names>);
    expect(companyName(0x59)).toBeUndefined();
    expect(companyName(0x4c)).toBe('Apple');
    S.dec = undefined;
  });
});
