// Display text for attacker-controlled strings (names, aliases imported from them, decoded fields).
// Control characters become visible: C0 and DEL as the U+2400 control pictures, C1, bidi and other
// invisible format characters as `\uXXXX`. The result is still only ever rendered as a text node.
import { isVisibleName } from '@bleshark/shared-protocol';

// C0 and DEL; C1 controls, zero-width and bidi format characters, line/paragraph separators, BOM, the ALM.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** One UTF-16 code unit as a `\uXXXX` escape (as in JSON and JavaScript). */
const esc = (c: string) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** C0 controls and DEL as their control pictures, anything else escaped. */
const show = (c: string) => {
  const n = c.charCodeAt(0);
  return n < 32 || n === 127 ? String.fromCharCode(n < 32 ? 0x2400 + n : 0x2421) : esc(c);
};

/** Makes control and bidi characters visible; everything else is returned as it was (export's CSV). */
export const unhide = (s: string): string => s.replace(HIDDEN, show);

/**
 * As `unhide`, and a string that looks blank (no character of it shows: isVisibleName) is escaped whole,
 * spaces and fillers too, so that it never looks empty (the page's text).
 */
export const visible = (s: string): string => s.replace(isVisibleName(s) ? HIDDEN : /./gs, show);

/**
 * Escapes what JSON.stringify leaves raw of HIDDEN (it escapes C0 itself; DEL, C1 and the format characters
 * it does not) in JSON text: lossless, since JSON reads `\uXXXX` back as it was.
 */
export const jsonSafe = (json: string): string =>
  json.replace(/[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, esc);
