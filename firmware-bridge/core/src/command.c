/*
 * The command parser: a bounded validating JSON scan of one inbound frame, then a look at the few keys
 * the five commands know. Same meaning as shared-protocol's parseUp (codec.ts + schema.ts check).
 *
 * Why our own tokenizer and not cJSON: cJSON allocates one heap node per value and recurses once per
 * nesting level, so a hostile 1 KB frame costs heap and stack the Nano cannot spare. The commands need
 * no tree: the scan below keeps only a bit per open container (at most maxInboundBytes bits) and
 * remembers where each known key's value starts; values are then read in place.
 */
#include <string.h>

#include "bleshark_core.h"

#define STACK_BYTES (BLESHARK_NANO_MAX_INBOUND_BYTES / 8 + 1)

typedef struct {
  const uint8_t *s;
  size_t n;
  size_t i;
} cur_t;

static void skip_ws(cur_t *c) {
  while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' || c->s[c->i] == '\r'))
    c->i++;
}

static bool at(const cur_t *c, char ch) { return c->i < c->n && c->s[c->i] == (uint8_t)ch; }

static bool is_digit(uint8_t b) { return b >= '0' && b <= '9'; }

static int hex_value(uint8_t b) {
  if (b >= '0' && b <= '9') return b - '0';
  if (b >= 'a' && b <= 'f') return b - 'a' + 10;
  if (b >= 'A' && b <= 'F') return b - 'A' + 10;
  return -1;
}

/* Scans a string at c->i (its opening quote); the input is already known to be UTF-8. */
static bool scan_string(cur_t *c) {
  c->i++;
  while (c->i < c->n) {
    uint8_t b = c->s[c->i++];
    if (b == '"') return true;
    if (b < 0x20) return false;
    if (b != '\\') continue;
    if (c->i >= c->n) return false;
    b = c->s[c->i++];
    if (b == 'u') {
      int k;
      for (k = 0; k < 4; k++)
        if (c->i >= c->n || hex_value(c->s[c->i++]) < 0) return false;
    } else if (!memchr("\"\\/bfnrt", b, 8)) {
      return false;
    }
  }
  return false;
}

static bool scan_digits(cur_t *c) {
  size_t from = c->i;
  while (c->i < c->n && is_digit(c->s[c->i])) c->i++;
  return c->i > from;
}

static bool scan_number(cur_t *c) {
  if (at(c, '-')) c->i++;
  if (at(c, '0')) c->i++;
  else if (!scan_digits(c)) return false;
  if (at(c, '.')) {
    c->i++;
    if (!scan_digits(c)) return false;
  }
  if (at(c, 'e') || at(c, 'E')) {
    c->i++;
    if (at(c, '+') || at(c, '-')) c->i++;
    if (!scan_digits(c)) return false;
  }
  return true;
}

static bool scan_word(cur_t *c, const char *w) {
  size_t k = strlen(w);
  if (c->n - c->i < k || memcmp(c->s + c->i, w, k) != 0) return false;
  c->i += k;
  return true;
}

/*
 * Validates one JSON value at c->i (leading whitespace allowed) and moves past it. Iterative: one bit
 * per open container (1 = object), so nesting costs no recursion.
 */
static bool skip_value(cur_t *c) {
  uint8_t stack[STACK_BYTES];
  size_t depth = 0;
  for (;;) {
    /* A value. */
    skip_ws(c);
    if (c->i >= c->n) return false;
    switch (c->s[c->i]) {
    case '{':
    case '[': {
      bool isObj = c->s[c->i] == '{';
      if (depth >= STACK_BYTES * 8) return false;
      if (isObj) stack[depth / 8] = (uint8_t)(stack[depth / 8] | (1u << (depth % 8)));
      else stack[depth / 8] = (uint8_t)(stack[depth / 8] & ~(1u << (depth % 8)));
      depth++;
      c->i++;
      skip_ws(c);
      if (at(c, isObj ? '}' : ']')) {
        c->i++;
        depth--;
        break;
      }
      if (!isObj) continue;
      if (!at(c, '"') || !scan_string(c)) return false;
      skip_ws(c);
      if (!at(c, ':')) return false;
      c->i++;
      continue;
    }
    case '"':
      if (!scan_string(c)) return false;
      break;
    case 't':
      if (!scan_word(c, "true")) return false;
      break;
    case 'f':
      if (!scan_word(c, "false")) return false;
      break;
    case 'n':
      if (!scan_word(c, "null")) return false;
      break;
    default:
      if (!scan_number(c)) return false;
    }
    /* After a value: close containers or move to the next item. */
    for (;;) {
      bool isObj;
      if (depth == 0) return true;
      isObj = ((unsigned)stack[(depth - 1) / 8] >> ((depth - 1) % 8) & 1u) != 0u;
      skip_ws(c);
      if (at(c, isObj ? '}' : ']')) {
        c->i++;
        depth--;
        continue;
      }
      if (!at(c, ',')) return false;
      c->i++;
      if (isObj) {
        skip_ws(c);
        if (!at(c, '"') || !scan_string(c)) return false;
        skip_ws(c);
        if (!at(c, ':')) return false;
        c->i++;
      }
      break;
    }
  }
}

static void put_utf8(char *out, size_t cap, size_t *len, uint32_t cp) {
  uint8_t b[4];
  size_t k, j;
  if (cp < 0x80u) {
    b[0] = (uint8_t)cp;
    k = 1;
  } else if (cp < 0x800u) {
    b[0] = (uint8_t)(0xC0u | (cp >> 6));
    b[1] = (uint8_t)(0x80u | (cp & 0x3Fu));
    k = 2;
  } else if (cp < 0x10000u) {
    b[0] = (uint8_t)(0xE0u | (cp >> 12));
    b[1] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
    b[2] = (uint8_t)(0x80u | (cp & 0x3Fu));
    k = 3;
  } else {
    b[0] = (uint8_t)(0xF0u | (cp >> 18));
    b[1] = (uint8_t)(0x80u | ((cp >> 12) & 0x3Fu));
    b[2] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
    b[3] = (uint8_t)(0x80u | (cp & 0x3Fu));
    k = 4;
  }
  for (j = 0; j < k; j++, (*len)++)
    if (*len < cap) out[*len] = (char)b[j];
}

static uint32_t hex4(const uint8_t *p) {
  return (uint32_t)(hex_value(p[0]) << 12 | hex_value(p[1]) << 8 | hex_value(p[2]) << 4 | hex_value(p[3]));
}

/*
 * Decodes the (already validated) string whose opening quote is at s[pos] into out[0..cap) as WTF-8: an
 * escaped surrogate pair becomes one code point, a lone escaped surrogate stays a surrogate. *len gets
 * the bytes it needs (possibly more than cap: only cap are written), *units its UTF-16 length.
 */
static void decode_string(const uint8_t *s, size_t pos, char *out, size_t cap, size_t *len, size_t *units) {
  size_t i = pos + 1;
  *len = 0;
  *units = 0;
  while (s[i] != '"') {
    uint32_t cp;
    if (s[i] != '\\') {
      size_t k = bsk_utf8_next(s + i, 4, &cp, false);
      size_t j;
      for (j = 0; j < k; j++, (*len)++)
        if (*len < cap) out[*len] = (char)s[i + j];
      *units += k == 4 ? 2u : 1u;
      i += k;
      continue;
    }
    i++;
    switch (s[i]) {
    case 'b': cp = '\b'; break;
    case 'f': cp = '\f'; break;
    case 'n': cp = '\n'; break;
    case 'r': cp = '\r'; break;
    case 't': cp = '\t'; break;
    case 'u':
      cp = hex4(s + i + 1);
      i += 4;
      if (cp >= 0xD800u && cp <= 0xDBFFu && s[i + 1] == '\\' && s[i + 2] == 'u') {
        uint32_t lo = hex4(s + i + 3);
        if (lo >= 0xDC00u && lo <= 0xDFFFu) {
          cp = 0x10000u + ((cp - 0xD800u) << 10) + (lo - 0xDC00u);
          i += 6;
        }
      }
      break;
    default: cp = s[i];
    }
    i++;
    put_utf8(out, cap, len, cp);
    *units += cp >= 0x10000u ? 2u : 1u;
  }
}

/* True when the string at s[pos] decodes to exactly the NUL-terminated word. */
static bool string_is(const uint8_t *s, size_t pos, const char *word) {
  char buf[24];
  size_t len, units, k = strlen(word);
  decode_string(s, pos, buf, sizeof buf, &len, &units);
  return len == k && len <= sizeof buf && memcmp(buf, word, k) == 0;
}

/*
 * The integer JSON.parse gives for the number literal at s[pos], when it gives one of magnitude under
 * 10^6 (every integer field's range lies inside it). JSON.parse rounds the decimal to the nearest double,
 * so "3.0000000000000000001" is the integer 3 and 1e-400 is 0: this decides exactly that, without
 * floating point. For x = n + d or n - d (n the nearest integer, d > 0) the double is n when d is at most
 * half the spacing of doubles at n, 2^-q; d <= 2^-q is tested as (first q decimals of d) <= 5^q, with the
 * rest of d deciding a tie. The one approximation: a literal between 1e-324 and 1e-323 that agrees with
 * 2^-1075 (the underflow tie) in its first 40 digits counts as not underflowing.
 */
static bool number_as_int(const uint8_t *s, size_t pos, int32_t *out) {
  static const char UNDERFLOW[] = "2470328229206232720882843964341106861825";
  size_t i = pos, ia, ni, fa, nf = 0, t, t0, tl, nd;
  bool neg = false, up;
  long e = 0, mHi, lowPlace, lf, j;
  int32_t whole = 0, n;
  unsigned k, q;
  uint8_t p5[64];
  if (s[i] == '-') {
    neg = true;
    i++;
  }
  ia = i;
  while (is_digit(s[i])) i++;
  ni = i - ia;
  fa = i;
  if (s[i] == '.') {
    fa = ++i;
    while (is_digit(s[i])) i++;
    nf = i - fa;
  }
  if (s[i] == 'e' || s[i] == 'E') {
    bool eneg = false;
    i++;
    if (s[i] == '+' || s[i] == '-') eneg = s[i++] == '-';
    while (is_digit(s[i])) {
      if (e < 1000000) e = e * 10 + (s[i] - '0');
      i++;
    }
    if (eneg) e = -e;
  }
  nd = ni + nf;
#define RAW(t) (s[(t) < ni ? ia + (t) : fa + (t) - ni] - '0')
#define PLACE(t) ((long)ni - 1 - (long)(t) + e)
  /* The digit at decimal place m (10^m). */
#define DIGIT(m) (((long)ni - 1 + e - (m)) >= 0 && ((long)ni - 1 + e - (m)) < (long)nd ? RAW((size_t)((long)ni - 1 + e - (m))) : 0)
  for (t0 = 0; t0 < nd && RAW(t0) == 0; t0++) {
  }
  if (t0 == nd) {
    *out = 0;
    return true;
  }
  mHi = PLACE(t0);
  if (mHi >= 6) return false;
  if (mHi <= -325) {
    *out = 0;
    return true;
  }
  if (mHi == -324) {
    /* Under 2^-1075 underflows to 0; above it is the smallest double, not an integer. */
    for (t = t0; t < nd && t - t0 < sizeof UNDERFLOW - 1; t++) {
      int want = UNDERFLOW[t - t0] - '0';
      if (RAW(t) != want) {
        if (RAW(t) > want) return false;
        *out = 0;
        return true;
      }
    }
    if (t == nd && t - t0 < sizeof UNDERFLOW - 1) {
      *out = 0;
      return true;
    }
    return false;
  }
  if (mHi < -1) return false;
  for (j = 5; j >= 0; j--) whole = whole * 10 + DIGIT(j);
  for (tl = nd; tl > 0 && RAW(tl - 1) == 0; tl--) {
  }
  lowPlace = PLACE(tl - 1);
  if (lowPlace >= 0) {
    *out = neg ? -whole : whole;
    return true;
  }
  lf = -lowPlace; /* decimals of the fraction, up to its last non-zero one */
  if (DIGIT(-1) == 5 && lf == 1) return false;
  up = DIGIT(-1) >= 5;
  n = up ? whole + 1 : whole;
  if (n == 0) return false;
  for (k = 0; (n >> (k + 1)) != 0; k++) {
  }
  q = 53u - k;
  if (up && (n & (n - 1)) == 0) q++;
  /* 5^q as q decimal digits (5^q < 10^q). */
  memset(p5, 0, q);
  p5[q - 1] = 1;
  for (j = 0; j < (long)q; j++) {
    unsigned carry = 0;
    long d;
    for (d = (long)q - 1; d >= 0; d--) {
      unsigned v = p5[d] * 5u + carry;
      p5[d] = (uint8_t)(v % 10u);
      carry = v / 10u;
    }
  }
  for (j = 1; j <= (long)q; j++) {
    int f = DIGIT(-j);
    int dj = !up ? f : j < lf ? 9 - f : j == lf ? 10 - f : 0;
    if (dj != p5[j - 1]) {
      if (dj > p5[j - 1]) return false;
      break;
    }
  }
  if (j > (long)q && lf > (long)q) return false;
  *out = neg ? -n : n;
  return true;
#undef RAW
#undef PLACE
#undef DIGIT
}

static bool int_field(const uint8_t *s, size_t pos, int32_t min, int32_t max, int32_t *out) {
  if (s[pos] != '-' && !is_digit(s[pos])) return false;
  return number_as_int(s, pos, out) && *out >= min && *out <= max;
}

static bool bool_field(const uint8_t *s, size_t pos, bool *out) {
  if (s[pos] != 't' && s[pos] != 'f') return false;
  *out = s[pos] == 't';
  return true;
}

static bool is_hex_run(const char *p, size_t k) {
  size_t i;
  for (i = 0; i < k; i++)
    if (hex_value((uint8_t)p[i]) < 0) return false;
  return true;
}

/* The service pattern: 4 or 8 hex digits, or a full 8-4-4-4-12 UUID. */
static bool service_ok(const char *p, size_t len) {
  if (len == 4 || len == 8) return is_hex_run(p, len);
  return len == 36 && is_hex_run(p, 8) && p[8] == '-' && is_hex_run(p + 9, 4) && p[13] == '-' &&
         is_hex_run(p + 14, 4) && p[18] == '-' && is_hex_run(p + 19, 4) && p[23] == '-' && is_hex_run(p + 24, 12);
}

/*
 * Walks the members of the (validated) object at s[pos], remembering for each of the `count` names where
 * the value of its last occurrence starts (0 = absent; no value starts at offset 0).
 */
static void find_keys(const uint8_t *s, size_t n, size_t pos, const char *const *names, size_t count, size_t *where) {
  cur_t c = {s, n, pos + 1};
  size_t k;
  memset(where, 0, count * sizeof *where);
  skip_ws(&c);
  if (at(&c, '}')) return;
  for (;;) {
    size_t key = c.i;
    scan_string(&c);
    skip_ws(&c);
    c.i++; /* ':' */
    skip_ws(&c);
    for (k = 0; k < count; k++)
      if (string_is(s, key, names[k])) where[k] = c.i;
    skip_value(&c);
    skip_ws(&c);
    if (at(&c, '}')) return;
    c.i++; /* ',' */
    skip_ws(&c);
  }
}

static bool fail(bsk_cmd_error_t *err, const char *code, const char *message, int close) {
  err->code = code;
  err->message = message;
  err->close = close;
  return false;
}

#define INVALID(msg) fail(err, BLESHARK_ERR_INVALID_FIELD, msg, 0)
#define STR_(x) #x
#define STR(x) STR_(x)

enum { K_TYPE, K_ID, K_MODE, K_INTERVAL, K_WINDOW, K_DURATION, K_DUPLICATES, K_FILTER, K_COUNT };
static const char *const TOP_KEYS[K_COUNT] = {
    BLESHARK_FIELD_TYPE,     BLESHARK_FIELD_ID,       BLESHARK_FIELD_MODE,       BLESHARK_FIELD_INTERVAL,
    BLESHARK_FIELD_WINDOW,   BLESHARK_FIELD_DURATION, BLESHARK_FIELD_DUPLICATES, BLESHARK_FIELD_FILTER};

enum { F_TEXT, F_MIN_RSSI, F_COMPANY, F_SERVICE, F_CONNECTABLE, F_NAMED, F_EXCLUDE, F_COUNT };
static const char *const FILTER_KEYS[F_COUNT] = {
    BLESHARK_FIELD_TEXT,        BLESHARK_FIELD_MIN_RSSI, BLESHARK_FIELD_COMPANY, BLESHARK_FIELD_SERVICE,
    BLESHARK_FIELD_CONNECTABLE, BLESHARK_FIELD_NAMED,    BLESHARK_FIELD_EXCLUDE};

static bool parse_filter(const uint8_t *s, size_t n, size_t pos, bsk_filter_t *f, bsk_cmd_error_t *err) {
  size_t at_[F_COUNT], len, units;
  int32_t v;
  if (s[pos] != '{') return INVALID("filter: expected object");
  find_keys(s, n, pos, FILTER_KEYS, F_COUNT, at_);
  if (at_[F_TEXT]) {
    if (s[at_[F_TEXT]] != '"') return INVALID("filter.text: expected string of 0.." STR(BLESHARK_FILTER_TEXT_MAX_LEN) " chars");
    decode_string(s, at_[F_TEXT], f->text, sizeof f->text, &len, &units);
    if (units > BLESHARK_FILTER_TEXT_MAX_LEN) return INVALID("filter.text: expected string of 0.." STR(BLESHARK_FILTER_TEXT_MAX_LEN) " chars");
    f->has_text = true;
    f->text_len = (uint8_t)len;
  }
  if (at_[F_MIN_RSSI]) {
    if (!int_field(s, at_[F_MIN_RSSI], BLESHARK_FILTER_MIN_RSSI_MIN, BLESHARK_FILTER_MIN_RSSI_MAX, &v))
      return INVALID("filter.minRssi: expected integer " STR(BLESHARK_FILTER_MIN_RSSI_MIN) ".." STR(BLESHARK_FILTER_MIN_RSSI_MAX));
    f->has_min_rssi = true;
    f->min_rssi = (int8_t)v;
  }
  if (at_[F_COMPANY]) {
    if (!int_field(s, at_[F_COMPANY], BLESHARK_FILTER_COMPANY_MIN, BLESHARK_FILTER_COMPANY_MAX, &v))
      return INVALID("filter.company: expected integer " STR(BLESHARK_FILTER_COMPANY_MIN) ".." STR(BLESHARK_FILTER_COMPANY_MAX));
    f->has_company = true;
    f->company = (uint16_t)v;
  }
  if (at_[F_SERVICE]) {
    bool ok = s[at_[F_SERVICE]] == '"';
    if (ok) {
      decode_string(s, at_[F_SERVICE], f->service, sizeof f->service, &len, &units);
      ok = len <= sizeof f->service && service_ok(f->service, len);
    }
    if (!ok) return INVALID("filter.service: expected a 16-bit, 32-bit or 128-bit UUID in hex");
    f->has_service = true;
    f->service_len = (uint8_t)len;
  }
  if (at_[F_CONNECTABLE]) {
    if (!bool_field(s, at_[F_CONNECTABLE], &f->connectable)) return INVALID("filter.connectable: expected boolean");
    f->has_connectable = true;
  }
  if (at_[F_NAMED]) {
    if (!bool_field(s, at_[F_NAMED], &f->named)) return INVALID("filter.named: expected boolean");
    f->has_named = true;
  }
  if (at_[F_EXCLUDE]) {
    cur_t c = {s, n, at_[F_EXCLUDE]};
    const char *bad = "filter.exclude: expected array of at most " STR(BLESHARK_FILTER_EXCLUDE_MAX_ITEMS) " company ids";
    if (s[c.i] != '[') return INVALID(bad);
    c.i++;
    skip_ws(&c);
    while (!at(&c, ']')) {
      if (f->exclude_count >= BLESHARK_FILTER_EXCLUDE_MAX_ITEMS) return INVALID(bad);
      if (!int_field(s, c.i, BLESHARK_FILTER_EXCLUDE_ITEM_MIN, BLESHARK_FILTER_EXCLUDE_ITEM_MAX, &v)) return INVALID(bad);
      f->exclude[f->exclude_count++] = (uint16_t)v;
      skip_value(&c);
      skip_ws(&c);
      if (at(&c, ',')) c.i++;
      skip_ws(&c);
    }
    f->has_exclude = true;
  }
  return true;
}

static bool parse_scan_start(const uint8_t *s, const size_t *at_, bsk_cmd_t *out, bsk_cmd_error_t *err) {
  int32_t v;
  if (at_[K_MODE]) {
    size_t m = at_[K_MODE];
    if (s[m] != '"' || (!string_is(s, m, "active") && !string_is(s, m, "passive")))
      return INVALID("mode: expected one of active|passive");
    out->has_mode = true;
    out->passive = string_is(s, m, "passive");
  }
  if (at_[K_INTERVAL]) {
    if (!int_field(s, at_[K_INTERVAL], BLESHARK_SCAN_TIMING_MIN_MS, BLESHARK_SCAN_TIMING_MAX_MS, &v))
      return INVALID("interval: expected integer " STR(BLESHARK_SCAN_TIMING_MIN_MS) ".." STR(BLESHARK_SCAN_TIMING_MAX_MS));
    out->has_interval = true;
    out->interval = (uint16_t)v;
  }
  if (at_[K_WINDOW]) {
    if (!int_field(s, at_[K_WINDOW], BLESHARK_SCAN_TIMING_MIN_MS, BLESHARK_SCAN_TIMING_MAX_MS, &v))
      return INVALID("window: expected integer " STR(BLESHARK_SCAN_TIMING_MIN_MS) ".." STR(BLESHARK_SCAN_TIMING_MAX_MS));
    out->has_window = true;
    out->window = (uint16_t)v;
  }
  if (at_[K_DURATION]) {
    if (!int_field(s, at_[K_DURATION], 0, BLESHARK_PROTOCOL_MAX_DURATION_S, &v))
      return INVALID("duration: expected integer 0.." STR(BLESHARK_PROTOCOL_MAX_DURATION_S));
    out->has_duration = true;
    out->duration = (uint32_t)v;
  }
  if (at_[K_DUPLICATES]) {
    if (!bool_field(s, at_[K_DUPLICATES], &out->duplicates)) return INVALID("duplicates: expected boolean");
    out->has_duplicates = true;
  }
  if (out->has_window && out->has_interval && out->window > out->interval)
    return INVALID("window: must not exceed interval");
  return true;
}

bool bsk_parse_command(const uint8_t *s, size_t n, bsk_cmd_t *out, bsk_cmd_error_t *err) {
  static const struct {
    const char *name;
    bsk_cmd_type_t type;
  } TYPES[] = {{BLESHARK_MSG_SCAN_START, BSK_CMD_SCAN_START},
               {BLESHARK_MSG_SCAN_STOP, BSK_CMD_SCAN_STOP},
               {BLESHARK_MSG_FILTER, BSK_CMD_FILTER},
               {BLESHARK_MSG_SNAPSHOT_REQUEST, BSK_CMD_SNAPSHOT_REQUEST},
               {BLESHARK_MSG_CLEAR, BSK_CMD_CLEAR}};
  size_t at_[K_COUNT], k, idLen = 0, idUnits = 0;
  cur_t c = {s, n, 0};
  bool idOk = false;
  memset(out, 0, sizeof *out);
  err->code = NULL;
  err->message = NULL;
  err->close = 0;
  if (n > BLESHARK_NANO_MAX_INBOUND_BYTES)
    return fail(err, BLESHARK_ERR_TOO_LARGE, "message over " STR(BLESHARK_NANO_MAX_INBOUND_BYTES) " bytes", BLESHARK_CLOSE_TOO_BIG);
  if (!bsk_utf8_valid(s, n)) return fail(err, BLESHARK_ERR_INVALID_JSON, "invalid UTF-8", BLESHARK_CLOSE_INVALID_PAYLOAD);
  skip_ws(&c);
  {
    size_t start = c.i;
    if (!skip_value(&c)) return fail(err, BLESHARK_ERR_INVALID_JSON, "not valid JSON", 0);
    skip_ws(&c);
    if (c.i != n) return fail(err, BLESHARK_ERR_INVALID_JSON, "not valid JSON", 0);
    if (s[start] != '{') return fail(err, BLESHARK_ERR_INVALID_JSON, "expected a JSON object", 0);
    find_keys(s, n, start, TOP_KEYS, K_COUNT, at_);
  }
  /* The id echoed with an error: only one that is itself valid. */
  if (at_[K_ID] && s[at_[K_ID]] == '"') {
    decode_string(s, at_[K_ID], out->id, sizeof out->id, &idLen, &idUnits);
    idOk = idUnits >= 1 && idUnits <= BLESHARK_PROTOCOL_MAX_ID_LENGTH;
    if (idOk) {
      out->has_id = true;
      out->id_len = (uint8_t)idLen;
    } else {
      out->id_len = 0;
    }
  }
  if (!at_[K_TYPE] || s[at_[K_TYPE]] != '"') return fail(err, BLESHARK_ERR_UNKNOWN_TYPE, "missing \"type\"", 0);
  for (k = 0; k < sizeof TYPES / sizeof TYPES[0]; k++)
    if (string_is(s, at_[K_TYPE], TYPES[k].name)) out->type = TYPES[k].type;
  if (out->type == 0) return fail(err, BLESHARK_ERR_UNKNOWN_TYPE, "unknown type", 0);
  if (at_[K_ID] && !idOk) return INVALID("id: expected string of 1.." STR(BLESHARK_PROTOCOL_MAX_ID_LENGTH) " chars");
  if (out->type == BSK_CMD_SCAN_START) return parse_scan_start(s, at_, out, err);
  if (out->type == BSK_CMD_FILTER) {
    if (!at_[K_FILTER]) return INVALID("filter: required");
    return parse_filter(s, n, at_[K_FILTER], &out->filter, err);
  }
  return true;
}
