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

  it('escapes a string that looks blank whole, so it never shows as empty', () => {
    expect(visible('\u3164\u3164')).toBe('\\u3164\\u3164');
    expect(visible(' \u00ad')).toBe('\\u0020\\u00AD');
    expect(visible('\u2800\u180e\u034f\ufe0f')).toBe('\\u2800\\u180E\\u034F\\uFE0F');
    expect(visible('\u{e0041}\u206a')).toBe('\\uDB40\\uDC41\\u206A'); // a tag character as its two halves
    expect(visible('\u0000\u200b')).toBe('\u2400\\u200B');
    expect(visible('')).toBe('');
  });

  it('leaves a name that shows as it is, fillers and all', () => {
    expect(visible('\u3164A')).toBe('\u3164A');
    expect(visible(' x ')).toBe(' x ');
  });

  it('leaves ordinary text, HTML and other scripts alone (they are rendered as text)', () => {
    for (const s of ['<img src=x onerror=alert(1)>', 'Ünïcödé', 'שלום', '漢字 😀'])
      expect(visible(s)).toBe(s);
  });
});
