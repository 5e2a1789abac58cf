import { describe, expect, it } from 'vitest';
import { cBanner, cByteRows, cComment, cInt, cString, macroPart } from './c-text.js';

describe('cString', () => {
  it('escapes quotes, backslashes and question marks', () => {
    expect(cString('"abc"')).toBe('"\\"abc\\""');
    expect(cString('a\\b??=')).toBe('"a\\\\b\\?\\?="');
  });

  it('writes non-ASCII as octal escapes of the UTF-8 bytes', () => {
    expect(cString('é\n')).toBe('"\\303\\251\\012"');
  });
});

describe('cInt', () => {
  it('parenthesises negative values and widens values beyond 32 bits', () => {
    expect(cInt(20)).toBe('20');
    expect(cInt(-127)).toBe('(-127)');
    expect(cInt(2 ** 40)).toBe('1099511627776LL');
    expect(() => cInt(1.5)).toThrow(RangeError);
  });
});

describe('cComment', () => {
  it('keeps one-liners on one line and cannot be closed early', () => {
    expect(cComment('a */ b')).toBe('/* a * / b */');
  });

  it('wraps long text', () => {
    const text = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const lines = cComment(text, '', 60).split('\n');
    expect(lines[0]).toBe('/*');
    expect(lines.at(-1)).toBe(' */');
    expect(lines.every((l) => l.length <= 60)).toBe(true);
  });
});

describe('macroPart', () => {
  it('turns camel and kebab case into UPPER_SNAKE', () => {
    expect(macroPart('addrType')).toBe('ADDR_TYPE');
    expect(macroPart('scan-start')).toBe('SCAN_START');
    expect(macroPart('maxInboundBytes')).toBe('MAX_INBOUND_BYTES');
  });

  it('refuses names with nothing usable', () => {
    expect(() => macroPart('--')).toThrow(/macro name/);
  });
});

describe('cByteRows and cBanner', () => {
  it('formats bytes as hex rows', () => {
    expect(cByteRows(new Uint8Array([0x1f, 0x8b, 0x08]), '  ', 2)).toBe('  0x1f, 0x8b,\n  0x08,');
  });

  it('builds a block comment banner', () => {
    expect(cBanner(['one', '', 'two'])).toBe('/*\n * one\n *\n * two\n */');
  });
});
