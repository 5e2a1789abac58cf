import { describe, expect, it } from 'vitest';
import { visible } from './sanitize.ts';

describe('visible', () => {
  it('shows C0 controls and DEL as control pictures', () => {
    expect(visible('nul\u0000byte')).toBe('nul\u2400byte');
    expect(visible('\u001b[31mRED')).toBe('\u241b[31mRED');
    expect(visible('a\tb\nc\u007f')).toBe('a\u2409b\u240ac\u2421');
  });

  it('shows bidi, zero-width and C1 characters as escapes', () => {
    expect(visible('Invoice\u202Efdp.exe')).toBe('Invoice\\u202Efdp.exe');
    expect(visible('\u2066x\u2069\u200b\u0085\ufeff')).toBe('\\u2066x\\u2069\\u200B\\u0085\\uFEFF');
  });

  it('leaves ordinary text, HTML and other scripts alone (they are rendered as text)', () => {
    for (const s of ['<img src=x onerror=alert(1)>', 'Ünïcödé', 'שלום', '漢字 😀'])
      expect(visible(s)).toBe(s);
  });
});
