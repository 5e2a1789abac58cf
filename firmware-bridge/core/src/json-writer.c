/* JSON output streamed into a caller-provided buffer: all-or-nothing writes, repaired and escaped strings. */
#include <string.h>

#include "bleshark_core.h"

static const char HEX[] = "0123456789abcdef";

void bsk_json_init(bsk_json_t *w, char *buf, size_t cap) {
  w->buf = buf;
  w->cap = cap;
  w->len = 0;
  w->truncated = false;
}

bool bsk_json_raw(bsk_json_t *w, const char *s, size_t n) {
  if (n > w->cap - w->len) {
    w->truncated = true;
    return false;
  }
  char *p = w->buf + w->len;
  w->len += n;
  /* Most appends are a few bytes of punctuation: a byte loop costs less than a libc call on RV32. */
  if (n > 16) memcpy(p, s, n);
  else
    while (n--) *p++ = *s++;
  return true;
}

bool bsk_json_lit(bsk_json_t *w, const char *s) { return bsk_json_raw(w, s, strlen(s)); }

bool bsk_json_int(bsk_json_t *w, int64_t v) {
  char tmp[20];
  size_t i = sizeof tmp;
  /* Work on the magnitude as unsigned so INT64_MIN does not overflow. */
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  /* Digits past 32 bits need 64-bit division (a libgcc call per digit on RV32); the rest does not. */
  while (m > UINT32_MAX) {
    tmp[--i] = (char)('0' + (int)(m % 10u));
    m /= 10u;
  }
  uint32_t x = (uint32_t)m;
  do {
    tmp[--i] = (char)('0' + (int)(x % 10u));
    x /= 10u;
  } while (x != 0u);
  if (v < 0) tmp[--i] = '-';
  return bsk_json_raw(w, tmp + i, sizeof tmp - i);
}

/*
 * The escaped form of the character at s[0..n): writes it into out (at most 6 bytes) and returns its
 * length; *used receives the input bytes it took.
 */
static size_t escape_one(const uint8_t *s, size_t n, unsigned flags, char out[6], size_t *used) {
  uint32_t cp;
  size_t k = bsk_utf8_next(s, n, &cp, (flags & BSK_JSON_WTF8) != 0u);
  *used = k;
  if (cp == BSK_UTF8_INVALID) {
    out[0] = (char)0xEF;
    out[1] = (char)0xBF;
    out[2] = (char)0xBD;
    return 3;
  }
  if (cp == '"' || cp == '\\') {
    out[0] = '\\';
    out[1] = (char)cp;
    return 2;
  }
  if (cp < 0x20u || cp == 0x2028u || cp == 0x2029u || (cp >= 0xD800u && cp <= 0xDFFFu)) {
    const char *shortForm = cp == '\b' ? "b" : cp == '\f' ? "f" : cp == '\n' ? "n" : cp == '\r' ? "r" : cp == '\t' ? "t" : NULL;
    out[0] = '\\';
    if (shortForm) {
      out[1] = shortForm[0];
      return 2;
    }
    out[1] = 'u';
    out[2] = HEX[(cp >> 12) & 0xFu];
    out[3] = HEX[(cp >> 8) & 0xFu];
    out[4] = HEX[(cp >> 4) & 0xFu];
    out[5] = HEX[cp & 0xFu];
    return 6;
  }
  memcpy(out, s, k);
  return k;
}

size_t bsk_json_str_cut(bsk_json_t *w, const uint8_t *s, size_t n, unsigned flags, size_t reserve) {
  size_t room = w->cap - w->len;
  size_t i = 0, at;
  if (room < 2 || room - 2 < reserve) {
    w->truncated = true;
    return 0;
  }
  room -= 2 + reserve;
  at = w->len;
  w->buf[at++] = '"';
  while (i < n) {
    char esc[6];
    size_t used;
    size_t k = escape_one(s + i, n - i, flags, esc, &used);
    if (k > room) {
      w->truncated = true;
      break;
    }
    memcpy(w->buf + at, esc, k);
    at += k;
    room -= k;
    i += used;
  }
  w->buf[at++] = '"';
  w->len = at;
  return i;
}

/* Bytes of s[0..n) from the start that need no escape and no repair (printable ASCII but " and \). */
static size_t plain_prefix(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n && s[i] >= 0x20u && s[i] < 0x7Fu && s[i] != '"' && s[i] != '\\') i++;
  return i;
}

bool bsk_json_str(bsk_json_t *w, const uint8_t *s, size_t n, unsigned flags) {
  size_t plain = plain_prefix(s, n);
  size_t need = 2 + plain, i = plain;
  while (i < n) {
    char esc[6];
    size_t used;
    need += escape_one(s + i, n - i, flags, esc, &used);
    i += used;
  }
  if (need > w->cap - w->len) {
    w->truncated = true;
    return false;
  }
  if (plain == n) {
    /* The common case (names, ids, texts in ASCII): one copy between the quotes. */
    char *p = w->buf + w->len;
    p[0] = '"';
    if (n) memcpy(p + 1, s, n);
    p[n + 1] = '"';
    w->len += need;
    return true;
  }
  bsk_json_str_cut(w, s, n, flags, 0);
  return true;
}
