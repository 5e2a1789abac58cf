import { describe, expect, it } from 'vitest';
import { parseAdStructures } from './ad-structures.js';
import { fromHex } from './hex.js';

const parse = (hex: string) => parseAdStructures(fromHex(hex)!);

describe('parseAdStructures', () => {
  it('splits structures with their offsets', () => {
    const { structures, error } = parse('020106' + '03ff4c00');
    expect(error).toBeUndefined();
    expect(structures.map((s) => [s.type, s.offset, Array.from(s.data)])).toEqual([
      [1, 0, [6]],
      [0xff, 3, [0x4c, 0]],
    ]);
  });

  it('treats zero length bytes as padding, not as an error', () => {
    const { structures, error } = parse('020106000000');
    expect(error).toBeUndefined();
    expect(structures).toHaveLength(1);
    expect(parse('00').structures).toEqual([]);
  });

  it('keeps parsing after padding (a zero-padded advertisement followed by its scan response)', () => {
    const { structures } = parse('0201060000' + '03094142');
    expect(structures.map((s) => s.type)).toEqual([1, 9]);
  });

  it('reports a length past the end and keeps what came before', () => {
    const { structures, error } = parse(`020106${'00'.repeat(9)}1eff4c0001`);
    expect(structures).toHaveLength(1);
    expect(error).toBe('AD structure at offset 12 claims 30 bytes, 4 remain');
  });

  it('reports a lone length byte with no type', () => {
    expect(parse('02010601').error).toBe('AD structure at offset 3 claims 1 bytes, 0 remain');
  });

  it('accepts a structure that is just a type byte', () => {
    expect(parse('0109').structures[0]?.data.length).toBe(0);
  });
});
