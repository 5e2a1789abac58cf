/*
 * fuzz-common.h: the fuzz targets' own oracles, written independently of the core so that the targets
 * check the core against something other than itself: a UTF-8 decoder (Unicode Table 3-7), a strict
 * RFC 8259 validator, a JSON string decoder, and FZ_CHECK, which aborts (a libFuzzer crash with the
 * input saved) naming the invariant that failed.
 *
 * Harness code only: it may use stdio and abort, and keeps its scratch space in static storage. Every
 * function is static (each target is one translation unit). Costs: all O(n) in the bytes given.
 */
#ifndef BSK_FUZZ_COMMON_H
#define BSK_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleshark_core.h"

#define FZ_CHECK(cond)                                                                                  \
  do {                                                                                                  \
    if (!(cond)) {                                                                                      \
      fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);               \
      abort();                                                                                          \
    }                                                                                                   \
  } while (0)

/*
 * The code point at s[0..n) and its length (1..4), or 0 when s does not start with a well-formed UTF-8
 * sequence (Unicode 15, Table 3-7). With allow_surrogates, ED A0..BF xx (WTF-8) is accepted too.
 */
static inline size_t fz_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp, bool allow_surrogates) {
  uint8_t b0, lo = 0x80, hi = 0xBF;
  size_t len, k;
  uint32_t v;
  if (n == 0) return 0;
  b0 = s[0];
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    v = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    v = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED && !allow_surrogates) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    v = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (k = 1; k < len; k++) {
    uint8_t b = s[k];
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
    v = v << 6 | (b & 0x3Fu);
  }
  *cp = v;
  return len;
}

/*
 * True when s[0..n) is well-formed UTF-8; with wtf8, lone surrogates are allowed too, but not a high
 * surrogate followed by a low one (that pair must be spelled as one 4-byte sequence).
 */
static inline bool fz_utf8_valid(const uint8_t *s, size_t n, bool wtf8) {
  size_t i = 0;
  bool after_high = false;
  while (i < n) {
    uint32_t cp;
    size_t k = fz_utf8_decode(s + i, n - i, &cp, wtf8);
    if (k == 0) return false;
    if (after_high && cp >= 0xDC00u && cp <= 0xDFFFu) return false;
    after_high = cp >= 0xD800u && cp <= 0xDBFFu;
    i += k;
  }
  return true;
}

static inline int fz_hex(uint8_t b) {
  if (b >= '0' && b <= '9') return b - '0';
  if (b >= 'a' && b <= 'f') return b - 'a' + 10;
  if (b >= 'A' && b <= 'F') return b - 'A' + 10;
  return -1;
}

static inline bool fz_is_ws(uint8_t b) { return b == ' ' || b == '\t' || b == '\n' || b == '\r'; }

/* Moves *i past a JSON string starting at s[*i] (its quote); false when it is not one. */
static inline bool fz_json_string(const uint8_t *s, size_t n, size_t *i) {
  size_t p = *i;
  if (p >= n || s[p] != '"') return false;
  for (p++; p < n; p++) {
    uint8_t b = s[p];
    if (b == '"') {
      *i = p + 1;
      return true;
    }
    if (b < 0x20) return false;
    if (b == '\\') {
      if (++p >= n) return false;
      b = s[p];
      if (b == 'u') {
        int k;
        for (k = 0; k < 4; k++)
          if (++p >= n || fz_hex(s[p]) < 0) return false;
      } else if (b != '"' && b != '\\' && b != '/' && b != 'b' && b != 'f' && b != 'n' && b != 'r' && b != 't') {
        return false;
      }
    }
  }
  return false;
}

/* Moves *i past -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; false when there is none. */
static inline bool fz_json_number(const uint8_t *s, size_t n, size_t *i) {
  size_t p = *i, d;
  if (p < n && s[p] == '-') p++;
  if (p < n && s[p] == '0') p++;
  else if (p < n && s[p] >= '1' && s[p] <= '9')
    while (p < n && s[p] >= '0' && s[p] <= '9') p++;
  else
    return false;
  if (p < n && s[p] == '.') {
    for (d = ++p; p < n && s[p] >= '0' && s[p] <= '9'; p++) {
    }
    if (p == d) return false;
  }
  if (p < n && (s[p] == 'e' || s[p] == 'E')) {
    p++;
    if (p < n && (s[p] == '+' || s[p] == '-')) p++;
    for (d = p; p < n && s[p] >= '0' && s[p] <= '9'; p++) {
    }
    if (p == d) return false;
  }
  *i = p;
  return true;
}

static inline bool fz_json_word(const uint8_t *s, size_t n, size_t *i, const char *w) {
  size_t k = strlen(w);
  if (n - *i < k || memcmp(s + *i, w, k) != 0) return false;
  *i += k;
  return true;
}

#define FZ_JSON_DEPTH 8192

/*
 * True when s[0..n) is exactly one RFC 8259 JSON text (whitespace around it allowed); *first gets the
 * first byte of the value ('{', '[', '"', ...). Strings are checked for JSON's rules only, not for
 * UTF-8 (check that separately). Nesting up to FZ_JSON_DEPTH (deeper counts as invalid).
 */
static inline bool fz_json_valid(const uint8_t *s, size_t n, uint8_t *first) {
  static uint8_t stack[FZ_JSON_DEPTH];
  size_t i = 0, depth = 0;
  bool want_value = true;
  while (i < n && fz_is_ws(s[i])) i++;
  if (i >= n) return false;
  *first = s[i];
  for (;;) {
    while (i < n && fz_is_ws(s[i])) i++;
    if (want_value) {
      if (i >= n) return false;
      if (s[i] == '{' || s[i] == '[') {
        if (depth == FZ_JSON_DEPTH) return false;
        stack[depth++] = s[i++];
        while (i < n && fz_is_ws(s[i])) i++;
        if (i < n && s[i] == (stack[depth - 1] == '{' ? '}' : ']')) {
          i++;
          depth--;
          want_value = false;
        } else if (stack[depth - 1] == '{') {
          if (!fz_json_string(s, n, &i)) return false;
          while (i < n && fz_is_ws(s[i])) i++;
          if (i >= n || s[i] != ':') return false;
          i++;
        }
        continue;
      }
      if (s[i] == '"') {
        if (!fz_json_string(s, n, &i)) return false;
      } else if (!fz_json_word(s, n, &i, "true") && !fz_json_word(s, n, &i, "false") &&
                 !fz_json_word(s, n, &i, "null") && !fz_json_number(s, n, &i)) {
        return false;
      }
      want_value = false;
      continue;
    }
    if (depth == 0) return i == n;
    if (i >= n) return false;
    if (s[i] == (stack[depth - 1] == '{' ? '}' : ']')) {
      i++;
      depth--;
      continue;
    }
    if (s[i] != ',') return false;
    i++;
    if (stack[depth - 1] == '{') {
      while (i < n && fz_is_ws(s[i])) i++;
      if (!fz_json_string(s, n, &i)) return false;
      while (i < n && fz_is_ws(s[i])) i++;
      if (i >= n || s[i] != ':') return false;
      i++;
    }
    want_value = true;
  }
}

static inline size_t fz_put_utf8(uint8_t *out, uint32_t cp) {
  if (cp < 0x80u) {
    out[0] = (uint8_t)cp;
    return 1;
  }
  if (cp < 0x800u) {
    out[0] = (uint8_t)(0xC0u | cp >> 6);
    out[1] = (uint8_t)(0x80u | (cp & 0x3Fu));
    return 2;
  }
  if (cp < 0x10000u) {
    out[0] = (uint8_t)(0xE0u | cp >> 12);
    out[1] = (uint8_t)(0x80u | (cp >> 6 & 0x3Fu));
    out[2] = (uint8_t)(0x80u | (cp & 0x3Fu));
    return 3;
  }
  out[0] = (uint8_t)(0xF0u | cp >> 18);
  out[1] = (uint8_t)(0x80u | (cp >> 12 & 0x3Fu));
  out[2] = (uint8_t)(0x80u | (cp >> 6 & 0x3Fu));
  out[3] = (uint8_t)(0x80u | (cp & 0x3Fu));
  return 4;
}

static inline uint32_t fz_hex4(const uint8_t *p) {
  return (uint32_t)(fz_hex(p[0]) << 12 | fz_hex(p[1]) << 8 | fz_hex(p[2]) << 4 | fz_hex(p[3]));
}

/*
 * Decodes the JSON string s[0..n) (exactly one string, quotes included, already known valid) into
 * out (room for n bytes is enough) as WTF-8: an escaped pair becomes one code point, a lone escaped
 * surrogate stays ED xx xx. Returns the decoded length.
 */
static inline size_t fz_json_unescape(const uint8_t *s, size_t n, uint8_t *out) {
  size_t i = 1, len = 0;
  while (i + 1 < n) {
    uint32_t cp;
    if (s[i] != '\\') {
      out[len++] = s[i++];
      continue;
    }
    switch (s[i + 1]) {
    case 'b': cp = 8; break;
    case 'f': cp = 12; break;
    case 'n': cp = 10; break;
    case 'r': cp = 13; break;
    case 't': cp = 9; break;
    case 'u': cp = fz_hex4(s + i + 2); break;
    default: cp = s[i + 1];
    }
    i += s[i + 1] == 'u' ? 6 : 2;
    if (cp >= 0xD800u && cp <= 0xDBFFu && i + 6 < n && s[i] == '\\' && s[i + 1] == 'u') {
      uint32_t low = fz_hex4(s + i + 2);
      if (low >= 0xDC00u && low <= 0xDFFFu) {
        cp = 0x10000u + ((cp - 0xD800u) << 10) + (low - 0xDC00u);
        i += 6;
      }
    }
    len += fz_put_utf8(out + len, cp);
  }
  return len;
}

/*
 * Checks what bsk_json_str / _str_cut wrote (out[0..len), one quoted string): valid UTF-8, valid JSON,
 * no raw control character, no raw U+2028 / U+2029.
 */
static inline void fz_check_json_string_out(const uint8_t *out, size_t len) {
  size_t i = 0, j;
  uint8_t first = 0;
  FZ_CHECK(len >= 2 && out[0] == '"' && out[len - 1] == '"');
  FZ_CHECK(fz_utf8_valid(out, len, false));
  FZ_CHECK(bsk_utf8_valid(out, len));
  FZ_CHECK(fz_json_string(out, len, &i) && i == len);
  FZ_CHECK(fz_json_valid(out, len, &first) && first == '"');
  for (j = 0; j < len; j++) {
    FZ_CHECK(out[j] >= 0x20);
    FZ_CHECK(!(j + 2 < len && out[j] == 0xE2 && out[j + 1] == 0x80 && (out[j + 2] == 0xA8 || out[j + 2] == 0xA9)));
  }
}

/*
 * The length of the next decoding step of s[0..n) as the WHATWG decoder (TextDecoder) takes it: a
 * whole character, or the maximal subpart of an ill-formed sequence (at least one byte), which becomes
 * one U+FFFD. *cp gets the code point, or 0xFFFD for a subpart. With wtf8, ED A0..BF xx is a character.
 */
static inline size_t fz_utf8_step(const uint8_t *s, size_t n, uint32_t *cp, bool wtf8) {
  size_t k = fz_utf8_decode(s, n, cp, wtf8), want;
  uint8_t b0 = s[0], lo = 0x80, hi = 0xBF;
  if (k > 0) return k;
  *cp = 0xFFFDu;
  if (b0 >= 0xC2 && b0 <= 0xDF) want = 2;
  else if (b0 >= 0xE0 && b0 <= 0xEF) want = 3;
  else if (b0 >= 0xF0 && b0 <= 0xF4) want = 4;
  else return 1;
  if (b0 == 0xE0) lo = 0xA0;
  if (b0 == 0xED && !wtf8) hi = 0x9F;
  if (b0 == 0xF0) lo = 0x90;
  if (b0 == 0xF4) hi = 0x8F;
  for (k = 1; k < want && k < n; k++)
    if (s[k] < (k == 1 ? lo : 0x80) || s[k] > (k == 1 ? hi : 0xBF)) break;
  return k;
}

/* s[0..n) with every ill-formed subpart replaced by U+FFFD (EF BF BD) into out (3n bytes); its length. */
static inline size_t fz_utf8_repair(const uint8_t *s, size_t n, uint8_t *out, bool wtf8) {
  size_t i = 0, len = 0;
  while (i < n) {
    uint32_t cp;
    size_t k = fz_utf8_step(s + i, n - i, &cp, wtf8);
    if (cp == 0xFFFDu && k > 0 && fz_utf8_decode(s + i, n - i, &cp, wtf8) == 0) {
      memcpy(out + len, "\xEF\xBF\xBD", 3);
      len += 3;
    } else {
      memcpy(out + len, s + i, k);
      len += k;
    }
    i += k;
  }
  return len;
}

/*
 * True when a high surrogate step is followed directly by a low one (WTF-8 bytes that JSON can only
 * spell as an escaped pair, which decodes as the one supplementary character instead).
 */
static inline bool fz_has_surrogate_pair(const uint8_t *s, size_t n) {
  size_t i = 0;
  bool after_high = false;
  while (i < n) {
    uint32_t cp;
    i += fz_utf8_step(s + i, n - i, &cp, true);
    if (after_high && cp >= 0xDC00u && cp <= 0xDFFFu) return true;
    after_high = cp >= 0xD800u && cp <= 0xDBFFu;
  }
  return false;
}

/* Largest untrusted string fz_check_json_str takes. */
#define FZ_STR_MAX 512

/*
 * Runs bsk_json_str and bsk_json_str_cut on s[0..n) (n <= FZ_STR_MAX, arbitrary bytes) and checks them
 * against the oracles: the output is one valid JSON string, valid UTF-8, with no raw control character
 * or U+2028/2029, that decodes to the input with ill-formed subparts replaced as TextDecoder does (for
 * WTF-8 input with BSK_JSON_WTF8: to the input itself); a writer with too little room writes nothing
 * (str) or the longest prefix of whole characters that leaves `reserve` free (str_cut), never at or past
 * its cap. `start` bytes are in the writer before the string, `cap` is its capacity (both clamped).
 */
static inline void fz_check_json_str(const uint8_t *s, size_t n, unsigned flags, size_t start, size_t cap,
                                     size_t reserve) {
  static char full[FZ_STR_MAX * 6 + 2], small[FZ_STR_MAX * 6 + 2 + 16];
  static uint8_t want[FZ_STR_MAX * 3], got[FZ_STR_MAX * 6];
  bool wtf8 = (flags & BSK_JSON_WTF8) != 0u;
  bool exact = !(wtf8 && fz_has_surrogate_pair(s, n)); /* the decoded form must equal the repaired input */
  bsk_json_t w;
  size_t full_len, want_len, got_len, i, k, room;
  FZ_CHECK(n <= FZ_STR_MAX);
  /* Whole: fits in a buffer of the worst case (6 bytes per input byte, plus quotes). */
  bsk_json_init(&w, full, sizeof full);
  FZ_CHECK(bsk_json_str(&w, s, n, flags) && !w.truncated);
  full_len = w.len;
  fz_check_json_string_out((const uint8_t *)full, full_len);
  want_len = fz_utf8_repair(s, n, want, wtf8);
  got_len = fz_json_unescape((const uint8_t *)full, full_len, got);
  if (exact) FZ_CHECK(got_len == want_len && memcmp(got, want, want_len) == 0);
  if (exact && fz_utf8_valid(s, n, wtf8)) FZ_CHECK(got_len == n && memcmp(got, s, n) == 0);

  /* Into a writer that already holds `start` bytes and has `cap` bytes, with a canary past the cap. */
  if (cap > FZ_STR_MAX * 6 + 2) cap = FZ_STR_MAX * 6 + 2;
  if (start > cap) start = cap;
  memset(small, 0xA5, cap + 16);
  memset(small, 'x', start);
  bsk_json_init(&w, small, cap);
  w.len = start;
  room = cap - start;
  if (bsk_json_str(&w, s, n, flags)) {
    FZ_CHECK(full_len <= room && !w.truncated && w.len == start + full_len);
    FZ_CHECK(memcmp(small + start, full, full_len) == 0);
  } else {
    FZ_CHECK(full_len > room && w.truncated && w.len == start);
  }
  for (k = cap; k < cap + 16; k++) FZ_CHECK((uint8_t)small[k] == 0xA5);

  /* Cut: the longest prefix of whole steps whose quoted form leaves `reserve` free. */
  memset(small, 0xA5, cap + 16);
  memset(small, 'x', start);
  bsk_json_init(&w, small, cap);
  w.len = start;
  i = bsk_json_str_cut(&w, s, n, flags, reserve);
  for (k = cap; k < cap + 16; k++) FZ_CHECK((uint8_t)small[k] == 0xA5);
  FZ_CHECK(i <= n);
  if (room < 2 || room - 2 < reserve) {
    FZ_CHECK(i == 0 && w.len == start && w.truncated);
    return;
  }
  FZ_CHECK(w.len - start + reserve <= room);
  fz_check_json_string_out((const uint8_t *)small + start, w.len - start);
  got_len = fz_json_unescape((const uint8_t *)small + start, w.len - start, got);
  want_len = fz_utf8_repair(s, i, want, wtf8);
  if (exact) FZ_CHECK(got_len == want_len && memcmp(got, want, want_len) == 0);
  if (i == n) {
    FZ_CHECK(!w.truncated && w.len - start == full_len && memcmp(small + start, full, full_len) == 0);
  } else {
    /* i ends a step, and the next step's escaped form would not have fit. */
    uint32_t cp;
    size_t at = 0, next;
    bsk_json_t more;
    static char probe[FZ_STR_MAX * 6 + 2];
    FZ_CHECK(w.truncated);
    while (at < i) at += fz_utf8_step(s + at, n - at, &cp, wtf8);
    FZ_CHECK(at == i);
    next = fz_utf8_step(s + i, n - i, &cp, wtf8);
    bsk_json_init(&more, probe, sizeof probe);
    FZ_CHECK(bsk_json_str(&more, s, i + next, flags));
    FZ_CHECK(more.len + reserve > room);
  }
}

/* The end of the (valid) JSON value at s[i]. */
static inline size_t fz_json_skip(const uint8_t *s, size_t n, size_t i) {
  size_t depth = 0;
  do {
    if (s[i] == '"') {
      fz_json_string(s, n, &i);
    } else if (s[i] == '{' || s[i] == '[') {
      depth++;
      i++;
    } else if (s[i] == '}' || s[i] == ']') {
      depth--;
      i++;
    } else if (fz_is_ws(s[i]) || s[i] == ',' || s[i] == ':') {
      i++;
    } else {
      while (i < n && !fz_is_ws(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']') i++;
    }
  } while (depth > 0 && i < n);
  return i;
}

/*
 * In the valid JSON object s[0..n), the value of the top-level member spelled exactly `key` (no escapes):
 * true with s[*from..*to); false when there is none (the last one wins when there are several).
 */
static inline bool fz_json_member(const uint8_t *s, size_t n, const char *key, size_t *from, size_t *to) {
  size_t i = 0, k = strlen(key);
  bool found = false;
  while (i < n && s[i] != '{') i++;
  i++;
  for (;;) {
    size_t ks, ke, vs;
    while (i < n && (fz_is_ws(s[i]) || s[i] == ',')) i++;
    if (i >= n || s[i] == '}') return found;
    ks = i;
    fz_json_string(s, n, &i);
    ke = i;
    while (i < n && (fz_is_ws(s[i]) || s[i] == ':')) i++;
    vs = i;
    i = fz_json_skip(s, n, i);
    if (ke - ks == k + 2 && memcmp(s + ks + 1, key, k) == 0) {
      *from = vs;
      *to = i;
      found = true;
    }
  }
}

/* The elements of the (valid) JSON array s[from..to). */
static inline size_t fz_json_count(const uint8_t *s, size_t from, size_t to) {
  size_t i = from + 1, count = 0;
  for (;;) {
    while (i < to && (fz_is_ws(s[i]) || s[i] == ',')) i++;
    if (i >= to || s[i] == ']') return count;
    i = fz_json_skip(s, to, i);
    count++;
  }
}

/* The non-negative integer s[from..to), or -1 when it is not one (or over 2^53). */
static inline int64_t fz_json_uint(const uint8_t *s, size_t from, size_t to) {
  int64_t v = 0;
  if (from >= to) return -1;
  for (; from < to; from++) {
    if (s[from] < '0' || s[from] > '9' || v > ((int64_t)1 << 53)) return -1;
    v = v * 10 + (s[from] - '0');
  }
  return v;
}

/* Reads fuzz input sequentially; past the end every read gives 0. */
typedef struct {
  const uint8_t *p;
  size_t n, i;
} fz_in_t;

static inline uint8_t fz_u8(fz_in_t *in) { return in->i < in->n ? in->p[in->i++] : 0; }

static inline uint16_t fz_u16(fz_in_t *in) {
  uint16_t hi = fz_u8(in);
  return (uint16_t)(hi << 8 | fz_u8(in));
}

static inline uint32_t fz_u32(fz_in_t *in) {
  uint32_t hi = fz_u16(in);
  return hi << 16 | fz_u16(in);
}

/* Up to `want` bytes of the input (fewer at its end); *got gets how many. */
static inline const uint8_t *fz_bytes(fz_in_t *in, size_t want, size_t *got) {
  const uint8_t *p = in->p + in->i;
  *got = want < in->n - in->i ? want : in->n - in->i;
  in->i += *got;
  return p;
}

#endif /* BSK_FUZZ_COMMON_H */
