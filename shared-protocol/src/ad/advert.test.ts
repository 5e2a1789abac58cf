import { describe, expect, it } from 'vitest';
import { check } from '../schema.js';
import { advertFieldSchemas, clampTo, isRealAddress, patternOf, required } from './advert.js';

describe('advertFieldSchemas', () => {
  it("are the device record's own field rules without the table's bookkeeping", () => {
    expect(Object.keys(advertFieldSchemas).sort()).toEqual(
      ['addr', 'addrType', 'adv', 'conn', 'mfr', 'name', 'rsp', 'rssi', 'svc', 'tx', 'uuids'].sort(),
    );
    expect(check(advertFieldSchemas.addr, 'aa:bb:cc:dd:ee:ff')).toBeUndefined();
    expect(check(advertFieldSchemas.addr, 'a b')).toBeDefined();
    expect(check(advertFieldSchemas.name, undefined)).toBeUndefined();
  });

  it('give a present value its rule, its pattern and its range', () => {
    expect(required(advertFieldSchemas.tx).k).toBe('int');
    expect(patternOf(advertFieldSchemas.adv).test('0a1b')).toBe(true);
    expect(patternOf(advertFieldSchemas.adv).test('0A1')).toBe(false);
    expect(clampTo(advertFieldSchemas.rssi, -300)).toBe(-127);
    expect(clampTo(advertFieldSchemas.rssi, 40.4)).toBe(20);
    expect(clampTo(advertFieldSchemas.tx, 200)).toBe(127);
  });
});

describe('isRealAddress', () => {
  it('accepts a lowercase aa:bb:cc:dd:ee:ff address only', () => {
    expect(isRealAddress('aa:bb:cc:dd:ee:ff')).toBe(true);
    expect(isRealAddress('AA:BB:CC:DD:EE:FF')).toBe(false);
    expect(isRealAddress('opaque-id')).toBe(false);
  });
});
