import { describe, expect, it } from 'vitest';
import { bytesOf, decoded, named, nameOr } from './decode-common.js';

describe('decode-common', () => {
  it('builds a Decoded and leaves tracker out unless set', () => {
    expect(decoded('k', 'L')).toEqual({ kind: 'k', label: 'L', fields: [] });
    expect(decoded('k', 'L', [['a', 1]], true)).toEqual({
      kind: 'k',
      label: 'L',
      tracker: true,
      fields: [['a', 1]],
    });
  });

  it('derives the kind of a named decode from its label', () => {
    expect(named('Exposure Notification')).toEqual(decoded('exposure-notification', 'Exposure Notification'));
    expect(named('Tile', [], true)).toEqual(decoded('tile', 'Tile', [], true));
  });

  it('reads malformed hex as no bytes', () => {
    expect(bytesOf('0a0b')).toEqual(Uint8Array.of(10, 11));
    expect(bytesOf('0a0')).toEqual(new Uint8Array(0));
  });

  it('falls back to the number for unknown table entries', () => {
    expect(nameOr({ 1: 'one' }, 1)).toBe('one');
    expect(nameOr({ 1: 'one' }, 2)).toBe(2);
  });
});
