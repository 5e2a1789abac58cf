const BAD = '\ufffd';

/**
 * UTF-8 to string with WHATWG "replacement" semantics: every invalid, overlong, surrogate or
 * truncated sequence becomes one U+FFFD per maximal bad subpart; the byte that broke a sequence is
 * then read again as the start of the next one.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i++]!;
    if (c < 0x80) {
      s += String.fromCharCode(c);
      continue;
    }
    // need = continuation bytes still expected; [lo, hi] = allowed range of the next one.
    let need = c < 0xc2 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : c < 0xf5 ? 3 : 0;
    if (!need) {
      s += BAD;
      continue;
    }
    let cp = c & (0x3f >> need);
    let lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    let hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (; need; need--) {
      const d = bytes[i];
      if (d === undefined || d < lo || d > hi) break;
      cp = (cp << 6) | (d & 0x3f);
      i++;
      lo = 0x80;
      hi = 0xbf;
    }
    s += need ? BAD : String.fromCodePoint(cp);
  }
  return s;
}
