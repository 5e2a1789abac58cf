/*
 * rv32-flash: a program that links what a firmware links of the core, so that its size can be read off
 * the ELF: every entry point the firmware calls is kept (through a table of pointers --gc-sections
 * cannot drop) together with one static instance of the core's state at the Nano's limits. Built a
 * second time with -DBSK_RV32_BASELINE, which keeps nothing: the difference between the two links is
 * the core's flash (text + rodata, with whatever libc / libgcc code only the core needs) and static RAM.
 *
 * With -DBSK_RV32_HAVE_CORE the entry points are the session API, every public bsk_core_* function of
 * bleshark_core.h (bsk_core_scan_ended included), which is all a firmware calls; without it (before the
 * session API existed) they are the parts it would call: the table, the filter, the command parser and
 * the JSON writer. Test-only helpers (bsk_json_command, bsk_blank_ranges) are left out. The program is
 * linked and measured, never run.
 */
#include "bleshark_core.h"

#ifdef BSK_RV32_BASELINE
static void (*const volatile keep_code[1])(void) = {0};
static void *const volatile keep_data[1] = {0};
#elif defined(BSK_RV32_HAVE_CORE)
static bsk_core_t core;
static void (*const volatile keep_code[])(void) = {
    (void (*)(void))bsk_core_init,          (void (*)(void))bsk_core_advert,
    (void (*)(void))bsk_core_drops,         (void (*)(void))bsk_core_scan_failed,
    (void (*)(void))bsk_core_scan_ended,    (void (*)(void))bsk_core_tick,
    (void (*)(void))bsk_core_client_open,   (void (*)(void))bsk_core_client_close,
    (void (*)(void))bsk_core_client_text,   (void (*)(void))bsk_core_client_binary,
    (void (*)(void))bsk_core_next_frame,    (void (*)(void))bsk_core_sent,
    (void (*)(void))bsk_core_wait_ms,
};
static void *const volatile keep_data[] = {&core};
#else
static bsk_table_t table;
static void (*const volatile keep_code[])(void) = {
    (void (*)(void))bsk_utf8_next,        (void (*)(void))bsk_utf8_valid,
    (void (*)(void))bsk_json_init,        (void (*)(void))bsk_json_raw,
    (void (*)(void))bsk_json_lit,         (void (*)(void))bsk_json_int,
    (void (*)(void))bsk_json_str,         (void (*)(void))bsk_json_str_cut,
    (void (*)(void))bsk_parse_command,    (void (*)(void))bsk_table_init,
    (void (*)(void))bsk_table_seen,       (void (*)(void))bsk_table_find,
    (void (*)(void))bsk_table_stalest,    (void (*)(void))bsk_table_newer,
    (void (*)(void))bsk_table_clear,      (void (*)(void))bsk_filter_match,
    (void (*)(void))bsk_code_point_shows,
};
static void *const volatile keep_data[] = {&table};
#endif

int main(void) {
  /* Reading both tables through volatile keeps every entry (and what it reaches) in the link. */
  unsigned n = 0;
  for (unsigned i = 0; i < sizeof keep_code / sizeof keep_code[0]; i++) n += keep_code[i] != 0;
  for (unsigned i = 0; i < sizeof keep_data / sizeof keep_data[0]; i++) n += keep_data[i] != 0;
  return (int)(n & 1u);
}
