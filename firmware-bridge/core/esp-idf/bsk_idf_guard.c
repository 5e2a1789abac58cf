/* bsk_idf_guard.c: see bsk_idf_guard.h. */
#include "bsk_idf_guard.h"

#include <string.h>

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* Compares a[0..n) with b[0..n) ignoring ASCII case. */
static bool same_ci(const char *a, const char *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

/* True when s is ":" followed by the decimal port and nothing else. */
static bool is_port_suffix(const char *s, uint16_t port) {
  char digits[8];
  size_t n = 0;
  unsigned v = port;
  size_t i;
  if (s[0] != ':') return false;
  do {
    digits[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v != 0u);
  if (strlen(s + 1) != n) return false;
  for (i = 0; i < n; i++)
    if (s[1 + i] != digits[n - 1 - i]) return false;
  return true;
}

bool bsk_idf_host_ok(const char *host, const char *const *names, uint16_t port) {
  size_t i;
  if (host == NULL || host[0] == '\0' || names == NULL) return false;
  for (i = 0; names[i] != NULL; i++) {
    size_t n = strlen(names[i]);
    if (n == 0 || strlen(host) < n || !same_ci(host, names[i], n)) continue;
    if (host[n] == '\0' && port == 80u) return true;
    if (host[n] != '\0' && is_port_suffix(host + n, port)) return true;
  }
  return false;
}

bool bsk_idf_origin_ok(const char *origin, const char *host, const char *const *allow) {
  static const char scheme[] = "http://";
  const size_t sn = sizeof scheme - 1;
  size_t i;
  if (origin == NULL) return true;
  if (host != NULL && host[0] != '\0' && strlen(origin) == sn + strlen(host) && same_ci(origin, scheme, sn) &&
      same_ci(origin + sn, host, strlen(host)))
    return true;
  if (allow == NULL) return false;
  for (i = 0; allow[i] != NULL; i++)
    if (strcmp(origin, allow[i]) == 0) return true;
  return false;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

size_t bsk_idf_url_decode(char *s) {
  size_t r = 0;
  size_t w = 0;
  while (s[r] != '\0') {
    if (s[r] == '%') {
      int hi = hex_value(s[r + 1]);
      int lo = hi < 0 ? -1 : hex_value(s[r + 2]);
      if (lo < 0) return SIZE_MAX;
      s[w++] = (char)(hi * 16 + lo);
      r += 3;
    } else {
      s[w++] = s[r] == '+' ? ' ' : s[r];
      r++;
    }
  }
  s[w] = '\0';
  return w;
}

bool bsk_idf_token_equal(const char *given, size_t given_len, const char *token) {
  size_t token_len = strlen(token);
  unsigned diff = (given_len != token_len) ? 1u : 0u;
  size_t i;
  if (given_len > BSK_IDF_TOKEN_MAX || token_len > BSK_IDF_TOKEN_MAX) return false;
  for (i = 0; i < BSK_IDF_TOKEN_MAX; i++) {
    unsigned a = i < given_len ? (unsigned char)given[i] : 0u;
    unsigned b = i < token_len ? (unsigned char)token[i] : 0u;
    diff |= a ^ b;
  }
  return diff == 0u;
}

uint32_t bsk_idf_throttle_wait_ms(bsk_idf_throttle_t *t, uint32_t now_ms) {
  int32_t left;
  if (t->failures == 0u) return 0;
  left = (int32_t)(t->until_ms - now_ms);
  if (left <= 0 && now_ms - t->last_ms >= BSK_IDF_THROTTLE_FORGET_MS) {
    t->failures = 0;
    return 0;
  }
  return left > 0 ? (uint32_t)left : 0u;
}

uint32_t bsk_idf_throttle_failed(bsk_idf_throttle_t *t, uint32_t now_ms) {
  uint32_t delay = 0;
  (void)bsk_idf_throttle_wait_ms(t, now_ms); /* forgets a stale count first */
  if (t->failures < UINT32_MAX) t->failures++;
  t->last_ms = now_ms;
  if (t->failures > BSK_IDF_THROTTLE_FREE) {
    uint32_t over = t->failures - BSK_IDF_THROTTLE_FREE - 1u;
    delay = over >= 6u ? BSK_IDF_THROTTLE_MAX_MS : BSK_IDF_THROTTLE_BASE_MS << over;
    if (delay > BSK_IDF_THROTTLE_MAX_MS) delay = BSK_IDF_THROTTLE_MAX_MS;
  }
  t->until_ms = now_ms + delay;
  return delay;
}

void bsk_idf_throttle_succeeded(bsk_idf_throttle_t *t) { memset(t, 0, sizeof *t); }

bool bsk_idf_etag_match(const char *header, const char *etag) {
  size_t n = strlen(etag);
  const char *p = header;
  if (header == NULL) return false;
  while (*p != '\0') {
    const char *end;
    size_t len;
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    end = p;
    while (*end != '\0' && *end != ',') end++;
    len = (size_t)(end - p);
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
    if (len == 1 && p[0] == '*') return true;
    if (len == n && memcmp(p, etag, n) == 0) return true;
    if (len == n + 2 && p[0] == 'W' && p[1] == '/' && memcmp(p + 2, etag, n) == 0) return true;
    p = end;
  }
  return false;
}

bool bsk_idf_close_code_ok(uint16_t code) {
  return (code >= 1000u && code <= 1003u) || (code >= 1007u && code <= 1014u) || (code >= 3000u && code <= 4999u);
}
