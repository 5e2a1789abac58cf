/*
 * bleshark-core-table: replays reports into a device table of argv[1] devices and prints what the
 * table did, for the table's model test. Each stdin line is
 *   <address, 12 hex digits> <address type> <scan response 0|1> <conn 0|1> <rssi> <now ms> <data hex or ->
 * and gets "<seen> <id> <evicted id> <count> <first> <last> <rssi> <flags>" (seen: 0 refused, 1 new,
 * 2 changed, 3 same; the rest 0 when refused). After the input: "order" and the ids, stalest first,
 * then "evicted <n> refused <n>". Exit 0; 2 on a malformed line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleshark_core.h"

static bsk_table_t table;

static int hex_value(int c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static long hex_bytes(const char *s, size_t n, uint8_t *out, size_t cap) {
  if (n == 1 && *s == '-') return 0;
  if (n % 2 || n / 2 > cap) return -1;
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  return (long)(n / 2);
}

int main(int argc, char **argv) {
  static char line[512];
  bsk_table_init(&table, (uint16_t)(argc > 1 ? atoi(argv[1]) : BLESHARK_NANO_MAX_DEVICES), 0x9e3779b9u);
  while (fgets(line, sizeof line, stdin)) {
    char addr[13], data[200];
    unsigned type, rsp, conn;
    int rssi;
    unsigned long now;
    uint8_t bytes[64];
    if (sscanf(line, "%12s %u %u %u %d %lu %199s", addr, &type, &rsp, &conn, &rssi, &now, data) != 7) return 2;
    bsk_advert_t a;
    memset(&a, 0, sizeof a);
    long n = hex_bytes(data, strlen(data), bytes, sizeof bytes);
    if (strlen(addr) != 12 || hex_bytes(addr, 12, a.addr, 6) != 6 || n < 0) return 2;
    a.addr_type = (uint8_t)type;
    a.scan_rsp = rsp != 0;
    a.conn = conn != 0;
    a.rssi = (int8_t)rssi;
    a.data = bytes;
    a.len = (size_t)n;
    bsk_device_t *d;
    uint32_t ev;
    bsk_seen_t seen = bsk_table_seen(&table, &a, (uint32_t)now, &d, &ev);
    if (!d) printf("0 0 0 0 0 0 0 0\n");
    else
      printf("%d %lu %lu %lu %lu %lu %d %u\n", (int)seen, (unsigned long)d->id, (unsigned long)ev,
             (unsigned long)d->count, (unsigned long)d->first, (unsigned long)d->last, d->rssi, d->flags);
  }
  fputs("order", stdout);
  for (bsk_device_t *e = bsk_table_stalest(&table); e; e = bsk_table_newer(&table, e))
    printf(" %lu", (unsigned long)e->id);
  printf("\nevicted %lu refused %lu\n", (unsigned long)table.evicted, (unsigned long)table.refused);
  return 0;
}
