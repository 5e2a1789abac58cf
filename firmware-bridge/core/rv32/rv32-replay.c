/*
 * rv32-replay: replays advertising reports into the core's device table and prints what the table
 * holds afterwards (a digest) and, on RV32, how many instructions every call took.
 *
 * The reports come from "bsk_replay_data.h", written at test time into the build folder from a real
 * HCI capture (see rv32-build.mjs); it is never kept in the repository. The same source is built twice:
 * for RV32IMC (picolibc, semihosting, run under qemu-system-riscv32) and for the host with gcc; the two
 * digests must be equal. Counting uses the instret CSR (rdinstret), which QEMU advances by exactly one
 * per instruction under -icount shift=0: these are instructions on the ISA, not cycles on the chip.
 *
 * bsk_replay_data.h defines:
 *   BSK_REPLAY_COUNT         reports in bsk_replay[]
 *   BSK_REPLAY_ROUNDS        times the whole capture is replayed (time goes on between rounds)
 *   BSK_REPLAY_RENAME        1: round r XORs r into the last two address bytes, so every round brings new
 *                            devices (the table fills and evicts); 0: the same devices are heard again
 *   BSK_REPLAY_MAX_DEVICES   the table's size (bsk_table_init)
 *   bsk_replay[]             the reports, in capture order
 *
 * Output, one item per line:
 *   digest devices=<n> evicted=<n> refused=<n> next=<next id>
 *   dev <id> <aa:bb:cc:dd:ee:ff>/<type> count=<n> first=<ms> last=<ms> rssi=<dBm> flags=<n> adv=<hex> rsp=<hex>
 *     (one per device, stalest first)
 *   sizeof table=<bytes> device=<bytes>
 *   stack advert=<bytes>             (RV32 only: the deepest stack the replay's calls used, painted)
 *   cost <seen>:<instructions> ...   (RV32 only: per report in replay order, 16 per line; seen is
 *                                      bsk_seen_t: 0 refused, 1 new, 2 changed, 3 same)
 *   end
 * Exit status 0 (through semihosting exit on RV32).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bleshark_core.h"

#include "rv32-measure.h"

#include "bsk_replay_data.h"

#define TOTAL ((uint32_t)BSK_REPLAY_COUNT * (uint32_t)BSK_REPLAY_ROUNDS)

static bsk_table_t table;
static uint32_t cost[TOTAL];
static uint8_t seen_kind[TOTAL];


static void print_hex(const uint8_t *b, size_t n) {
  static const char digits[] = "0123456789abcdef";
  if (n == 0) putchar('-');
  for (size_t i = 0; i < n; i++) {
    putchar(digits[b[i] >> 4]);
    putchar(digits[b[i] & 15]);
  }
}

int main(void) {
  bsk_table_init(&table, BSK_REPLAY_MAX_DEVICES, 0x9e3779b9u);

  /* What two back-to-back counter reads cost, subtracted from every measurement (the smallest of a few). */
  uint64_t overhead = UINT64_MAX;
  for (int i = 0; i < 8; i++) {
    uint64_t a = instret(), b = instret();
    if (b - a < overhead) overhead = b - a;
  }

#if HAVE_COUNTER
  uintptr_t top = stack_pointer();
  paint(top);
#endif
  uint32_t now = 1000, k = 0;
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
      bsk_seen_t s = bsk_table_seen(&table, &a, now, NULL, NULL);
      uint64_t t1 = instret();
      cost[k] = (uint32_t)(t1 - t0 - overhead);
      seen_kind[k] = (uint8_t)s;
    }
  }
#if HAVE_COUNTER
  uint32_t stack_used = painted_depth(top);
#endif

  printf("digest devices=%u evicted=%lu refused=%lu next=%lu\n", (unsigned)table.count,
         (unsigned long)table.evicted, (unsigned long)table.refused, (unsigned long)table.next_id);
  for (const bsk_device_t *d = bsk_table_stalest(&table); d; d = bsk_table_newer(&table, d)) {
    printf("dev %lu %02x:%02x:%02x:%02x:%02x:%02x/%u count=%lu first=%lu last=%lu rssi=%d flags=%u adv=",
           (unsigned long)d->id, d->addr[0], d->addr[1], d->addr[2], d->addr[3], d->addr[4], d->addr[5],
           (unsigned)d->addr_type, (unsigned long)d->count, (unsigned long)d->first,
           (unsigned long)d->last, (int)d->rssi, (unsigned)d->flags);
    print_hex(d->adv, d->adv_len);
    fputs(" rsp=", stdout);
    print_hex(d->rsp, d->rsp_len);
    putchar('\n');
  }
  printf("sizeof table=%lu device=%lu\n", (unsigned long)sizeof(bsk_table_t),
         (unsigned long)sizeof(bsk_device_t));
#if HAVE_COUNTER
  printf("stack advert=%lu\n", (unsigned long)stack_used);
  for (uint32_t i = 0; i < TOTAL; i++)
    printf("%s%u:%lu%s", i % 16 == 0 ? "cost " : " ", (unsigned)seen_kind[i], (unsigned long)cost[i],
           i % 16 == 15 || i + 1 == TOTAL ? "\n" : "");
#endif
  puts("end");
  return 0;
}
