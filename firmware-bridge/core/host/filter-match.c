/*
 * bleshark-core-filter: the differential test's view of bsk_filter_match. Each stdin line is
 *   <address, 12 hex digits> <conn 0|1> <rssi> <adv hex or -> <rsp hex or -> <filter command JSON>
 * and gets one output line: 1 (passes), 0 (does not), or E (the command was refused). The device goes
 * through the table (advertisement, then scan response), as the firmware's reports do.
 * With the argument `blank` it prints the blank code point ranges instead, one "lo-hi" (hex) per line.
 * Exit 0; 2 on a malformed line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleshark_core.h"

static bsk_table_t table;

static int hex_value(int c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Parses the hex word at *p into out (at most cap bytes); "-" gives -1. Advances *p past a space. */
static long hex_word(char **p, uint8_t *out, size_t cap) {
  char *s = *p;
  char *end = strchr(s, ' ');
  if (!end) return -2;
  *p = end + 1;
  if (end - s == 1 && *s == '-') return -1;
  size_t n = (size_t)(end - s);
  if (n % 2 || n / 2 > cap) return -2;
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return -2;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  return (long)(n / 2);
}

int main(int argc, char **argv) {
  static char line[8192];
  if (argc > 1 && strcmp(argv[1], "blank") == 0) {
    size_t n;
    const uint32_t(*r)[2] = bsk_blank_ranges(&n);
    for (size_t i = 0; i < n; i++) printf("%04X-%04X\n", (unsigned)r[i][0], (unsigned)r[i][1]);
    return 0;
  }
  while (fgets(line, sizeof line, stdin)) {
    size_t len = strlen(line);
    if (len && line[len - 1] == '\n') line[--len] = 0;
    char *p = line;
    uint8_t addr[6], adv[64], rsp[64];
    long conn, rssi;
    if (hex_word(&p, addr, 6) != 6) return 2;
    conn = strtol(p, &p, 10);
    rssi = strtol(p, &p, 10);
    if (*p++ != ' ') return 2;
    long an = hex_word(&p, adv, sizeof adv), rn = hex_word(&p, rsp, sizeof rsp);
    if (an < -1 || rn < -1) return 2;
    bsk_table_init(&table, 1, 0x9e3779b9u);
    bsk_advert_t a;
    memset(&a, 0, sizeof a);
    memcpy(a.addr, addr, 6);
    a.conn = conn != 0;
    a.rssi = (int8_t)rssi;
    a.data = adv;
    a.len = an < 0 ? 0 : (size_t)an;
    bsk_device_t *d = NULL;
    if (an >= 0 || rn < 0) bsk_table_seen(&table, &a, 1, &d, NULL);
    if (rn >= 0) {
      a.scan_rsp = true;
      a.data = rsp;
      a.len = (size_t)rn;
      bsk_table_seen(&table, &a, 2, &d, NULL);
    }
    if (!d) return 2;
    bsk_cmd_t cmd;
    bsk_cmd_error_t err;
    if (!bsk_parse_command((const uint8_t *)p, strlen(p), &cmd, &err) || cmd.type != BSK_CMD_FILTER) {
      puts("E");
      continue;
    }
    puts(bsk_filter_match(&cmd.filter, d) ? "1" : "0");
  }
  return 0;
}
