/*
 * Unit tests of the core's sessions (bsk_core_*) on a fake clock: hello, snapshot parts, the leading
 * edge then coalescing, seen counts, removals on eviction and on a filter change, one frame in flight,
 * the token bucket to 1008, 1009 / 1007 / 1003, max clients, a stuck client, clear, the scan's end.
 * Prints "ok" and exits 0, or names the first failed check and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleshark_core.h"

#define CHECK(c)                                                                     \
  do {                                                                               \
    if (!(c)) {                                                                      \
      printf("%s:%d: CHECK(%s) failed; last frame: %s\n", __FILE__, __LINE__, #c, frame); \
      exit(1);                                                                       \
    }                                                                                \
  } while (0)

/* Issue 12's static RAM goal at the Nano's limits (512 devices, 4 clients): this build's sizeof, the
 * larger of x86-64 (58,824 B) and ILP32 (57,664 B on RV32 and gcc -m32). */
#if BLESHARK_NANO_MAX_DEVICES == 512 && BLESHARK_NANO_MAX_CLIENTS == 4
_Static_assert(sizeof(bsk_core_t) <= 64u * 1024u, "bsk_core_t over 64 KB at the Nano's limits");
#endif

static bsk_core_t core;
static char frame[BLESHARK_NANO_MAX_FRAME_BYTES + 1];
static bsk_frame_out_t out;
static int starts, stops;
static const char *fail_start;

static const char *on_start(void *ctx, const bsk_scan_params_t *p) {
  (void)ctx;
  (void)p;
  if (fail_start) return fail_start;
  starts++;
  return NULL;
}
static void on_stop(void *ctx) {
  (void)ctx;
  stops++;
}

static void init(uint16_t max_devices, uint32_t now) {
  bsk_core_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = "BLEShark Nano";
  cfg.firmware = "1.4.0";
  cfg.address = "aa:bb:cc:dd:ee:ff";
  cfg.epoch = "k3x9q2";
  cfg.max_devices = max_devices;
  cfg.hash_seed = 0x12345678u;
  cfg.scan_on_init = true;
  cfg.scan_start = on_start;
  cfg.scan_stop = on_stop;
  starts = stops = 0;
  fail_start = NULL;
  bsk_core_init(&core, &cfg, now);
}

/* The next frame for slot at now (marked sent at once unless keep), as a string; NULL when none. */
static const char *next_keep(int slot, uint32_t now, bool keep) {
  size_t n = bsk_core_next_frame(&core, slot, now, frame, sizeof frame - 1, &out);
  frame[n] = 0;
  if (!n) return NULL;
  if (!keep) bsk_core_sent(&core, slot);
  return frame;
}
static const char *next(int slot, uint32_t now) { return next_keep(slot, now, false); }

static bool starts_with(const char *s, const char *prefix) { return s && strncmp(s, prefix, strlen(prefix)) == 0; }
static bool has(const char *s, const char *part) { return s && strstr(s, part) != NULL; }

/* The integer after "key": in s, or -1. */
static long num(const char *s, const char *key) {
  char k[64];
  snprintf(k, sizeof k, "\"%s\":", key);
  const char *p = s ? strstr(s, k) : NULL;
  return p ? strtol(p + strlen(k), NULL, 10) : -1;
}

/* Records ("id": occurrences) in a frame. */
static int records(const char *s) {
  int n = 0;
  for (const char *p = s; p && (p = strstr(p, "{\"id\":")) != NULL; p++) n++;
  return n;
}

static void text(int slot, const char *s, uint32_t now) {
  bsk_core_client_text(&core, slot, (const uint8_t *)s, strlen(s), now);
}

/* An advertisement from address ...:last with a complete local name. */
static void advert(uint8_t last, int8_t rssi, const char *name, uint32_t now) {
  uint8_t data[31];
  size_t n = 0, len = name ? strlen(name) : 0;
  data[n++] = 2;
  data[n++] = 1;
  data[n++] = 6;
  if (len) {
    data[n++] = (uint8_t)(len + 1);
    data[n++] = 9;
    memcpy(data + n, name, len);
    n += len;
  }
  bsk_advert_t a;
  memset(&a, 0, sizeof a);
  a.addr[0] = 0xc0;
  a.addr[4] = (uint8_t)(last >> 4);
  a.addr[5] = last;
  a.addr_type = 1;
  a.conn = true;
  a.rssi = rssi;
  a.data = data;
  a.len = n;
  bsk_core_advert(&core, &a, now);
}

/* Opens a client and takes its hello and snapshot at now. */
static int connect(uint32_t now) {
  int c = bsk_core_client_open(&core, now);
  CHECK(c >= 0);
  CHECK(starts_with(next(c, now), "{\"type\":\"hello\""));
  CHECK(starts_with(next(c, now), "{\"type\":\"snapshot\""));
  CHECK(!has(frame, "\"more\":true"));
  CHECK(next(c, now) == NULL);
  return c;
}

static void test_hello_and_snapshot(void) {
  init(512, 1000);
  CHECK(starts == 1);
  int c = bsk_core_client_open(&core, 1000);
  CHECK(c == 0);
  CHECK(starts_with(next(c, 1000), "{\"type\":\"hello\",\"protocol\":" "1" ",\"schema\":\"" BLESHARK_SCHEMA_HASH "\""));
  CHECK(has(frame, "\"device\":{\"model\":\"BLEShark Nano\",\"firmware\":\"1.4.0\",\"address\":\"aa:bb:cc:dd:ee:ff\","
                   "\"source\":\"radio\",\"demo\":false}"));
  CHECK(has(frame, "\"epoch\":\"k3x9q2\",\"client\":1,\"t\":1000,"));
  CHECK(has(frame, "\"caps\":[\"passive\",\"duration\",\"duplicates\",\"filter\",\"raw\",\"clear\"]"));
  CHECK(has(frame, "\"scan\":{\"scanning\":true,\"mode\":\"active\",\"interval\":100,\"window\":50,\"duration\":0,"
                   "\"duplicates\":true,\"since\":1000}}"));
  CHECK(num(frame, "maxDevices") == 512 && num(frame, "maxClients") == BSK_MAX_CLIENTS);
  CHECK(strcmp(next(c, 1000), "{\"type\":\"snapshot\",\"seq\":1,\"t\":1000,\"reason\":\"connect\",\"total\":0,"
                              "\"more\":false,\"d\":[]}") == 0);
  CHECK(next(c, 1000) == NULL);
  /* The second connection gets the next client number and sees the devices in its snapshot. */
  advert(1, -40, "one", 1100);
  advert(2, -41, "two", 1100);
  int c2 = bsk_core_client_open(&core, 1200);
  CHECK(c2 == 1);
  CHECK(num(next(c2, 1200), "client") == 2);
  CHECK(starts_with(next(c2, 1200), "{\"type\":\"snapshot\",\"seq\":1,\"t\":1200,\"reason\":\"connect\",\"total\":2,"
                                    "\"more\":false,\"d\":[{\"id\":1,"));
  CHECK(records(frame) == 2);
}

static void test_one_frame_in_flight(void) {
  init(512, 0);
  int c = bsk_core_client_open(&core, 0);
  CHECK(starts_with(next_keep(c, 0, true), "{\"type\":\"hello\""));
  CHECK(next(c, 1) == NULL);   /* hello not sent yet */
  CHECK(bsk_core_wait_ms(&core, 1) > 0);
  bsk_core_sent(&core, c);
  CHECK(bsk_core_wait_ms(&core, 1) == 0);
  CHECK(starts_with(next(c, 2), "{\"type\":\"snapshot\""));
}

static void test_leading_edge_and_coalescing(void) {
  init(512, 0);
  int c = connect(1000); /* the snapshot left at 1000 */
  advert(1, -50, "dev", 1050);
  CHECK(next(c, 1050) == NULL); /* within the interval after the snapshot */
  CHECK(bsk_core_wait_ms(&core, 1050) == 50);
  CHECK(starts_with(next(c, 1100), "{\"type\":\"batch\",\"seq\":2,\"t\":1100,\"d\":[{\"id\":1,"));
  CHECK(records(frame) == 1 && !has(frame, "\"u\":") && !has(frame, "\"x\":"));
  /* Three sightings within the interval coalesce into one update carrying the count. */
  advert(1, -51, "dev", 1110);
  advert(1, -52, "dev", 1120);
  advert(1, -53, "dev", 1130);
  CHECK(next(c, 1130) == NULL);
  CHECK(strcmp(next(c, 1200), "{\"type\":\"batch\",\"seq\":3,\"t\":1200,\"u\":[[1,-53,3]]}") == 0);
  /* After a quiet interval the first sighting leaves at once (leading edge), without a count of 1. */
  advert(1, -54, "dev", 1500);
  CHECK(strcmp(next(c, 1500), "{\"type\":\"batch\",\"seq\":4,\"t\":1500,\"u\":[[1,-54]]}") == 0);
  /* A changed name is a whole record again. */
  advert(1, -54, "DEV", 1700);
  CHECK(starts_with(next(c, 1700), "{\"type\":\"batch\",\"seq\":5,\"t\":1700,\"d\":[{\"id\":1,"));
  CHECK(has(frame, "\"name\":\"DEV\""));
  /* status: coalesced counts the two merged sightings; seq the last data frame. */
  CHECK(starts_with(next(c, 3000), "{\"type\":\"status\",\"t\":3000,"));
  CHECK(num(frame, "coalesced") == 2 && num(frame, "seq") == 5 && num(frame, "devices") == 1);
  CHECK(num(frame, "shown") == 1 && num(frame, "clients") == 1);
  CHECK(has(frame, "\"filter\":{},"));
}

/* Each client's state of a device is 6 bits in the device's entry: a count of 14 advertisements behind
 * one update is the most it carries; the 15th makes the update the whole record (absolute count). The
 * clients' bits are independent of each other. */
static void test_seen_limit(void) {
  init(512, 0);
  int a = connect(1000), b = connect(1000);
  advert(7, -50, "dev", 1100);
  CHECK(starts_with(next(a, 1100), "{\"type\":\"batch\",\"seq\":2,\"t\":1100,\"d\":[{\"id\":1,"));
  CHECK(starts_with(next(b, 1100), "{\"type\":\"batch\",\"seq\":2,\"t\":1100,\"d\":[{\"id\":1,"));
  /* 14 sightings within the interval: one update carrying 14, for both. */
  for (uint32_t i = 0; i < 14; i++) advert(7, -51, "dev", 1110 + i);
  CHECK(strcmp(next(a, 1200), "{\"type\":\"batch\",\"seq\":3,\"t\":1200,\"u\":[[1,-51,14]]}") == 0);
  /* b does not take its batch yet: 1 more sighting is its 15th, a's 1st. */
  advert(7, -52, "dev", 1210);
  CHECK(starts_with(next(b, 1210), "{\"type\":\"batch\",\"seq\":3,\"t\":1210,\"d\":[{\"id\":1,"));
  CHECK(num(frame, "count") == 16 && has(frame, "\"rssi\":-52,") && !has(frame, "\"u\":"));
  CHECK(strcmp(next(a, 1300), "{\"type\":\"batch\",\"seq\":4,\"t\":1300,\"u\":[[1,-52]]}") == 0);
  /* Past 15 the record stays the item (no wrap): 40 sightings, one record with the count. */
  for (uint32_t i = 0; i < 40; i++) advert(7, -53, "dev", 1310 + i);
  CHECK(starts_with(next(a, 1400), "{\"type\":\"batch\",\"seq\":5,\"t\":1400,\"d\":[{\"id\":1,"));
  CHECK(num(frame, "count") == 56);
  CHECK(starts_with(next(b, 1400), "{\"type\":\"batch\",\"seq\":4,\"t\":1400,\"d\":[{\"id\":1,"));
  CHECK(num(frame, "count") == 56);
  CHECK(next(a, 1600) == NULL && next(b, 1600) == NULL);
  /* A scan response adds nothing to the count behind an update. */
  bsk_advert_t r;
  memset(&r, 0, sizeof r);
  r.addr[0] = 0xc0;
  r.addr[5] = 7;
  r.addr_type = 1;
  r.scan_rsp = true;
  r.rssi = -60;
  bsk_core_advert(&core, &r, 1700); /* a first scan response: the record changed */
  CHECK(starts_with(next(a, 1700), "{\"type\":\"batch\",\"seq\":6,\"t\":1700,\"d\":[{\"id\":1,"));
  bsk_core_advert(&core, &r, 1900); /* the same again: an update without a count */
  CHECK(strcmp(next(a, 1900), "{\"type\":\"batch\",\"seq\":7,\"t\":1900,\"u\":[[1,-60]]}") == 0);
}

static void test_removals(void) {
  init(2, 0);
  int c = connect(0);
  advert(1, -50, "a", 200);
  advert(2, -50, "b", 200);
  CHECK(records(next(c, 200)) == 2);
  advert(3, -50, "c", 400); /* evicts device 1, the stalest */
  CHECK(starts_with(next(c, 400), "{\"type\":\"batch\",\"seq\":3,\"t\":400,\"d\":[{\"id\":3,"));
  CHECK(has(frame, "],\"x\":[1]}"));
  /* A filter: ack, then a snapshot of what matches; a held device that stops matching leaves with x. */
  text(c, "{\"type\":\"filter\",\"id\":\"f1\",\"filter\":{\"minRssi\":-60}}", 600);
  CHECK(strcmp(next(c, 600), "{\"type\":\"ack\",\"id\":\"f1\",\"command\":\"filter\"}") == 0);
  CHECK(starts_with(next(c, 600), "{\"type\":\"snapshot\",\"seq\":4,\"t\":600,\"reason\":\"filter\",\"total\":2,"));
  advert(2, -70, "b", 800);
  CHECK(strcmp(next(c, 800), "{\"type\":\"batch\",\"seq\":5,\"t\":800,\"x\":[2]}") == 0);
  advert(2, -71, "b", 1000); /* not held, does not match: nothing */
  CHECK(next(c, 1000) == NULL);
  CHECK(starts_with(next(c, 2600), "{\"type\":\"status\""));
  CHECK(has(frame, "\"filter\":{\"minRssi\":-60}") && num(frame, "shown") == 1 && num(frame, "evicted") == 1);
}

static void test_snapshot_parts(void) {
  init(512, 0);
  char name[24];
  for (int i = 0; i < 300; i++) {
    snprintf(name, sizeof name, "device-%03d-xxxxxxxxx", i);
    advert((uint8_t)i, -60, name, (uint32_t)i); /* 256 addresses: the last 44 rename the first 44 */
  }
  int c = bsk_core_client_open(&core, 1000);
  CHECK(starts_with(next(c, 1000), "{\"type\":\"hello\""));
  long total = -1, got = 0, seq = 0, parts = 0;
  for (;;) {
    CHECK(starts_with(next(c, 1000 + (uint32_t)parts), "{\"type\":\"snapshot\""));
    CHECK(strlen(frame) <= BLESHARK_PROTOCOL_BATCH_TARGET_BYTES);
    CHECK(num(frame, "seq") == ++seq);
    if (total < 0) total = num(frame, "total");
    CHECK(num(frame, "total") == total);
    got += records(frame);
    parts++;
    if (parts == 2) {
      /* mid-snapshot: device id 1 (sent in part 1) and id 300 (not yet sent) are heard again */
      advert(0, -10, "device-256-xxxxxxxxx", 1002);
      advert(43, -11, "device-299-xxxxxxxxx", 1002);
    }
    if (has(frame, "\"more\":false")) break;
    CHECK(has(frame, "\"more\":true,\"d\":["));
  }
  CHECK(total == 256);
  CHECK(got == total && parts > 2);
  /* Device 1 was held before its sighting: one update follows; device 44 went with its part. */
  const char *b = next(c, 1000 + (uint32_t)parts + 200);
  CHECK(starts_with(b, "{\"type\":\"batch\""));
  CHECK(has(b, "\"u\":[[1,-10]]") && records(b) == 0);
  CHECK(next(c, 1000 + (uint32_t)parts + 300) == NULL);
}

static void test_rate_limit(void) {
  init(512, 0);
  int c = connect(0);
  for (int i = 0; i < BLESHARK_NANO_COMMAND_BURST; i++) {
    text(c, "{\"type\":\"snapshot-request\",\"id\":\"r\"}", 10);
    CHECK(starts_with(next(c, 10), "{\"type\":\"ack\",\"id\":\"r\""));
    CHECK(starts_with(next(c, 10), "{\"type\":\"snapshot\""));
  }
  for (int strike = 1; strike <= BLESHARK_PROTOCOL_RATE_STRIKES; strike++) {
    text(c, "{\"type\":\"scan-stop\",\"id\":\"s\"}", 10);
    CHECK(strcmp(next(c, 10), "{\"type\":\"error\",\"code\":\"rate-limited\",\"message\":\"over 10 commands/s; the "
                              "command was dropped\",\"id\":\"s\"}") == 0);
  }
  CHECK(core.scanning); /* the dropped scan-stops did nothing */
  /* 100 ms later one token is back: the command passes and the strikes reset. */
  text(c, "{\"type\":\"scan-stop\"}", 110);
  CHECK(!core.scanning);
  CHECK(starts_with(next(c, 110), "{\"type\":\"status\""));
  CHECK(starts_with(next(c, 110), "{\"type\":\"scan-complete\",\"t\":110,\"reason\":\"stopped\","));
  for (int strike = 1; strike <= BLESHARK_PROTOCOL_RATE_STRIKES; strike++) {
    text(c, "{\"type\":\"scan-stop\"}", 110);
    CHECK(starts_with(next(c, 110), "{\"type\":\"error\",\"code\":\"rate-limited\""));
  }
  text(c, "{\"type\":\"scan-stop\"}", 110);
  CHECK(next(c, 110) == NULL && out.close == BLESHARK_CLOSE_POLICY && strcmp(out.reason, "command flood") == 0);
  CHECK(next(c, 120) == NULL && out.close == 0); /* closed once */
}

static void test_close_codes(void) {
  static uint8_t big[BLESHARK_NANO_MAX_INBOUND_BYTES + 1];
  init(512, 0);
  int a = connect(0), b = connect(0), c = connect(0), d = connect(0);
  CHECK(bsk_core_client_open(&core, 0) == -1); /* maxClients */
  memset(big, ' ', sizeof big);
  bsk_core_client_text(&core, a, big, sizeof big, 1);
  CHECK(next(a, 1) == NULL && out.close == BLESHARK_CLOSE_TOO_BIG);
  text(b, "{\"type\":\"clear\",\"id\":\"\xff\"}", 1);
  CHECK(next(b, 1) == NULL && out.close == BLESHARK_CLOSE_INVALID_PAYLOAD);
  bsk_core_client_binary(&core, c, 1);
  CHECK(next(c, 1) == NULL && out.close == BLESHARK_CLOSE_UNSUPPORTED_DATA);
  /* A stuck client: its frame not sent for 30 s. */
  advert(1, -50, "x", 100);
  CHECK(starts_with(next_keep(d, 100, true), "{\"type\":\"batch\""));
  CHECK(next(d, 100 + BLESHARK_PROTOCOL_STUCK_CLIENT_MS - 1) == NULL && out.close == 0);
  CHECK(bsk_core_wait_ms(&core, 100 + BLESHARK_PROTOCOL_STUCK_CLIENT_MS - 1) <= 1);
  CHECK(next(d, 100 + BLESHARK_PROTOCOL_STUCK_CLIENT_MS) == NULL && out.close == BLESHARK_CLOSE_TRY_LATER);
  bsk_core_client_close(&core, a);
  CHECK(bsk_core_client_open(&core, 200) == a);
  /* A client that never reads its replies (commands spaced so the rate limit lets each pass): the reply
   * past BSK_REPLY_QUEUE closes it. */
  int e = a;
  CHECK(starts_with(next_keep(e, 200, true), "{\"type\":\"hello\""));
  uint32_t t = 200;
  for (int i = 0; i < BSK_REPLY_QUEUE; i++, t += 100) text(e, "{\"type\":\"snapshot-request\",\"id\":\"q\"}", t);
  CHECK(next(e, t) == NULL && out.close == 0);
  text(e, "{\"type\":\"snapshot-request\",\"id\":\"q\"}", t);
  CHECK(next(e, t) == NULL && out.close == BLESHARK_CLOSE_TRY_LATER);
}

/* A stuck client on the header's send loop: next_frame is asked for every open client, and returns
 * the 1013 close while the frame is still in flight (and 0 bytes until then). */
static void test_stuck_client_loop(void) {
  init(512, 0);
  int c = connect(0), other = connect(0);
  advert(1, -50, "x", 100);
  CHECK(starts_with(next_keep(c, 100, true), "{\"type\":\"batch\"")); /* never sent */
  CHECK(starts_with(next(other, 100), "{\"type\":\"batch\""));
  uint32_t now = 100, closes = 0;
  for (; now <= 100 + BLESHARK_PROTOCOL_STUCK_CLIENT_MS + 1000; now += 250) {
    bsk_core_tick(&core, now);
    for (int s = 0; s < 2; s++) {
      size_t n = bsk_core_next_frame(&core, s, now, frame, sizeof frame - 1, &out);
      if (s == c) {
        CHECK(n == 0); /* in flight: nothing more */
        if (out.close) {
          CHECK(out.close == BLESHARK_CLOSE_TRY_LATER && closes++ == 0);
          CHECK(now >= 100 + BLESHARK_PROTOCOL_STUCK_CLIENT_MS);
          CHECK(now < 100 + BLESHARK_PROTOCOL_STUCK_CLIENT_MS + 250);
        }
      } else if (n) {
        bsk_core_sent(&core, s);
      }
    }
  }
  CHECK(closes == 1);
  bsk_core_sent(&core, c); /* a late completion of the stuck send changes nothing */
  bsk_core_client_close(&core, c);
  CHECK(bsk_core_client_open(&core, now) == c);
}

/* hello.device.source and demo come from the configuration (the simulator's harness runs the demo). */
static void test_hello_source(void) {
  bsk_core_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = "m";
  cfg.firmware = "f";
  cfg.address = "02:00:00:00:00:01";
  cfg.epoch = "e1";
  cfg.max_devices = 8;
  cfg.source = "demo";
  cfg.demo = true;
  bsk_core_init(&core, &cfg, 0);
  int c = bsk_core_client_open(&core, 0);
  CHECK(has(next(c, 0), "\"source\":\"demo\",\"demo\":true},\"epoch\":\"e1\""));
  cfg.source = "hci-replay";
  cfg.demo = false;
  bsk_core_init(&core, &cfg, 0);
  c = bsk_core_client_open(&core, 0);
  CHECK(has(next(c, 0), "\"source\":\"hci-replay\",\"demo\":false}"));
  cfg.source = "a-source-name-longer-than-32-bytes";
  bsk_core_init(&core, &cfg, 0);
  c = bsk_core_client_open(&core, 0);
  CHECK(has(next(c, 0), "\"source\":\"radio\",\"demo\":false}"));
}

/* A clear's snapshot is empty, decided at the clear: devices heard while the ack was in flight go out in
 * the batches after it (the checker wants snapshot {reason: clear, total: 0, d: []}). */
static void test_clear_snapshot_empty(void) {
  init(512, 0);
  int c = connect(0), other = connect(0);
  advert(1, -50, "old", 100);
  CHECK(records(next(c, 100)) == 1 && records(next(other, 100)) == 1);
  text(c, "{\"type\":\"clear\",\"id\":\"c\"}", 200);
  CHECK(strcmp(next_keep(c, 200, true), "{\"type\":\"ack\",\"id\":\"c\",\"command\":\"clear\"}") == 0);
  advert(2, -51, "new", 210); /* heard while the ack is in flight */
  advert(1, -52, "old", 220); /* the cleared device again: a new id */
  bsk_core_sent(&core, c);
  CHECK(strcmp(next(c, 230), "{\"type\":\"snapshot\",\"seq\":3,\"t\":230,\"reason\":\"clear\",\"total\":0,"
                             "\"more\":false,\"d\":[]}") == 0);
  CHECK(strcmp(next(other, 230), "{\"type\":\"snapshot\",\"seq\":3,\"t\":230,\"reason\":\"clear\",\"total\":0,"
                                 "\"more\":false,\"d\":[]}") == 0);
  CHECK(next(c, 240) == NULL); /* the batch interval after the snapshot */
  CHECK(starts_with(next(c, 330), "{\"type\":\"batch\",\"seq\":4,\"t\":330,\"d\":[{\"id\":2,"));
  CHECK(records(frame) == 2 && has(frame, "{\"id\":3,") && !has(frame, "\"x\":") && !has(frame, "\"u\":"));
  CHECK(records(next(other, 330)) == 2);
  /* A clear while a snapshot is under way: that one ends (no records), then the empty clear one. */
  for (int i = 0; i < 300; i++) advert((uint8_t)i, -60, "device-with-a-long-name", 400);
  text(c, "{\"type\":\"snapshot-request\",\"id\":\"r\"}", 500);
  CHECK(starts_with(next(c, 500), "{\"type\":\"ack\""));
  CHECK(has(next(c, 500), "\"reason\":\"request\"") && has(frame, "\"more\":true"));
  text(c, "{\"type\":\"clear\",\"id\":\"c2\"}", 510);
  advert(7, -50, "late", 511);
  CHECK(starts_with(next(c, 520), "{\"type\":\"ack\",\"id\":\"c2\""));
  CHECK(has(next(c, 520), "\"reason\":\"request\"") && has(frame, "\"more\":false,\"d\":[]}"));
  CHECK(has(next(c, 520), "\"reason\":\"clear\",\"total\":0,\"more\":false,\"d\":[]}"));
  CHECK(starts_with(next(c, 620), "{\"type\":\"batch\"") && records(frame) == 1 && has(frame, "\"name\":\"late\""));
}

/* A whole legal burst answered while no frame leaves (httpd hands the core every frame of a TCP segment
 * before the pump runs): commandBurst acks and the strikes' errors all wait, then 1008; no 1013. */
static void test_reply_burst(void) {
  init(512, 0);
  int c = connect(0);
  advert(1, -50, "x", 100);
  CHECK(starts_with(next_keep(c, 100, true), "{\"type\":\"batch\"")); /* a frame in flight */
  char cmd[160];
  /* Alternating scan-stop and scan-start, ids of maxIdLength ASCII characters: an ack each, a
   * scan-complete for every stop, a status after each change (not queued). */
  for (int i = 0; i < BLESHARK_NANO_COMMAND_BURST + BLESHARK_PROTOCOL_RATE_STRIKES; i++) {
    snprintf(cmd, sizeof cmd, "{\"type\":\"%s\",\"id\":\"%031d\"}", i % 2 ? "scan-start" : "scan-stop", i);
    text(c, cmd, 110);
  }
  CHECK(next(c, 110) == NULL && out.close == 0);
  bsk_core_sent(&core, c);
  int acks = 0, errors = 0, completes = 0;
  while (next(c, 110)) {
    if (starts_with(frame, "{\"type\":\"ack\"")) {
      char want[64];
      snprintf(want, sizeof want, "\"id\":\"%031d\"", acks);
      CHECK(has(frame, want));
      acks++;
    }
    if (starts_with(frame, "{\"type\":\"error\",\"code\":\"rate-limited\"")) errors++;
    if (starts_with(frame, "{\"type\":\"scan-complete\",\"t\":110,\"reason\":\"stopped\"")) completes++;
  }
  CHECK(out.close == 0);
  CHECK(acks == BLESHARK_NANO_COMMAND_BURST && errors == BLESHARK_PROTOCOL_RATE_STRIKES);
  CHECK(completes == BLESHARK_NANO_COMMAND_BURST / 2);
  text(c, "{\"type\":\"scan-stop\"}", 110); /* the fourth over the limit */
  CHECK(next(c, 110) == NULL && out.close == BLESHARK_CLOSE_POLICY);
  /* Ids of 32 three-byte characters (96 B each) fill the pool before the queue: then 1013. */
  init(512, 0);
  c = connect(0);
  advert(1, -50, "x", 100);
  CHECK(starts_with(next_keep(c, 100, true), "{\"type\":\"batch\""));
  char id[BSK_ID_MAX_BYTES + 1];
  for (int k = 0; k < BLESHARK_PROTOCOL_MAX_ID_LENGTH; k++) memcpy(id + 3 * k, "\xe2\x82\xac", 3);
  id[BSK_ID_MAX_BYTES] = 0;
  int sent = 0;
  for (; sent < BLESHARK_NANO_COMMAND_BURST && out.close == 0; sent++) {
    snprintf(cmd, sizeof cmd, "{\"type\":\"snapshot-request\",\"id\":\"%s\"}", id);
    text(c, cmd, 110);
    (void)next(c, 110);
  }
  CHECK(out.close == BLESHARK_CLOSE_TRY_LATER && sent == BSK_REPLY_POOL / BSK_ID_MAX_BYTES + 1);
}

/* The scan ending by itself (a controller's own duration, a replay's end): scan-complete {stopped}. */
static void test_scan_ended(void) {
  init(512, 0);
  int c = connect(0);
  advert(1, -50, "x", 100);
  (void)next(c, 100);
  bsk_core_scan_ended(&core, 500);
  CHECK(!core.scanning && stops == 0);
  CHECK(starts_with(next(c, 500), "{\"type\":\"status\",\"t\":500,\"scan\":{\"scanning\":false,"));
  CHECK(strcmp(next(c, 500), "{\"type\":\"scan-complete\",\"t\":500,\"reason\":\"stopped\",\"adverts\":1,"
                             "\"devices\":1,\"ms\":500}") == 0);
  bsk_core_scan_ended(&core, 600); /* not scanning: nothing */
  CHECK(next(c, 600) == NULL);
  text(c, "{\"type\":\"scan-start\"}", 700);
  CHECK(core.scanning && starts == 2);
}

/* Every refused report counts in status.drops, extended payloads included, even where the duplicate
 * filter (duplicates off) would have passed over the device. */
static void test_refused_drops(void) {
  init(512, 0);
  int c = connect(0);
  text(c, "{\"type\":\"scan-start\",\"duplicates\":false}", 10);
  while (next(c, 10)) {
  }
  advert(1, -50, "x", 20);
  uint8_t big[40];
  memset(big, 0, sizeof big);
  big[0] = 39;
  big[1] = 0xff;
  bsk_advert_t a;
  memset(&a, 0, sizeof a);
  a.addr[0] = 0xc0;
  a.addr[5] = 1;
  a.addr_type = 1;
  a.rssi = -40;
  a.data = big;
  a.len = sizeof big;
  uint32_t before = core.drops;
  bsk_core_advert(&core, &a, 30); /* the same device, an extended payload */
  a.addr[5] = 2;
  bsk_core_advert(&core, &a, 30); /* a new device, an extended payload */
  a.len = 3;
  a.addr_type = 2;
  bsk_core_advert(&core, &a, 30); /* an unknown address type */
  CHECK(core.drops == before + 3 && core.table.refused == 3 && core.table.count == 1);
  while (next(c, 2100) && !starts_with(frame, "{\"type\":\"status\"")) {
  }
  CHECK(num(frame, "drops") == (long)before + 3);
}

static void test_commands(void) {
  init(512, 0);
  int c = connect(0), c2 = connect(0);
  text(c, "{\"type\":\"scan-start\",\"id\":\"w\",\"window\":200}", 10);
  CHECK(strcmp(next(c, 10), "{\"type\":\"error\",\"code\":\"invalid-field\",\"message\":\"window: 200 ms is over the "
                             "interval in effect (100 ms); send a window of 3..100, or an interval with it\","
                             "\"id\":\"w\"}") == 0);
  text(c, "{\"type\":\"scan-start\",\"interval\":20}", 10);
  CHECK(strcmp(next(c, 10), "{\"type\":\"error\",\"code\":\"invalid-field\",\"message\":\"interval: 20 ms is under "
                             "the window in effect (50 ms); send an interval of 50..10240, or a window with it\"}") == 0);
  text(c, "{\"type\":\"nope\",\"id\":\"n\"}", 10);
  CHECK(starts_with(next(c, 10), "{\"type\":\"error\",\"code\":\"unknown-type\",") && has(frame, ",\"id\":\"n\"}"));
  text(c, "[1", 10);
  CHECK(starts_with(next(c, 10), "{\"type\":\"error\",\"code\":\"invalid-json\","));
  /* The same scan again: ack, no status, the radio not asked. */
  text(c, "{\"type\":\"scan-start\",\"id\":\"same\"}", 10);
  CHECK(strcmp(next(c, 10), "{\"type\":\"ack\",\"id\":\"same\",\"command\":\"scan-start\"}") == 0);
  CHECK(next(c, 10) == NULL && starts == 1);
  /* The radio refuses: scan-failed with its text, nothing changes. */
  fail_start = "radio busy";
  text(c, "{\"type\":\"scan-start\",\"id\":\"p\",\"mode\":\"passive\"}", 10);
  CHECK(strcmp(next(c, 10), "{\"type\":\"error\",\"code\":\"scan-failed\",\"message\":\"radio busy\",\"id\":\"p\"}") == 0);
  fail_start = NULL;
  /* A timed scan: status to everyone, ack; the tick ends it with scan-complete {duration}. */
  advert(1, -50, "x", 20);
  advert(1, -50, "x", 30);
  text(c, "{\"type\":\"scan-start\",\"id\":\"d\",\"mode\":\"passive\",\"duration\":2,\"duplicates\":false}", 40);
  CHECK(starts_with(next(c, 40), "{\"type\":\"status\",\"t\":40,\"scan\":{\"scanning\":true,\"mode\":\"passive\","
                                 "\"interval\":100,\"window\":50,\"duration\":2,\"duplicates\":false,\"since\":0}"));
  CHECK(strcmp(next(c, 40), "{\"type\":\"ack\",\"id\":\"d\",\"command\":\"scan-start\"}") == 0);
  CHECK(starts_with(next(c2, 40), "{\"type\":\"status\""));
  /* duplicates off: one advertisement per device per (re)start reaches the table */
  advert(1, -60, "x", 50);
  advert(1, -61, "x", 60);
  CHECK(core.table.dev[0].count == 3 && core.table.dev[0].rssi == -60);
  bsk_core_tick(&core, 1999);
  CHECK(core.scanning);
  while (next(c, 1999) || next(c2, 1999)) {
  }
  CHECK(bsk_core_wait_ms(&core, 1999) == 1);
  bsk_core_tick(&core, 2000);
  CHECK(!core.scanning && stops == 1);
  CHECK(starts_with(next(c2, 2000), "{\"type\":\"status\",\"t\":2000,\"scan\":{\"scanning\":false,"));
  CHECK(strcmp(next(c2, 2000), "{\"type\":\"scan-complete\",\"t\":2000,\"reason\":\"duration\",\"adverts\":3,"
                               "\"devices\":1,\"ms\":2000}") == 0);

  /* Adverts while stopped are dropped; scan_failed while stopped does nothing. */
  advert(2, -60, "y", 2100);
  bsk_core_scan_failed(&core, "gone", 2100);
  CHECK(core.table.count == 1 && core.drops == 1);
  text(c, "{\"type\":\"scan-start\"}", 2200);
  bsk_core_scan_failed(&core, "controller reset", 2300);
  while (next(c, 2300) && !has(frame, "\"reason\":\"error\"")) {
  }
  CHECK(strcmp(frame, "{\"type\":\"scan-complete\",\"t\":2300,\"reason\":\"error\",\"adverts\":0,\"devices\":0,"
                      "\"ms\":100,\"message\":\"controller reset\"}") == 0);
  /* clear: ack to the sender, an empty snapshot {clear} to every client. */
  while (next(c2, 2300)) {
  }
  text(c, "{\"type\":\"clear\",\"id\":\"c\"}", 2400);
  CHECK(strcmp(next(c, 2400), "{\"type\":\"ack\",\"id\":\"c\",\"command\":\"clear\"}") == 0);
  CHECK(starts_with(next(c, 2400), "{\"type\":\"snapshot\"") && has(frame, "\"reason\":\"clear\",\"total\":0,"));
  CHECK(starts_with(next(c2, 2400), "{\"type\":\"snapshot\"") && has(frame, "\"reason\":\"clear\",\"total\":0,"));
  CHECK(core.table.count == 0);
}

static void test_removal_queue_full(void) {
  init(100, 0);
  int c = connect(0);
  char name[8];
  for (int i = 0; i < 100; i++) advert((uint8_t)i, -50, "a", 100);
  CHECK(starts_with(next(c, 100), "{\"type\":\"batch\"") && records(frame) < 100);
  while (next(c, 100)) CHECK(starts_with(frame, "{\"type\":\"batch\"")); /* the rest follows at once */
  /* A frame stays in flight while 64 held devices are evicted: 64 removals wait. */
  advert(200, -50, "b", 300);
  CHECK(starts_with(next_keep(c, 300, true), "{\"type\":\"batch\""));
  for (int i = 1; i <= BSK_REMOVAL_QUEUE; i++) {
    snprintf(name, sizeof name, "n%d", i);
    advert((uint8_t)(200 + i % 50), -50, name, 310); /* new addresses 201..249, 200: each evicts one */
  }
  bsk_core_sent(&core, c);
  CHECK(starts_with(next(c, 400), "{\"type\":\"batch\"") && has(frame, "\"x\":["));
  /* One more eviction than the queue holds: a fresh snapshot {request} instead of the removals. */
  init(100, 0);
  c = connect(0);
  for (int i = 0; i < 100; i++) advert((uint8_t)i, -50, "a", 100);
  while (next(c, 100)) {
  }
  CHECK(starts_with(next_keep(c, 300, true), "{\"type\":\"status\"") || true);
  bsk_core_sent(&core, c);
  advert(100, -50, "b", 300); /* evicts id 1 */
  CHECK(starts_with(next_keep(c, 300, true), "{\"type\":\"batch\""));
  for (int i = 1; i <= BSK_REMOVAL_QUEUE + 1; i++) advert((uint8_t)(100 + i), -50, "c", 310);
  bsk_core_sent(&core, c);
  CHECK(starts_with(next(c, 400), "{\"type\":\"snapshot\"") && has(frame, "\"reason\":\"request\",\"total\":100,"));
}

int main(void) {
  test_hello_and_snapshot();
  test_one_frame_in_flight();
  test_leading_edge_and_coalescing();
  test_seen_limit();
  test_removals();
  test_snapshot_parts();
  test_rate_limit();
  test_close_codes();
  test_commands();
  test_removal_queue_full();
  test_stuck_client_loop();
  test_hello_source();
  test_clear_snapshot_empty();
  test_reply_burst();
  test_scan_ended();
  test_refused_drops();
  printf("ok\n");
  return 0;
}
