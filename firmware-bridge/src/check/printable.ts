// Text a device controls (hello fields, close reasons, error messages, HTTP status lines) is echoed in the
// report; escaped here so that it can never move the cursor, clear the terminal, reorder text or start a
// new line that looks like the checker's own output.

// C0 controls, DEL, C1 controls, the line and paragraph separators and the bidirectional overrides.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeOne = (c: string): string => {
  const short = SHORT[c];
  if (short) return short;
  const n = c.codePointAt(0)!;
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
};

/** `text` with every control character written as an escape (`\n`, `\x1b`, `\x9b`, `\u{202e}`). */
export const printable = (text: string): string => text.replace(UNPRINTABLE, escapeOne);
