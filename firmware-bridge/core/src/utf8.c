/* UTF-8 decoding with the WHATWG decoder's error rule: one U+FFFD per maximal invalid subpart. */
#include "bleshark_core.h"

size_t bsk_utf8_next(const uint8_t *s, size_t n, uint32_t *cp, bool allow_surrogates) {
  uint8_t b = s[0];
  uint8_t lower = 0x80, upper = 0xBF;
  size_t need, i;
  uint32_t v;
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
    v = b & 0x1Fu;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    v = b & 0x0Fu;
    if (b == 0xE0) lower = 0xA0;
    if (b == 0xED && !allow_surrogates) upper = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    v = b & 0x07u;
    if (b == 0xF0) lower = 0x90;
    if (b == 0xF4) upper = 0x8F;
  } else {
    *cp = BSK_UTF8_INVALID;
    return 1;
  }
  for (i = 1; i <= need; i++) {
    if (i >= n || s[i] < lower || s[i] > upper) {
      *cp = BSK_UTF8_INVALID;
      return i;
    }
    lower = 0x80;
    upper = 0xBF;
    v = (v << 6) | (s[i] & 0x3Fu);
  }
  *cp = v;
  return need + 1;
}

bool bsk_utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  uint32_t cp;
  while (i < n) {
    i += bsk_utf8_next(s + i, n - i, &cp, false);
    if (cp == BSK_UTF8_INVALID) return false;
  }
  return true;
}
