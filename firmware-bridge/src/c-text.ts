// Small pieces of C source text shared by every generated file: literals, comments, names and banners.
// Everything emitted is plain ASCII, so the files compile the same under any source charset.

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** A C string literal; anything outside printable ASCII becomes a 3-digit octal escape (UTF-8 bytes). */
export function cString(text: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(text)) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x3f)
      out += '\\?'; // no accidental trigraphs
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** An integer literal; negative values are parenthesised so the macro expands safely. */
export function cInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  if (value < -2147483648 || value > 2147483647) return value < 0 ? `(${value}LL)` : `${value}LL`;
  return value < 0 ? `(${value})` : String(value);
}

/** Text made safe inside a block comment: ASCII only, no comment terminator. */
export function commentText(text: string): string {
  return text
    .replace(/[^\x20-\x7e]/g, '?')
    .replaceAll('*/', '* /')
    .replaceAll('/*', '/ *');
}

/** A block comment wrapped at `width` columns, each line starting with `indent`. */
export function cComment(text: string, indent = '', width = 100): string {
  const words = commentText(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + 3 + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length <= 1) return `${indent}/* ${lines[0] ?? ''} */`;
  return [`${indent}/*`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`].join('\n');
}

/** The "generated, do not edit" banner that opens every generated C file. */
export function cBanner(lines: readonly string[]): string {
  return ['/*', ...lines.map((l) => (l ? ` * ${commentText(l)}` : ' *')), ' */'].join('\n');
}

/** `camelCase`, `kebab-case` or `snake_case` to `UPPER_SNAKE`, checked to be a valid C identifier part. */
export function macroPart(name: string): string {
  const out = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9_]*$/.test(out))
    throw new Error(`cannot make a C macro name from ${JSON.stringify(name)}`);
  return out;
}

/** Bytes as the body of a C array initialiser: `0x1f, 0x8b, ...`, `perLine` bytes to a line. */
export function cByteRows(bytes: Uint8Array, indent = '  ', perLine = 16): string {
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    const row = Array.from(bytes.subarray(i, i + perLine), (b) => `0x${hex2(b)}`);
    rows.push(`${indent}${row.join(', ')},`);
  }
  return rows.join('\n');
}
