import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';

describe('printable', () => {
  it('escapes C0, DEL and C1 controls', () => {
    expect(printable('\x1b[2J\r\n\t\x00\x7f\u009b')).toBe('\\x1b[2J\\r\\n\\t\\x00\\x7f\\x9b');
  });

  it('escapes line separators and bidirectional overrides', () => {
    expect(printable('a\u2028b\u202ec\u2066d')).toBe('a\\u{2028}b\\u{202e}c\\u{2066}d');
  });

  it('leaves ordinary text, including non-ASCII letters and emoji, alone', () => {
    const text = 'Tag 7 — Café 🦈 "quoted" \\ backslash';
    expect(printable(text)).toBe(text);
  });
});
