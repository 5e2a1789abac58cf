/* Unit tests of the core on the host (built and run by test/core-unit.test.ts under ASan + UBSan). */
#include <stdio.h>
#include <string.h>

#include "bleshark_core.h"

static int failures;
#define CHECK(c)                                                   \
  do {                                                             \
    if (!(c)) {                                                    \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);          \
      failures++;                                                  \
    }                                                              \
  } while (0)

#define U8(lit) (const uint8_t *)(lit), sizeof(lit) - 1

static bool same(const bsk_json_t *w, const char *want) {
  return w->len == strlen(want) && memcmp(w->buf, want, w->len) == 0;
}

static void test_utf8(void) {
  uint32_t cp;
  CHECK(bsk_utf8_valid(U8("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")));
  CHECK(!bsk_utf8_valid(U8("\xc0\xaf")));         /* overlong */
  CHECK(!bsk_utf8_valid(U8("\xed\xa0\x80")));     /* surrogate */
  CHECK(!bsk_utf8_valid(U8("\xf4\x90\x80\x80"))); /* over U+10FFFF */
  CHECK(!bsk_utf8_valid(U8("\xe2\x82")));         /* cut by the end */
  CHECK(bsk_utf8_next(U8("\xe2\x82x"), &cp, false) == 2 && cp == BSK_UTF8_INVALID);
  CHECK(bsk_utf8_next(U8("\xff"), &cp, false) == 1 && cp == BSK_UTF8_INVALID);
  CHECK(bsk_utf8_next(U8("\xed\xa0\x80"), &cp, true) == 3 && cp == 0xD800u);
  CHECK(bsk_utf8_next(U8("\xed\xa0\x80"), &cp, false) == 1 && cp == BSK_UTF8_INVALID);
}

static void test_json_strings(void) {
  char buf[64];
  bsk_json_t w;
  bsk_json_init(&w, buf, sizeof buf);
  CHECK(bsk_json_str(&w, U8("a\"b\\c\n\x01\x7f\xe2\x80\xa8\xe2\x80\xa9"), 0));
  CHECK(same(&w, "\"a\\\"b\\\\c\\n\\u0001\x7f\\u2028\\u2029\""));
  bsk_json_init(&w, buf, sizeof buf);
  CHECK(bsk_json_str(&w, U8("x\xff\xe2\x82y\xed\xa0\x80"), 0));
  CHECK(same(&w, "\"x\xef\xbf\xbd\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""));
  bsk_json_init(&w, buf, sizeof buf);
  CHECK(bsk_json_str(&w, U8("\xed\xa0\x80"), BSK_JSON_WTF8));
  CHECK(same(&w, "\"\\ud800\""));
}

static void test_json_bounds(void) {
  /* The writer never touches the guard bytes past its capacity. */
  char buf[16];
  bsk_json_t w;
  size_t used;
  memset(buf, '#', sizeof buf);
  bsk_json_init(&w, buf, 8);
  CHECK(!bsk_json_str(&w, U8("123456789"), 0));
  CHECK(w.len == 0 && w.truncated);
  w.truncated = false;
  used = bsk_json_str_cut(&w, U8("ab\xe2\x82\xac"), 0, 2);
  CHECK(used == 2 && w.truncated && same(&w, "\"ab\"")); /* the euro sign does not fit whole: not split */
  CHECK(bsk_json_raw(&w, "}", 1) && w.len == 5);
  CHECK(!bsk_json_int(&w, -1234) && w.len == 5);
  CHECK(bsk_json_int(&w, -12) && w.len == 8 && !bsk_json_raw(&w, "x", 1));
  CHECK(bsk_json_str_cut(&w, U8("a"), 0, 0) == 0 && w.len == 8);
  CHECK(memcmp(buf + 8, "########", 8) == 0);
  bsk_json_init(&w, buf, sizeof buf);
  CHECK(bsk_json_int(&w, INT64_MIN) == false && w.truncated); /* 20 characters do not fit 16 */
  bsk_json_init(&w, buf, sizeof buf);
  CHECK(bsk_json_int(&w, 0) && same(&w, "0"));
}

static void test_command(void) {
  bsk_cmd_t c;
  bsk_cmd_error_t e;
  CHECK(bsk_parse_command(U8("{\"type\":\"scan-start\",\"id\":\"s1\",\"mode\":\"passive\",\"interval\":100,\"window\":50,\"duration\":0}"), &c, &e));
  CHECK(c.type == BSK_CMD_SCAN_START && c.has_id && c.id_len == 2 && memcmp(c.id, "s1", 2) == 0);
  CHECK(c.has_mode && c.passive && c.interval == 100 && c.window == 50 && c.has_duration && c.duration == 0);
  CHECK(!c.has_duplicates);
  CHECK(bsk_parse_command(U8("{\"type\":\"filter\",\"filter\":{\"minRssi\":-80,\"exclude\":[76,6],\"named\":true}}"), &c, &e));
  CHECK(c.type == BSK_CMD_FILTER && c.filter.has_min_rssi && c.filter.min_rssi == -80);
  CHECK(c.filter.exclude_count == 2 && c.filter.exclude[0] == 76 && c.filter.named && !c.filter.has_text);
  CHECK(!bsk_parse_command(U8("{\"type\":\"scan-start\",\"id\":\"w\",\"interval\":10,\"window\":20}"), &c, &e));
  CHECK(strcmp(e.code, BLESHARK_ERR_INVALID_FIELD) == 0 && e.close == 0 && c.has_id);
  CHECK(!bsk_parse_command(U8("{\"type\":\"clear\""), &c, &e) && strcmp(e.code, BLESHARK_ERR_INVALID_JSON) == 0);
  CHECK(!bsk_parse_command(U8(""), &c, &e) && strcmp(e.code, BLESHARK_ERR_INVALID_JSON) == 0);
  CHECK(!bsk_parse_command(U8("{\"type\":\"\xff\"}"), &c, &e) && e.close == BLESHARK_CLOSE_INVALID_PAYLOAD);
  {
    /* Deepest nesting the length allows is fine; one bracket short is invalid-json. */
    static uint8_t deep[BLESHARK_NANO_MAX_INBOUND_BYTES];
    size_t n = 0, k, half = (BLESHARK_NANO_MAX_INBOUND_BYTES - 24) / 2;
    memcpy(deep, "{\"type\":\"clear\",\"d\":", 20);
    n = 20;
    for (k = 0; k < half; k++) deep[n++] = '[';
    for (k = 0; k < half; k++) deep[n++] = ']';
    deep[n++] = '}';
    CHECK(bsk_parse_command(deep, n, &c, &e) && c.type == BSK_CMD_CLEAR);
    CHECK(!bsk_parse_command(deep, n - 2, &c, &e) && strcmp(e.code, BLESHARK_ERR_INVALID_JSON) == 0);
  }
}

int main(void) {
  test_utf8();
  test_json_strings();
  test_json_bounds();
  test_command();
  if (failures) return 1;
  puts("ok");
  return 0;
}
