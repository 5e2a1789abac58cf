/*
 * rv32-measure.h: what rv32-replay.c and rv32-session.c share: the replay's report type (the array itself
 * comes from bsk_replay_data.h, written at test time) and, on RV32, the instruction counter and the
 * stack painting. On the host the counter reads 0 and HAVE_COUNTER is 0.
 */
#ifndef BSK_RV32_MEASURE_H
#define BSK_RV32_MEASURE_H

#include <stdint.h>

typedef struct {
  uint8_t addr[6];
  uint8_t addr_type;
  uint8_t scan_rsp;
  uint8_t conn;
  int8_t rssi;
  uint16_t gap_ms;  /* since the previous report */
  uint8_t len;
  const char *data; /* len bytes (a string literal of \x escapes) */
} bsk_replay_report_t;

#if defined(__riscv) && __riscv_xlen == 32
/* The 64-bit retired-instruction counter, read high / low / high until the high word holds still. */
static inline uint64_t instret(void) {
  uint32_t hi, lo, again;
  do {
    __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, instreth\n.option pop" : "=r"(hi));
    __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, instret\n.option pop" : "=r"(lo));
    __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, instreth\n.option pop" : "=r"(again));
  } while (hi != again);
  return (uint64_t)hi << 32 | lo;
}

static inline uintptr_t stack_pointer(void) {
  uintptr_t sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  return sp;
}

/* Stack painting: fill PAINT bytes below main's frame with a pattern before the measured calls, then find
 * the lowest word they overwrote. Both are inlined into main (registers only, no frame of their own) and
 * the bare-metal program has no interrupts, so only the measured calls write there. */
#define PAINT 16384u
#define PATTERN 0x5AA5C33Cu

static inline __attribute__((always_inline)) void paint(uintptr_t top) {
  for (uintptr_t a = top - PAINT; a < top; a += 4) *(volatile uint32_t *)a = PATTERN;
}

static inline __attribute__((always_inline)) uint32_t painted_depth(uintptr_t top) {
  uintptr_t a = top - PAINT;
  while (a < top && *(volatile uint32_t *)a == PATTERN) a += 4;
  return (uint32_t)(top - a);
}
#define HAVE_COUNTER 1
#else
static inline uint64_t instret(void) { return 0; }
#define HAVE_COUNTER 0
#endif

#endif /* BSK_RV32_MEASURE_H */
