/*
 * bleshark-core-session-run: runs the core behind a line script on stdin, for core-session.test.ts.
 *   init <max devices>              bsk_core_init (scanning from the start)
 *   t <ms>                          the clock for the lines that follow
 *   open | close <slot> | bin <slot> | text <slot> <frame text>
 *   adv <addr, 12 hex> <type> <conn 0|1> <rssi> <hex or ->    (rsp ...: the same, a scan response)
 *   tick | fail <message> | drops <n>
 *   drain                           every client's due frames, each marked sent at once
 *   hold <slot> | release <slot>    leave the next frame of slot in flight / mark it sent
 *   dump <slot>                     the ids of the devices that pass the slot's filter
 * Prints "open <slot>", "<slot> <frame>", "<slot> close <code> <reason>", "ids <slot> <id>...", and
 * "size <sizeof(bsk_core_t)>" first. Exit 0; 2 on a malformed line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleshark_core.h"

static bsk_core_t core;
static bool held[BSK_MAX_CLIENTS], hold_next[BSK_MAX_CLIENTS];
static char message[256];

static const char *on_start(void *ctx, const bsk_scan_params_t *p) {
  (void)ctx;
  (void)p;
  return NULL;
}
static void on_stop(void *ctx) { (void)ctx; }

static int hex_value(int c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static long hex_bytes(const char *s, uint8_t *out, size_t cap) {
  size_t n = strcspn(s, " \n");
  if (n == 1 && s[0] == '-') return 0;
  if (n % 2 || n / 2 > cap) return -1;
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  return (long)(n / 2);
}

static void drain(uint32_t now) {
  static char buf[BLESHARK_NANO_MAX_FRAME_BYTES];
  bsk_core_tick(&core, now);
  for (int s = 0; s < BSK_MAX_CLIENTS; s++) {
    for (;;) {
      if (!core.client[s].open || held[s]) break;
      bsk_frame_out_t out;
      size_t n = bsk_core_next_frame(&core, s, now, buf, sizeof buf, &out);
      if (out.close) {
        printf("%d close %u %s\n", s, (unsigned)out.close, out.reason);
        break;
      }
      if (!n) break;
      printf("%d %.*s\n", s, (int)n, buf);
      if (hold_next[s]) {
        held[s] = true;
        hold_next[s] = false;
      } else bsk_core_sent(&core, s);
    }
  }
}

int main(void) {
  static char line[8192];
  uint32_t now = 0;
  printf("size %zu\n", sizeof core);
  while (fgets(line, sizeof line, stdin)) {
    size_t len = strlen(line);
    if (len && line[len - 1] == '\n') line[--len] = 0;
    char *arg = strchr(line, ' ');
    arg = arg ? arg + 1 : line + len;
    if (strncmp(line, "init ", 5) == 0) {
      bsk_core_config_t cfg;
      memset(&cfg, 0, sizeof cfg);
      cfg.model = "BLEShark Nano";
      cfg.firmware = "0.0.0-host";
      cfg.address = "02:00:00:00:00:01";
      cfg.epoch = "host01";
      cfg.max_devices = (uint16_t)atoi(arg);
      cfg.hash_seed = 0x5eed1234u;
      cfg.scan_on_init = true;
      cfg.scan_start = on_start;
      cfg.scan_stop = on_stop;
      bsk_core_init(&core, &cfg, now);
      memset(held, 0, sizeof held);
    } else if (strncmp(line, "t ", 2) == 0) {
      now = (uint32_t)strtoul(arg, NULL, 10);
    } else if (strcmp(line, "open") == 0) {
      printf("open %d\n", bsk_core_client_open(&core, now));
    } else if (strncmp(line, "close ", 6) == 0) {
      int s = atoi(arg);
      bsk_core_client_close(&core, s);
      if (s >= 0 && s < BSK_MAX_CLIENTS) held[s] = hold_next[s] = false;
    } else if (strncmp(line, "bin ", 4) == 0) {
      bsk_core_client_binary(&core, atoi(arg), now);
    } else if (strncmp(line, "text ", 5) == 0) {
      char *frame = strchr(arg, ' ');
      if (!frame) return 2;
      frame++;
      bsk_core_client_text(&core, atoi(arg), (const uint8_t *)frame, strlen(frame), now);
    } else if (strncmp(line, "adv ", 4) == 0 || strncmp(line, "rsp ", 4) == 0) {
      uint8_t data[BSK_AD_MAX];
      bsk_advert_t a;
      memset(&a, 0, sizeof a);
      char *p = arg;
      if (hex_bytes(p, a.addr, 6) != 6) return 2;
      p += 13;
      a.addr_type = (uint8_t)strtoul(p, &p, 10);
      a.conn = strtol(p, &p, 10) != 0;
      a.rssi = (int8_t)strtol(p, &p, 10);
      if (*p++ != ' ') return 2;
      long n = hex_bytes(p, data, sizeof data);
      if (n < 0) return 2;
      a.scan_rsp = line[0] == 'r';
      a.data = data;
      a.len = (size_t)n;
      bsk_core_advert(&core, &a, now);
    } else if (strcmp(line, "tick") == 0) {
      bsk_core_tick(&core, now);
    } else if (strncmp(line, "fail ", 5) == 0) {
      snprintf(message, sizeof message, "%s", arg);
      bsk_core_scan_failed(&core, message, now);
    } else if (strncmp(line, "drops ", 6) == 0) {
      bsk_core_drops(&core, (uint32_t)strtoul(arg, NULL, 10));
    } else if (strcmp(line, "drain") == 0) {
      drain(now);
    } else if (strncmp(line, "hold ", 5) == 0) {
      int s = atoi(arg);
      if (s < 0 || s >= BSK_MAX_CLIENTS) return 2;
      hold_next[s] = true;
    } else if (strncmp(line, "release ", 8) == 0) {
      int s = atoi(arg);
      if (s < 0 || s >= BSK_MAX_CLIENTS) return 2;
      if (held[s]) bsk_core_sent(&core, s);
      held[s] = hold_next[s] = false;
    } else if (strncmp(line, "dump ", 5) == 0) {
      int s = atoi(arg);
      if (s < 0 || s >= BSK_MAX_CLIENTS) return 2;
      const bsk_client_t *cl = &core.client[s];
      printf("ids %d", s);
      for (bsk_device_t *d = bsk_table_stalest(&core.table); d; d = bsk_table_newer(&core.table, d))
        if (!cl->any_filter || bsk_filter_match(&cl->filter, d)) printf(" %lu", (unsigned long)d->id);
      printf("\n");
    } else if (len) {
      return 2;
    }
  }
  return 0;
}
