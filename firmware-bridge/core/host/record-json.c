/*
 * bleshark-core-record: the record differential test's view of bsk_json_record. Each stdin line is
 *   <address, 12 hex digits> <addr type 0|1> <conn 0|1> <rssi> <adv hex or -> <rsp hex or -> <id> <first>
 *   <last> <count> <max bytes> <raw 0|1>
 * and gets one output line: the record's JSON, or E when bsk_json_record refused (nothing fits).
 * Exit 0; 2 on a malformed line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleshark_core.h"

static int hex_value(int c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The hex word at *p into out (at most cap bytes); "-" gives -1; -2 when malformed. */
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

int main(void) {
  static char line[1024];
  static char out[BLESHARK_NANO_MAX_FRAME_BYTES];
  while (fgets(line, sizeof line, stdin)) {
    char *p = line;
    bsk_device_t d;
    memset(&d, 0, sizeof d);
    if (hex_word(&p, d.addr, 6) != 6) return 2;
    d.addr_type = (uint8_t)strtoul(p, &p, 10);
    if (strtol(p, &p, 10)) d.flags |= BSK_DEV_CONN;
    d.rssi = (int8_t)strtol(p, &p, 10);
    if (*p++ != ' ') return 2;
    long an = hex_word(&p, d.adv, BSK_AD_MAX), rn = hex_word(&p, d.rsp, BSK_AD_MAX);
    if (an < -1 || rn < -1) return 2;
    if (an >= 0) {
      d.flags |= BSK_DEV_HAS_ADV;
      d.adv_len = (uint8_t)an;
    }
    if (rn >= 0) {
      d.flags |= BSK_DEV_HAS_RSP;
      d.rsp_len = (uint8_t)rn;
    }
    d.id = (uint32_t)strtoul(p, &p, 10);
    d.first = (uint32_t)strtoul(p, &p, 10);
    d.last = (uint32_t)strtoul(p, &p, 10);
    d.count = (uint32_t)strtoul(p, &p, 10);
    size_t max = (size_t)strtoul(p, &p, 10);
    unsigned raw = (unsigned)strtoul(p, &p, 10);
    bsk_json_t w;
    bsk_json_init(&w, out, sizeof out);
    if (!bsk_json_record(&w, &d, max, raw ? 0u : BSK_RECORD_NO_RAW)) {
      puts("E");
      continue;
    }
    printf("%.*s\n", (int)w.len, out);
  }
  return 0;
}
