import { describe, expect, it } from 'vitest';
import { normalizeUuid, shortUuid, toLongUuid, uuidFromLe } from './uuid.js';

const LONG = '0000180f-0000-1000-8000-00805f9b34fb';

describe('uuid', () => {
  it('reads 16-, 32- and 128-bit UUIDs little-endian', () => {
    expect(uuidFromLe(Uint8Array.of(0x0f, 0x18))).toBe('180f');
    expect(uuidFromLe(Uint8Array.of(0x78, 0x56, 0x34, 0x12))).toBe('12345678');
    const b = Uint8Array.of(
      0x9e,
      0xca,
      0xdc,
      0x24,
      0x0e,
      0xe5,
      0xa9,
      0xe0,
      0x93,
      0xf3,
      0xa3,
      0xb5,
      1,
      0,
      0x40,
      0x6e,
    );
    expect(uuidFromLe(b)).toBe('6e400001-b5a3-f393-e0a9-e50e24dcca9e');
  });

  it('collapses a 128-bit UUID on the SIG base when read from the air', () => {
    const b = Uint8Array.of(0xfb, 0x34, 0x9b, 0x5f, 0x80, 0, 0, 0x80, 0, 0x10, 0, 0, 0x0f, 0x18, 0, 0);
    expect(uuidFromLe(b)).toBe('180f');
  });

  it('expands and collapses with the SIG base', () => {
    expect(toLongUuid('180f')).toBe(LONG);
    expect(toLongUuid('12345678')).toBe('12345678-0000-1000-8000-00805f9b34fb');
    expect(shortUuid(LONG)).toBe('180f');
    expect(shortUuid('12345678-0000-1000-8000-00805f9b34fb')).toBe('12345678');
    expect(shortUuid('6e400001-b5a3-f393-e0a9-e50e24dcca9e')).toBe('6e400001-b5a3-f393-e0a9-e50e24dcca9e');
  });

  it('normalizes any spelling and rejects junk', () => {
    expect(normalizeUuid('180F')).toBe('180f');
    expect(normalizeUuid('0x180F')).toBe('180f');
    expect(normalizeUuid('0000180F')).toBe('180f');
    expect(normalizeUuid(LONG.toUpperCase())).toBe('180f');
    expect(normalizeUuid('0000180f00001000800000805f9b34fb')).toBe('180f');
    expect(normalizeUuid('6E400001-B5A3-F393-E0A9-E50E24DCCA9E')).toBe(
      '6e400001-b5a3-f393-e0a9-e50e24dcca9e',
    );
    for (const bad of ['', '18f', '180g', '123456', '6e400001-b5a3-f393-e0a9-e50e24dcca9', 'constructor']) {
      expect(normalizeUuid(bad)).toBeUndefined();
    }
  });
});
