/*
 * Unit tests of the device table on the host (built and run by test/core-table.test.ts under ASan +
 * UBSan). Prints "ok device=<sizeof bsk_device_t> table=<sizeof bsk_table_t>" when every check holds.
 */
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

static bsk_table_t table;

static bsk_advert_t adv(uint32_t n, uint8_t type, int8_t rssi, const char *data) {
  bsk_advert_t a;
  memset(&a, 0, sizeof a);
  a.addr[0] = 0xaa;
  a.addr[2] = (uint8_t)(n >> 16);
  a.addr[4] = (uint8_t)(n >> 8);
  a.addr[5] = (uint8_t)n;
  a.addr_type = type;
  a.conn = true;
  a.rssi = rssi;
  a.data = (const uint8_t *)data;
  a.len = strlen(data);
  return a;
}

static bsk_advert_t rsp(uint32_t n, uint8_t type, int8_t rssi, const char *data) {
  bsk_advert_t a = adv(n, type, rssi, data);
  a.scan_rsp = true;
  a.conn = false;
  return a;
}

static void test_ids_times_and_keys(void) {
  bsk_device_t *d;
  uint32_t ev;
  bsk_table_init(&table, 8, 0x9e3779b9u);
  bsk_advert_t a1 = adv(1, 0, -50, "\x02\x01\x06");
  bsk_advert_t a2 = adv(2, 1, 30, "");
  bsk_advert_t a1r = adv(1, 1, -127, "");
  CHECK(bsk_table_seen(&table, &a1, 1000, &d, &ev) == BSK_SEEN_NEW);
  CHECK(d->id == 1 && d->first == 1000 && d->last == 1000 && d->count == 1 && d->rssi == -50 && ev == 0);
  CHECK(d->adv_len == 3 && memcmp(d->adv, "\x02\x01\x06", 3) == 0 && d->flags == (BSK_DEV_CONN | BSK_DEV_HAS_ADV));
  CHECK(bsk_table_seen(&table, &a2, 1100, &d, NULL) == BSK_SEEN_NEW);
  CHECK(d->id == 2 && d->rssi == 20); /* clamped to the wire's range */
  /* Same address, other address type: another device. */
  CHECK(bsk_table_seen(&table, &a1r, 1200, &d, NULL) == BSK_SEEN_NEW && d->id == 3 && table.count == 3);
  a1.rssi = -60;
  CHECK(bsk_table_seen(&table, &a1, 2000, &d, NULL) == BSK_SEEN_SAME);
  CHECK(d->id == 1 && d->first == 1000 && d->last == 2000 && d->count == 2 && d->rssi == -60);
  /* An earlier timestamp never moves last back. */
  CHECK(bsk_table_seen(&table, &a1, 1500, &d, NULL) == BSK_SEEN_SAME && d->last == 2000 && d->count == 3);
  /* New bytes or connectability change the record. */
  a1.conn = false;
  CHECK(bsk_table_seen(&table, &a1, 2100, &d, NULL) == BSK_SEEN_CHANGED && !(d->flags & BSK_DEV_CONN));
  a1.data = (const uint8_t *)"\x02\x01\x04";
  CHECK(bsk_table_seen(&table, &a1, 2200, &d, NULL) == BSK_SEEN_CHANGED && d->adv[2] == 4);
  uint8_t addr[6] = {0xaa, 0, 0, 0, 0, 2};
  CHECK(bsk_table_find(&table, addr, 1) != NULL && bsk_table_find(&table, addr, 1)->id == 2);
  CHECK(bsk_table_find(&table, addr, 0) == NULL);
}

static void test_scan_response_merge(void) {
  bsk_device_t *d;
  bsk_table_init(&table, 8, 0x9e3779b9u);
  bsk_advert_t a = adv(7, 1, -40, "\x02\x01\x06");
  bsk_advert_t r = rsp(7, 1, -41, "\x04\x09" "abc");
  CHECK(bsk_table_seen(&table, &a, 10, &d, NULL) == BSK_SEEN_NEW);
  CHECK(bsk_table_seen(&table, &r, 11, &d, NULL) == BSK_SEEN_CHANGED);
  CHECK(table.count == 1 && d->id == 1 && d->count == 1 && d->last == 11 && d->rssi == -41);
  CHECK(d->rsp_len == 5 && memcmp(d->rsp, "\x04\x09" "abc", 5) == 0 && d->adv_len == 3);
  CHECK(d->flags == (BSK_DEV_CONN | BSK_DEV_HAS_ADV | BSK_DEV_HAS_RSP)); /* conn kept from the advert */
  CHECK(bsk_table_seen(&table, &r, 12, &d, NULL) == BSK_SEEN_SAME && d->count == 1);
  CHECK(bsk_table_seen(&table, &a, 13, &d, NULL) == BSK_SEEN_SAME && d->count == 2 && d->rsp_len == 5);
  /* An empty scan response replaces the stored one. */
  bsk_advert_t empty = rsp(7, 1, -41, "");
  CHECK(bsk_table_seen(&table, &empty, 14, &d, NULL) == BSK_SEEN_CHANGED && d->rsp_len == 0);
  CHECK(d->flags & BSK_DEV_HAS_RSP);
  /* A scan response whose advertisement was missed enters the device: count 1, not connectable. */
  bsk_advert_t lone = rsp(8, 0, -70, "\x02\x0a\x04");
  CHECK(bsk_table_seen(&table, &lone, 20, &d, NULL) == BSK_SEEN_NEW);
  CHECK(d->id == 2 && d->count == 1 && d->flags == BSK_DEV_HAS_RSP && d->adv_len == 0);
}

static void test_refused(void) {
  bsk_device_t *d;
  bsk_table_init(&table, 8, 0x9e3779b9u);
  bsk_advert_t big = adv(1, 0, -50, "0123456789012345678901234567890x"); /* 32 bytes */
  CHECK(bsk_table_seen(&table, &big, 1, &d, NULL) == BSK_SEEN_REFUSED && d == NULL);
  big.len = 31;
  CHECK(bsk_table_seen(&table, &big, 1, &d, NULL) == BSK_SEEN_NEW && d->adv_len == 31);
  bsk_advert_t type2 = adv(2, 2, -50, "");
  CHECK(bsk_table_seen(&table, &type2, 1, &d, NULL) == BSK_SEEN_REFUSED);
  CHECK(table.refused == 2 && table.count == 1);
}

static void test_eviction(void) {
  bsk_device_t *d;
  uint32_t ev;
  bsk_table_init(&table, 3, 0x9e3779b9u);
  for (uint32_t n = 1; n <= 3; n++) {
    bsk_advert_t a = adv(n, 0, -50, "");
    CHECK(bsk_table_seen(&table, &a, n, &d, &ev) == BSK_SEEN_NEW && ev == 0);
  }
  bsk_advert_t a1 = adv(1, 0, -50, "");
  CHECK(bsk_table_seen(&table, &a1, 4, &d, &ev) == BSK_SEEN_SAME); /* 2 is now the stalest */
  /* The clients' bytes of an entry are the core's: a new device in an evicted slot finds them as they
   * were, for the core to settle (the evicted device's removal). */
  d = bsk_table_find(&table, adv(2, 0, 0, "").addr, 0);
  CHECK(d != NULL);
  bsk_device_t *slot2 = d;
  memset(slot2->cl, 0xA5, sizeof slot2->cl);
  bsk_advert_t a4 = adv(4, 0, -50, "");
  CHECK(bsk_table_seen(&table, &a4, 5, &d, &ev) == BSK_SEEN_NEW && ev == 2 && d->id == 4);
  CHECK(d == slot2 && d->cl[0] == 0xA5 && d->cl[sizeof d->cl - 1] == 0xA5);
  memset(d->cl, 0, sizeof d->cl);
  CHECK(table.count == 3 && table.evicted == 1);
  /* A scan response refreshes a device too: 1 is heard, so 3 goes next. */
  bsk_advert_t r1 = rsp(1, 0, -50, "");
  CHECK(bsk_table_seen(&table, &r1, 6, &d, &ev) == BSK_SEEN_CHANGED);
  bsk_advert_t a5 = adv(5, 0, -50, "");
  CHECK(bsk_table_seen(&table, &a5, 7, &d, &ev) == BSK_SEEN_NEW && ev == 3 && d->id == 5);
  /* The evicted device comes back as a new one with a new id. */
  bsk_advert_t a2 = adv(2, 0, -50, "");
  CHECK(bsk_table_seen(&table, &a2, 8, &d, &ev) == BSK_SEEN_NEW && ev == 4 && d->id == 6 && d->first == 8);
  CHECK(table.evicted == 3);
  /* Last-seen order, stalest first: 1 (6), 5 (7), 2 (8). */
  uint32_t want[] = {1, 5, 6};
  size_t i = 0;
  for (bsk_device_t *e = bsk_table_stalest(&table); e; e = bsk_table_newer(&table, e), i++)
    CHECK(i < 3 && e->id == want[i]);
  CHECK(i == 3);
  /* clear empties the table; ids go on. */
  bsk_table_clear(&table);
  CHECK(table.count == 0 && bsk_table_stalest(&table) == NULL && bsk_table_find(&table, a1.addr, 0) == NULL);
  CHECK(bsk_table_seen(&table, &a1, 9, &d, &ev) == BSK_SEEN_NEW && d->id == 7 && ev == 0);
}

/* Churn at the Nano's size: the index, the order and the free list stay consistent. */
static void test_churn_at_full_size(void) {
  bsk_device_t *d;
  uint32_t ev;
  bsk_table_init(&table, 0xFFFF, 0x9e3779b9u);
  CHECK(table.max == BLESHARK_NANO_MAX_DEVICES);
  const uint32_t total = BLESHARK_NANO_MAX_DEVICES * 4u + 7u;
  for (uint32_t n = 0; n < total; n++) {
    bsk_advert_t a = adv(n * 2654435761u >> 8, (uint8_t)(n & 1), -50, "\x02\x01\x06");
    CHECK(bsk_table_seen(&table, &a, n, &d, &ev) == BSK_SEEN_NEW);
    CHECK(ev == (n < BLESHARK_NANO_MAX_DEVICES ? 0 : n + 1 - BLESHARK_NANO_MAX_DEVICES));
  }
  CHECK(table.count == BLESHARK_NANO_MAX_DEVICES && table.evicted == total - BLESHARK_NANO_MAX_DEVICES);
  for (uint32_t n = 0; n < total; n++) {
    bsk_advert_t a = adv(n * 2654435761u >> 8, (uint8_t)(n & 1), -50, "");
    bsk_device_t *f = bsk_table_find(&table, a.addr, a.addr_type);
    CHECK(n < total - BLESHARK_NANO_MAX_DEVICES ? f == NULL : f != NULL && f->id == n + 1);
  }
  size_t seen = 0;
  uint32_t last = 0;
  for (bsk_device_t *e = bsk_table_stalest(&table); e; e = bsk_table_newer(&table, e), seen++) {
    CHECK(e->last >= last);
    last = e->last;
  }
  CHECK(seen == BLESHARK_NANO_MAX_DEVICES);
}

/* The longest chain of the address index. */
static size_t longest_chain(void) {
  size_t most = 0;
  for (size_t b = 0; b < BSK_TABLE_BUCKETS; b++) {
    size_t n = 0;
    for (uint16_t s = table.bucket[b]; s != BSK_NIL; s = table.dev[s].chain) n++;
    if (n > most) most = n;
  }
  return most;
}

/* Addresses crowded into one bucket under one seed spread out under another. */
static void test_hash_seed(void) {
  static bsk_advert_t crowd[32];
  size_t found = 0;
  uint16_t target = BSK_NIL;
  bsk_table_init(&table, 1, 1);
  for (uint32_t n = 0; n < 200000 && found < 32; n++) {
    bsk_advert_t a = adv(n, 1, -50, "");
    bsk_device_t *d;
    bsk_table_seen(&table, &a, n, &d, NULL);
    uint16_t b = 0;
    while (table.bucket[b] == BSK_NIL) b++;
    if (target == BSK_NIL) target = b;
    if (b == target) crowd[found++] = a;
  }
  CHECK(found == 32);
  bsk_table_init(&table, 64, 1);
  for (size_t i = 0; i < found; i++) bsk_table_seen(&table, &crowd[i], 1, NULL, NULL);
  CHECK(longest_chain() == 32);
  bsk_table_init(&table, 64, 0xc0ffee);
  for (size_t i = 0; i < found; i++) bsk_table_seen(&table, &crowd[i], 1, NULL, NULL);
  CHECK(longest_chain() < 8);
  for (size_t i = 0; i < found; i++) CHECK(bsk_table_find(&table, crowd[i].addr, 1) != NULL);
}

int main(void) {
  test_ids_times_and_keys();
  test_scan_response_merge();
  test_refused();
  test_eviction();
  test_churn_at_full_size();
  test_hash_seed();
  if (failures) return 1;
  printf("ok device=%zu table=%zu\n", sizeof(bsk_device_t), sizeof(bsk_table_t));
  return 0;
}
