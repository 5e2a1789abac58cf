/*
 * bleshark-core-host: one bsk_core_t (the whole of /scan/live above the WebSocket) behind a small binary
 * protocol on stdin / stdout, so that a host program (the simulator's `--core PATH`) can put the C core
 * in place of its TypeScript engine and sessions. The simulator keeps the radio (a scan source), HTTP,
 * the upgrade checks and RFC 6455; everything the core decides comes out of here as frames and closes.
 *
 * Framing, both directions: a message is a 4-byte little-endian body length n (1..BSK_HOST_MAX_BODY),
 * then n body bytes: one type byte and its fields. Integers are little-endian; "bytes" runs to the end
 * of the body. `now` is the caller's clock in ms (uptime; it drives every timer of the core, so a test
 * can drive time); `conn` is the caller's own number for one WebSocket (never reused).
 *
 * In (caller -> harness)                                    Out (harness -> caller)
 *   'I' init   now u32, max_devices u16, hash_seed u32,       'o' open result  conn u32, accepted u8
 *              flags u8 (1: scan_on_init, 2: demo),            'f' frame        conn u32, text bytes
 *              caps_off u8, model, firmware, address, epoch,   'c' close        conn u32, code u16, reason bytes
 *              source (each: length u8 <= 63, bytes; source
 *              1..32 bytes: hello.device.source)
 *   'A' advert now u32, addr 6 bytes (as written),             's' scan start   passive u8, interval u16,
 *              addr_type u8, flags u8 (1 scan response,                         window u16, duration u32 (s),
 *              2 connectable), rssi i8, AD bytes (<= 255)                       duplicates u8
 *   'D' drops  now u32, n u32                                  'p' scan stop    (nothing)
 *   'E' failed now u32, message bytes (<= 127): the radio      'd' done         wait_ms u32
 *              failed while scanning
 *   'N' ended  now u32: the scan ended normally by itself (a replay's end): bsk_core_scan_ended
 *   'T' tick   now u32
 *   'O' open   now u32, conn u32
 *   'C' close  now u32, conn u32 (the socket closed)
 *   'X' text   now u32, conn u32, frame bytes
 *   'B' binary now u32, conn u32
 *   'S' sent   now u32, conn u32 (the frame last sent to conn left)
 *   'R' answer ok u8, message bytes (the scan-failed text when ok is 0); only as the reply to 's' / 'p'
 *
 * Order: 'I' comes first and once. Every input message but 'R' is answered, after whatever it caused,
 * by exactly one 'd', whose wait_ms says when a 'T' may have work (bsk_core_wait_ms). After each input
 * message the harness asks the core for the next frame of every open client not yet closing, as the
 * header's send loop says (a client with a frame in flight gets no frame, but may get its close: a stuck
 * client): a frame is one 'f' and the client waits for its 'S'; a close is one 'c' and the client waits
 * for its 'C' (an 'S' for a frame that was in flight may still come before it). The core's scan callbacks are synchronous: the harness writes 's' or 'p' and blocks until the
 * next message, which must be 'R'. A caller therefore sends 'I', 'X', 'T' and 'B' only when no message
 * is unanswered, and nothing else until their 'd'; the others ('A', 'D', 'E', 'N', 'O', 'C', 'S') never
 * cause a scan request and may be pipelined. A message for a conn the harness does not know (never opened,
 * refused or closed) is ignored: the caller may not have heard yet.
 *
 * Exit codes: 0 at end of input between messages; 2 for a malformed message (bad length, unknown type,
 * short or long fields, out of order), with one line on stderr; 3 when stdout cannot be written; 4 when
 * the core breaks a promise of its header (a slot or frame length out of range).
 * Memory: static only (the core, one inbound body, one outbound frame).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleshark_core.h"

/* Largest body accepted: a text frame of 64 KiB (the caller's WebSocket bound) plus its header. */
#define BSK_HOST_MAX_TEXT 65536u
#define BSK_HOST_MAX_BODY (BSK_HOST_MAX_TEXT + 16u)
#define BSK_HOST_MAX_STR 63u
#define BSK_HOST_MAX_MESSAGE 127u

typedef struct {
  bool open;      /* conn is known and holds this slot */
  bool in_flight; /* a frame went out, its 'S' has not come */
  bool closing;   /* a close went out, its 'C' has not come */
  uint32_t conn;
} host_client_t;

static bsk_core_t core;
static host_client_t clients[BSK_MAX_CLIENTS];
static uint8_t body[BSK_HOST_MAX_BODY];
static char frame[BLESHARK_NANO_MAX_FRAME_BYTES];
static char config_text[5][BSK_HOST_MAX_STR + 1];
static char scan_message[BSK_HOST_MAX_MESSAGE + 1];
static char failed_message[BSK_HOST_MAX_MESSAGE + 1];
static bool started;

/* The core broke a promise of its header (a slot or a length out of range): exit 4. */
static void broken(const char *why) {
  fprintf(stderr, "bleshark-core-host: the core broke its contract: %s\n", why);
  exit(4);
}

static void fail(const char *why, unsigned type) {
  if (type) fprintf(stderr, "bleshark-core-host: malformed message '%c': %s\n", (int)type, why);
  else fprintf(stderr, "bleshark-core-host: malformed input: %s\n", why);
  exit(2);
}

static uint32_t get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get_u16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static void put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

static void out_bytes(const void *p, size_t n) {
  if (n && fwrite(p, 1, n, stdout) != n) {
    fputs("bleshark-core-host: cannot write stdout\n", stderr);
    exit(3);
  }
}

static void out_flush(void) {
  if (fflush(stdout) != 0) {
    fputs("bleshark-core-host: cannot write stdout\n", stderr);
    exit(3);
  }
}

/* One outbound message: its type and fixed head, then `tail` bytes. */
static void out_message(uint8_t type, const uint8_t *head, size_t head_len, const void *tail, size_t tail_len) {
  uint8_t len[4];
  put_u32(len, (uint32_t)(1 + head_len + tail_len));
  out_bytes(len, 4);
  out_bytes(&type, 1);
  out_bytes(head, head_len);
  out_bytes(tail, tail_len);
}

/*
 * Reads one message into body; returns its length, or 0 at the end of input before a message. The end
 * of input inside a message is malformed.
 */
static size_t read_message(void) {
  uint8_t len[4];
  size_t got = fread(len, 1, 4, stdin);
  if (got == 0 && feof(stdin)) return 0;
  if (got != 4) fail("input ends inside a length", 0);
  uint32_t n = get_u32(len);
  if (n == 0 || n > BSK_HOST_MAX_BODY) fail("body length out of range", 0);
  if (fread(body, 1, n, stdin) != n) fail("input ends inside a body", 0);
  return n;
}

/* Copies a length-prefixed string at body[*at] into dst (NUL-terminated). */
static void take_string(size_t n, size_t *at, char *dst, unsigned type) {
  if (*at >= n) fail("a string is missing", type);
  size_t len = body[*at];
  if (len > BSK_HOST_MAX_STR || *at + 1 + len > n) fail("a string is too long or cut", type);
  memcpy(dst, body + *at + 1, len);
  dst[len] = '\0';
  *at += 1 + len;
}

/* Blocks for the caller's 'R' after a scan request; returns NULL (ok) or the failure text. */
static const char *await_answer(void) {
  out_flush();
  size_t n = read_message();
  if (n == 0) fail("input ends while a scan answer is awaited", 0);
  if (body[0] != 'R') fail("expected a scan answer ('R')", body[0]);
  if (n < 2) fail("too short", 'R');
  if (body[1]) return NULL;
  size_t len = n - 2 > BSK_HOST_MAX_MESSAGE ? BSK_HOST_MAX_MESSAGE : n - 2;
  memcpy(scan_message, body + 2, len);
  scan_message[len] = '\0';
  return len ? scan_message : "the scan could not start";
}

static const char *on_scan_start(void *ctx, const bsk_scan_params_t *p) {
  (void)ctx;
  uint8_t head[10];
  head[0] = p->passive ? 1 : 0;
  put_u16(head + 1, p->interval);
  put_u16(head + 3, p->window);
  put_u32(head + 5, p->duration);
  head[9] = p->duplicates ? 1 : 0;
  out_message('s', head, sizeof head, NULL, 0);
  return await_answer();
}

static void on_scan_stop(void *ctx) {
  (void)ctx;
  out_message('p', NULL, 0, NULL, 0);
  (void)await_answer();
}

static int slot_of(uint32_t conn) {
  for (int i = 0; i < (int)BSK_MAX_CLIENTS; i++)
    if (clients[i].open && clients[i].conn == conn) return i;
  return -1;
}

/* Hands out what the core has for every client that may take a frame now. */
static void sweep(uint32_t now) {
  for (int i = 0; i < (int)BSK_MAX_CLIENTS; i++) {
    host_client_t *h = &clients[i];
    if (!h->open || h->closing) continue;
    bsk_frame_out_t out = {0, NULL};
    size_t n = bsk_core_next_frame(&core, i, now, frame, sizeof frame, &out);
    if (n > 0 && h->in_flight) broken("a frame while one is in flight");
    uint8_t head[6];
    put_u32(head, h->conn);
    if (out.close) {
      const char *reason = out.reason ? out.reason : "";
      size_t reason_len = strlen(reason);
      if (reason_len > 123) reason_len = 123; /* a close frame carries at most 123 bytes of reason */
      put_u16(head + 4, out.close);
      out_message('c', head, 6, reason, reason_len);
      h->closing = true;
    } else if (n > 0) {
      if (n > sizeof frame) broken("a frame longer than its buffer");
      out_message('f', head, 4, frame, n);
      h->in_flight = true;
    }
  }
}

static void on_init(size_t n) {
  if (started) fail("init came twice", 'I');
  if (n < 13) fail("too short", 'I');
  if (body[11] > 3) fail("unknown flags", 'I');
  uint32_t now = get_u32(body + 1);
  size_t at = 13;
  for (int i = 0; i < 5; i++) take_string(n, &at, config_text[i], 'I');
  if (at != n) fail("bytes after the last field", 'I');
  size_t source_len = strlen(config_text[4]);
  if (source_len < 1 || source_len > 32) fail("source must be 1..32 bytes", 'I');
  bsk_core_config_t config;
  memset(&config, 0, sizeof config);
  config.model = config_text[0];
  config.firmware = config_text[1];
  config.address = config_text[2];
  config.epoch = config_text[3];
  config.source = config_text[4];
  config.demo = (body[11] & 2u) != 0;
  config.max_devices = get_u16(body + 5);
  config.hash_seed = get_u32(body + 7);
  config.scan_on_init = (body[11] & 1u) != 0;
  config.caps_off = body[12];
  config.scan_start = on_scan_start;
  config.scan_stop = on_scan_stop;
  config.ctx = NULL;
  started = true;
  bsk_core_init(&core, &config, now);
}

/* One input message (not 'R'); returns the `now` it carried. */
static uint32_t handle(size_t n) {
  unsigned type = body[0];
  if (type == 'I') {
    on_init(n);
    return get_u32(body + 1);
  }
  if (!started) fail("the first message must be init ('I')", type);
  if (n < 5) fail("too short", type);
  uint32_t now = get_u32(body + 1);
  switch (type) {
  case 'A': {
    if (n < 14) fail("too short", type);
    if (n - 14 > 255) fail("more than 255 AD bytes", type);
    bsk_advert_t a;
    memset(&a, 0, sizeof a);
    memcpy(a.addr, body + 5, 6);
    a.addr_type = body[11];
    a.scan_rsp = (body[12] & 1u) != 0;
    a.conn = (body[12] & 2u) != 0;
    a.rssi = (int8_t)(body[13] > 127 ? (int)body[13] - 256 : (int)body[13]);
    a.len = n - 14;
    a.data = a.len ? body + 14 : NULL;
    bsk_core_advert(&core, &a, now);
    return now;
  }
  case 'D':
    if (n != 9) fail("wrong length", type);
    bsk_core_drops(&core, get_u32(body + 5));
    return now;
  case 'E': {
    size_t len = n - 5;
    if (len > BSK_HOST_MAX_MESSAGE) fail("message over 127 bytes", type);
    memcpy(failed_message, body + 5, len);
    failed_message[len] = '\0';
    bsk_core_scan_failed(&core, failed_message, now);
    return now;
  }
  case 'N':
    if (n != 5) fail("wrong length", type);
    bsk_core_scan_ended(&core, now);
    return now;
  case 'T':
    if (n != 5) fail("wrong length", type);
    bsk_core_tick(&core, now);
    return now;
  default:
    break;
  }
  if (type != 'O' && type != 'C' && type != 'X' && type != 'B' && type != 'S') fail("unknown type", type);
  if (n < 9 || (type != 'X' && n != 9)) fail("wrong length", type);
  uint32_t conn = get_u32(body + 5);
  int slot = slot_of(conn);
  if (type == 'O') {
    if (slot >= 0) fail("conn is already open", type);
    int s = bsk_core_client_open(&core, now);
    if (s >= (int)BSK_MAX_CLIENTS) broken("a client slot out of range");
    uint8_t head[5];
    put_u32(head, conn);
    head[4] = s >= 0 ? 1 : 0;
    out_message('o', head, 5, NULL, 0);
    if (s >= 0) {
      if (clients[s].open) broken("a client slot that is in use");
      clients[s].open = true;
      clients[s].in_flight = false;
      clients[s].closing = false;
      clients[s].conn = conn;
    }
    return now;
  }
  if (slot < 0) return now; /* not (or no longer) known: the caller may not have heard yet */
  switch (type) {
  case 'C':
    clients[slot].open = false;
    bsk_core_client_close(&core, slot);
    break;
  case 'X':
    if (n - 9 > BSK_HOST_MAX_TEXT) fail("text over 64 KiB", type);
    if (!clients[slot].closing) bsk_core_client_text(&core, slot, body + 9, n - 9, now);
    break;
  case 'B':
    if (!clients[slot].closing) bsk_core_client_binary(&core, slot, now);
    break;
  default: /* 'S' */
    if (!clients[slot].in_flight) fail("sent, but no frame is in flight for conn", type);
    clients[slot].in_flight = false;
    bsk_core_sent(&core, slot);
    break;
  }
  return now;
}

int main(void) {
  static char out_buffer[1 << 16];
  signal(SIGPIPE, SIG_IGN);
  setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
  for (;;) {
    size_t n = read_message();
    if (n == 0) break;
    if (body[0] == 'R') fail("a scan answer without a scan request", 'R');
    uint32_t now = handle(n);
    sweep(now);
    uint8_t head[4];
    put_u32(head, bsk_core_wait_ms(&core, now));
    out_message('d', head, 4, NULL, 0);
    out_flush();
  }
  return 0;
}
