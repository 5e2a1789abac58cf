/*
 * rv32-session: the whole core (bsk_core_*) driven as a firmware drives it, with instructions counted
 * around every call on RV32. Clients connect, one starts a scan, the replay's reports arrive
 * (bsk_replay_data.h, as for rv32-replay.c) and after each one every client takes the frames that are due
 * (next_frame, then sent at once: a fast network). Built for RV32 and for the host from the same source:
 * the frames (lengths and hashes) must be equal.
 *
 * Besides what rv32-replay.c's header defines, -D sets:
 *   BSK_SESSION_CLIENTS   clients connected (default: the Nano's maxClients)
 *   BSK_SESSION_FILTER    0: no filter; 1: every client but the first sets {"minRssi":-70} before the scan
 *
 * Output, one item per line:
 *   frame <client> <bytes> <instructions> <type> <fnv-1a 32 of the bytes, hex>   (type: the JSON "type")
 *   close <client> <code>                       (a client the core closed; the run fails then)
 *   digest devices=<n> adverts=<n>
 *   sizeof core=<bytes> client=<bytes>
 *   stack session=<bytes>      (RV32 only: the deepest stack any core call took, painted)
 *   advert <instructions> ...  (RV32 only: bsk_core_advert per report, 16 per line)
 *   end
 * Exit status 0; 1 when a client was closed or a call refused.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bleshark_core.h"

#include "rv32-measure.h"

#include "bsk_replay_data.h"

#ifndef BSK_SESSION_CLIENTS
#define BSK_SESSION_CLIENTS BSK_MAX_CLIENTS
#endif
#ifndef BSK_SESSION_FILTER
#define BSK_SESSION_FILTER 0
#endif

#define TOTAL ((uint32_t)BSK_REPLAY_COUNT * (uint32_t)BSK_REPLAY_ROUNDS)

static bsk_core_t core;
static char frame[BLESHARK_NANO_MAX_FRAME_BYTES];
static uint32_t advert_cost[TOTAL];
static int failed;

/* Every output line goes to a buffer in .bss and is printed only after the painted depth is read, so stdio
 * never runs over the painted area and the figure is the core calls' (plus the harness's drain() frame). */

/* The deferred output (see above): plain text lines, written without stdio. */
static char out[1u << 20];
static size_t out_len;

static void out_str(const char *s) {
  size_t n = strlen(s);
  if (out_len + n > sizeof out) {
    failed = 1;
    return;
  }
  memcpy(out + out_len, s, n);
  out_len += n;
}

static void out_uint(uint32_t v) {
  char digits[11];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v);
  char s[12];
  for (size_t i = 0; i < n; i++) s[i] = digits[n - 1 - i];
  s[n] = 0;
  out_str(s);
}

static void out_hex(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  char s[9];
  for (int i = 0; i < 8; i++) s[i] = digits[(v >> (28 - 4 * i)) & 15u];
  s[8] = 0;
  out_str(s);
}

static const char *scan_start(void *ctx, const bsk_scan_params_t *p) {
  (void)ctx;
  (void)p;
  return NULL;
}

static void scan_stop(void *ctx) { (void)ctx; }

static uint32_t fnv1a(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

/* The frame's "type" value, or "?" (frames are objects whose type comes early). */
static void out_type(const char *s, size_t n) {
  static const char key[] = "\"type\":\"";
  for (size_t i = 0; i + sizeof key - 1 < n; i++) {
    if (memcmp(s + i, key, sizeof key - 1) != 0) continue;
    size_t j = i + sizeof key - 1, k = j;
    while (k < n && k - j < 24 && s[k] != '"') k++;
    char t[25];
    memcpy(t, s + j, k - j);
    t[k - j] = 0;
    out_str(t);
    return;
  }
  out_str("?");
}

static int slots[BSK_SESSION_CLIENTS];
static uint64_t overhead;

/* Every client takes what is due now, each frame sent at once. */
static void drain(uint32_t now) {
  for (int c = 0; c < BSK_SESSION_CLIENTS; c++) {
    if (slots[c] < 0) continue;
    for (int guard = 0; guard < 64; guard++) {
      bsk_frame_out_t fo = {0, NULL};
      uint64_t t0 = instret();
      size_t n = bsk_core_next_frame(&core, slots[c], now, frame, sizeof frame, &fo);
      uint64_t t1 = instret();
      if (fo.close != 0) {
        out_str("close ");
        out_uint((uint32_t)c);
        out_str(" ");
        out_uint(fo.close);
        out_str("\n");
        bsk_core_client_close(&core, slots[c]);
        slots[c] = -1;
        failed = 1;
        break;
      }
      if (n == 0) break;
      out_str("frame ");
      out_uint((uint32_t)c);
      out_str(" ");
      out_uint((uint32_t)n);
      out_str(" ");
      out_uint((uint32_t)(t1 - t0 - overhead));
      out_str(" ");
      out_type(frame, n);
      out_str(" ");
      out_hex(fnv1a(frame, n));
      out_str("\n");
      bsk_core_sent(&core, slots[c]);
    }
  }
}

static void command(int c, const char *text, uint32_t now) {
  bsk_core_client_text(&core, slots[c], (const uint8_t *)text, strlen(text), now);
  drain(now);
}

int main(void) {
  overhead = UINT64_MAX;
  for (int i = 0; i < 8; i++) {
    uint64_t a = instret(), b = instret();
    if (b - a < overhead) overhead = b - a;
  }
#if HAVE_COUNTER
  uintptr_t top = stack_pointer();
  paint(top);
#endif

  bsk_core_config_t cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = "BLEShark Nano";
  cfg.firmware = "rv32-bench";
  cfg.address = "aa:bb:cc:dd:ee:ff";
  cfg.epoch = "rv32ab";
  cfg.max_devices = BSK_REPLAY_MAX_DEVICES;
  cfg.hash_seed = 0x9e3779b9u;
  cfg.scan_start = scan_start;
  cfg.scan_stop = scan_stop;
  uint32_t now = 1000;
  bsk_core_init(&core, &cfg, now);
  for (int c = 0; c < BSK_SESSION_CLIENTS; c++) {
    slots[c] = bsk_core_client_open(&core, now);
    if (slots[c] < 0) failed = 1;
  }
  drain(now);
  if (BSK_SESSION_FILTER)
    for (int c = 1; c < BSK_SESSION_CLIENTS; c++) command(c, "{\"type\":\"filter\",\"id\":\"f\",\"minRssi\":-70}", now);
  command(0, "{\"type\":\"scan-start\",\"id\":\"s\"}", now);

  uint32_t k = 0;
  for (uint32_t round = 0; round < BSK_REPLAY_ROUNDS; round++) {
    for (uint32_t i = 0; i < BSK_REPLAY_COUNT; i++, k++) {
      const bsk_replay_report_t *r = &bsk_replay[i];
      bsk_advert_t a;
      memcpy(a.addr, r->addr, 6);
      if (BSK_REPLAY_RENAME) {
        a.addr[5] ^= (uint8_t)(round & 0xFFu);
        a.addr[4] ^= (uint8_t)(round >> 8);
      }
      a.addr_type = r->addr_type;
      a.scan_rsp = r->scan_rsp != 0;
      a.conn = r->conn != 0;
      a.rssi = r->rssi;
      a.data = (const uint8_t *)r->data;
      a.len = r->len;
      now += r->gap_ms;
      uint64_t t0 = instret();
      bsk_core_advert(&core, &a, now);
      uint64_t t1 = instret();
      advert_cost[k] = (uint32_t)(t1 - t0 - overhead);
      bsk_core_tick(&core, now);
      drain(now);
    }
  }
  /* Let the last batches go out. */
  for (int step = 0; step < 4; step++) {
    now += BLESHARK_NANO_BATCH_INTERVAL_MS;
    bsk_core_tick(&core, now);
    drain(now);
  }
#if HAVE_COUNTER
  uint32_t stack_used = painted_depth(top);
#endif

  fwrite(out, 1, out_len, stdout);
  printf("digest devices=%u adverts=%lu\n", (unsigned)core.table.count, (unsigned long)TOTAL);
  printf("sizeof core=%lu client=%lu\n", (unsigned long)sizeof(bsk_core_t),
         (unsigned long)sizeof core.client[0]);
#if HAVE_COUNTER
  printf("stack session=%lu\n", (unsigned long)stack_used);
  for (uint32_t i = 0; i < TOTAL; i++)
    printf("%s%lu%s", i % 16 == 0 ? "advert " : " ", (unsigned long)advert_cost[i],
           i % 16 == 15 || i + 1 == TOTAL ? "\n" : "");
#endif
  puts("end");
  return failed;
}
