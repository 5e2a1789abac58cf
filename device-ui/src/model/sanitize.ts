// Display text for attacker-controlled strings (names, aliases imported from them, decoded fields).
// Control characters become visible: C0 and DEL as the U+2400 control pictures, C1, bidi and other
// invisible format characters as `\uXXXX`. The result is still only ever rendered as a text node.

// C0 and DEL; C1 controls, zero-width and bidi format characters, line/paragraph separators, BOM, the ALM.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Makes control and bidi characters visible; everything else is returned as it was. */
export const visible = (s: string): string =>
  s.replace(HIDDEN, (c) => {
    const n = c.charCodeAt(0);
    return n < 32 || n === 127
      ? String.fromCharCode(n < 32 ? 0x2400 + n : 0x2421)
      : `\\u${n.toString(16).toUpperCase().padStart(4, '0')}`;
  });
