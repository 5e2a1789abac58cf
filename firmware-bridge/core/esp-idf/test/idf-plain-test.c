/*
 * idf-plain-test.c: the glue's SDK-free parts on the host (built by test/core-esp-idf.test.ts with ASan
 * and UBSan): the request checks of docs/protocol.md "Security" and the advert ring. Prints "ok".
 */
#include <stdio.h>
#include <string.h>

#include "bsk_idf_guard.h"
#include "bsk_idf_ring.h"

static int failures = 0;
#define CHECK(c)                                                                                         \
  do {                                                                                                   \
    if (!(c)) {                                                                                          \
      printf("FAIL line %d: %s\n", __LINE__, #c);                                                        \
      failures++;                                                                                        \
    }                                                                                                    \
  } while (0)

static void hosts(void) {
  static const char *const names[] = {"192.168.4.1", "BLEShark.local", NULL};
  CHECK(bsk_idf_host_ok("192.168.4.1", names, 80));
  CHECK(bsk_idf_host_ok("192.168.4.1:80", names, 80));
  CHECK(bsk_idf_host_ok("bleshark.LOCAL", names, 80));
  CHECK(!bsk_idf_host_ok("192.168.4.1:8080", names, 80));
  CHECK(bsk_idf_host_ok("192.168.4.1:8080", names, 8080));
  CHECK(!bsk_idf_host_ok("192.168.4.1", names, 8080)); /* bare only on port 80 */
  CHECK(!bsk_idf_host_ok("192.168.4.10", names, 80));
  CHECK(!bsk_idf_host_ok("192.168.4.1.evil.example", names, 80));
  CHECK(!bsk_idf_host_ok("evil.example", names, 80));
  CHECK(!bsk_idf_host_ok("192.168.4.1:", names, 80));
  CHECK(!bsk_idf_host_ok("192.168.4.1:080", names, 80));
  CHECK(!bsk_idf_host_ok("", names, 80));
  CHECK(!bsk_idf_host_ok(NULL, names, 80));
}

static void origins(void) {
  static const char *const allow[] = {"http://tool.example:8080", NULL};
  CHECK(bsk_idf_origin_ok(NULL, "192.168.4.1", NULL)); /* no Origin: not a browser */
  CHECK(bsk_idf_origin_ok("http://192.168.4.1", "192.168.4.1", NULL));
  CHECK(bsk_idf_origin_ok("HTTP://192.168.4.1", "192.168.4.1", NULL));
  CHECK(bsk_idf_origin_ok("http://192.168.4.1:8080", "192.168.4.1:8080", NULL));
  CHECK(!bsk_idf_origin_ok("https://192.168.4.1", "192.168.4.1", NULL));
  CHECK(!bsk_idf_origin_ok("http://192.168.4.1.evil.example", "192.168.4.1", NULL));
  CHECK(!bsk_idf_origin_ok("http://evil.example", "192.168.4.1", NULL));
  CHECK(!bsk_idf_origin_ok("null", "192.168.4.1", NULL));
  CHECK(!bsk_idf_origin_ok("", "192.168.4.1", NULL));
  CHECK(bsk_idf_origin_ok("http://tool.example:8080", "192.168.4.1", allow));
  CHECK(!bsk_idf_origin_ok("http://TOOL.example:8080", "192.168.4.1", allow)); /* allowlist: exact */
  CHECK(!bsk_idf_origin_ok("http://tool.example", "192.168.4.1", allow));
}

static void tokens(void) {
  char s[32];
  strcpy(s, "a%20b+c%2Fd");
  CHECK(bsk_idf_url_decode(s) == 7 && strcmp(s, "a b c/d") == 0);
  strcpy(s, "bad%2");
  CHECK(bsk_idf_url_decode(s) == SIZE_MAX);
  strcpy(s, "bad%zz");
  CHECK(bsk_idf_url_decode(s) == SIZE_MAX);
  CHECK(bsk_idf_token_equal("s3cret", 6, "s3cret"));
  CHECK(!bsk_idf_token_equal("s3cre", 5, "s3cret"));
  CHECK(!bsk_idf_token_equal("s3cret!", 7, "s3cret"));
  CHECK(!bsk_idf_token_equal("S3cret", 6, "s3cret"));
  CHECK(!bsk_idf_token_equal("", 0, "s3cret"));
  /* a NUL inside the given token cannot make it equal */
  CHECK(!bsk_idf_token_equal("s3cret\0x", 8, "s3cret"));
}

static void throttle(void) {
  bsk_idf_throttle_t t;
  uint32_t now = 4000000000u; /* near the uptime counter's wrap */
  unsigned i;
  memset(&t, 0, sizeof t);
  CHECK(bsk_idf_throttle_wait_ms(&t, now) == 0);
  for (i = 0; i < BSK_IDF_THROTTLE_FREE; i++) CHECK(bsk_idf_throttle_failed(&t, now) == 0);
  CHECK(bsk_idf_throttle_wait_ms(&t, now) == 0);
  CHECK(bsk_idf_throttle_failed(&t, now) == 1000);
  CHECK(bsk_idf_throttle_wait_ms(&t, now) == 1000);
  CHECK(bsk_idf_throttle_wait_ms(&t, now + 400) == 600);
  now += 1000;
  CHECK(bsk_idf_throttle_wait_ms(&t, now) == 0);
  CHECK(bsk_idf_throttle_failed(&t, now) == 2000);
  now += 2000;
  CHECK(bsk_idf_throttle_failed(&t, now) == 4000);
  for (i = 0; i < 10; i++) (void)bsk_idf_throttle_failed(&t, now);
  CHECK(bsk_idf_throttle_wait_ms(&t, now) == BSK_IDF_THROTTLE_MAX_MS);
  now += 300000000u; /* wraps past 2^32; ten minutes and more without a wrong token */
  CHECK(bsk_idf_throttle_wait_ms(&t, now) == 0);
  CHECK(bsk_idf_throttle_failed(&t, now) == 0); /* the count started afresh */
  bsk_idf_throttle_succeeded(&t);
  CHECK(t.failures == 0 && bsk_idf_throttle_wait_ms(&t, 5u) == 0);
}

static void etags(void) {
  const char *e = "\"0123456789abcdef\"";
  CHECK(bsk_idf_etag_match("\"0123456789abcdef\"", e));
  CHECK(bsk_idf_etag_match("W/\"0123456789abcdef\"", e));
  CHECK(bsk_idf_etag_match("\"x\", \"0123456789abcdef\"", e));
  CHECK(bsk_idf_etag_match(" * ", e));
  CHECK(!bsk_idf_etag_match("\"0123456789abcdee\"", e));
  CHECK(!bsk_idf_etag_match("0123456789abcdef", e));
  CHECK(!bsk_idf_etag_match("", e));
  CHECK(!bsk_idf_etag_match(NULL, e));
}

static void close_codes(void) {
  static const uint16_t ok[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999};
  static const uint16_t bad[] = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535};
  size_t i;
  for (i = 0; i < sizeof ok / sizeof ok[0]; i++) CHECK(bsk_idf_close_code_ok(ok[i]));
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) CHECK(!bsk_idf_close_code_ok(bad[i]));
}

static bsk_idf_ring_t ring;

static void ring_order_and_drops(void) {
  bsk_idf_adv_t a;
  bsk_idf_adv_t out;
  bsk_advert_t adv;
  uint32_t i;
  bsk_idf_ring_init(&ring);
  memset(&a, 0, sizeof a);
  CHECK(!bsk_idf_ring_pop(&ring, &out));
  CHECK(bsk_idf_ring_new_drops(&ring) == 0);
  for (i = 0; i < BSK_IDF_RING_SLOTS + 5u; i++) {
    a.ms = i;
    a.addr[5] = (uint8_t)i;
    CHECK(bsk_idf_ring_push(&ring, &a) == (i < BSK_IDF_RING_SLOTS));
  }
  CHECK(bsk_idf_ring_new_drops(&ring) == 5);
  CHECK(bsk_idf_ring_new_drops(&ring) == 0);
  for (i = 0; i < BSK_IDF_RING_SLOTS; i++) {
    CHECK(bsk_idf_ring_pop(&ring, &out));
    CHECK(out.ms == i && out.addr[5] == (uint8_t)i);
  }
  CHECK(!bsk_idf_ring_pop(&ring, &out));
  /* wrap the counters many times over */
  for (i = 0; i < 10u * BSK_IDF_RING_SLOTS; i++) {
    a.ms = 1000u + i;
    CHECK(bsk_idf_ring_push(&ring, &a));
    CHECK(bsk_idf_ring_pop(&ring, &out) && out.ms == 1000u + i);
  }
  /* the core's view */
  memset(&a, 0, sizeof a);
  memcpy(a.addr, "\xaa\xbb\xcc\xdd\xee\xff", 6);
  a.addr_type = 1;
  a.flags = BSK_IDF_ADV_SCAN_RSP;
  a.rssi = -60;
  a.len = 3;
  memcpy(a.data, "\x02\x01\x06", 3);
  bsk_idf_adv_to_core(&a, &adv);
  CHECK(memcmp(adv.addr, a.addr, 6) == 0 && adv.addr_type == 1 && adv.scan_rsp && !adv.conn);
  CHECK(adv.rssi == -60 && adv.len == 3 && adv.data == a.data);
  CHECK(sizeof(bsk_idf_adv_t) == 48);
}

int main(void) {
  hosts();
  origins();
  tokens();
  throttle();
  etags();
  close_codes();
  ring_order_and_drops();
  if (failures != 0) return 1;
  puts("ok");
  return 0;
}
