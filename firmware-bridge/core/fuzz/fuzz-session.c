/*
 * fuzz-session: the whole core driven the way firmware drives it, by a sequence of operations read
 * from the input: clients open and close, text frames (bytes from the input, or one of a few real
 * commands), binary frames, adverts (some refused), floods of devices with long records, drops, radio
 * failures (a scan_start that refuses, scan_failed),
 * time moving (small steps and jumps past durations and the stuck-client limit), and the send loop
 * (next_frame, then sent at once or later).
 *
 * Invariants on every frame next_frame returns, beyond "no sanitizer report":
 * - never more than one frame in flight: while a frame is unsent next_frame writes nothing (a pending
 *   close still comes out: the core decides closes before looking at the frame in flight); nothing is
 *   written at or past the caller's cap;
 * - a frame is valid UTF-8 (our decoder and bsk_utf8_valid) and one JSON object (our validator) of at
 *   most maxFrameBytes, whose `type` is a device -> page message; the first frame is hello and only the
 *   first; an error's code is a documented one; batch and snapshot frames carry seq one more than the
 *   previous one on the connection (from 1), status the last one; a frame holds at most maxBatchItems
 *   items (d + u + x), no id twice, and only ids of devices in the table in d and u;
 * - a close comes with nothing written, a transport code (1003, 1007, 1008, 1009, 1013), and a reason
 *   that is UTF-8 and fits a close frame (123 bytes); after a binary, oversized or non-UTF-8 frame the
 *   client is closed with that frame's code (or an earlier 1008 / 1013) as soon as nothing is in flight;
 * - open gives a free slot while fewer than maxClients are open, -1 otherwise;
 * - the radio is only asked for parameters in range (window <= interval, duration <= 86400 s);
 * - bsk_core_wait_ms does not oversleep: when it says w ms, nothing is due for any client at now + w - 1.
 */
#include "fuzz-common.h"

#define CLOSE_REASON_MAX 123u

typedef struct {
  bool open, in_flight;
  uint16_t expect_close; /* a transport violation was sent: its close code */
  uint32_t frames;
  int64_t seq;
} shadow_t;

static bsk_core_t core;
static shadow_t shadow[BSK_MAX_CLIENTS];
static size_t open_count;
static bool radio_refuses;
static char frame[BLESHARK_NANO_MAX_FRAME_BYTES + 64];

static const char *const DOWN_TYPES[] = {
#define FZ_TYPE(t) t,
    BLESHARK_FOR_EACH_DOWN_MESSAGE(FZ_TYPE)
#undef FZ_TYPE
};

static const char *const CODES[] = {
#define FZ_CODE(c) c,
    BLESHARK_FOR_EACH_ERROR_CODE(FZ_CODE)
#undef FZ_CODE
};

/* Real commands, so the input reaches deep states without having to spell them. */
static const char *const COMMANDS[] = {
    "{\"type\":\"scan-start\",\"id\":\"s1\"}",
    ("{\"type\":\"scan-start\",\"mode\":\"passive\",\"interval\":200,\"window\":100,\"duration\":2,"
     "\"duplicates\":false,\"id\":\"s2\"}"),
    "{\"type\":\"scan-start\",\"window\":500}",
    "{\"type\":\"scan-start\",\"duration\":1}",
    "{\"type\":\"scan-stop\",\"id\":\"x\"}",
    "{\"type\":\"scan-stop\"}",
    "{\"type\":\"filter\",\"filter\":{\"text\":\"aa:bb\"},\"id\":\"f\"}",
    "{\"type\":\"filter\",\"filter\":{\"minRssi\":-60,\"connectable\":true,\"named\":true}}",
    "{\"type\":\"filter\",\"filter\":{\"company\":76,\"exclude\":[6,117]}}",
    "{\"type\":\"filter\",\"filter\":{\"service\":\"180d\"}}",
    "{\"type\":\"filter\",\"filter\":{}}",
    "{\"type\":\"snapshot-request\",\"id\":\"r\"}",
    "{\"type\":\"clear\",\"id\":\"c\"}",
    "{\"type\":\"nope\",\"id\":\"n\"}",
    "not json",
    "{\"type\":\"filter\",\"filter\":{\"minRssi\":99},\"id\":\"bad\"}",
    "{\"type\":\"scan-start\",\"interval\":20,\"id\":\"under\"}",
    "{\"type\":\"scan-start\",\"duplicates\":false}",
    "{\"type\":\"filter\",\"filter\":{\"text\":\"flood\"}}",
    "{\"type\":\"filter\",\"filter\":{\"named\":true,\"minRssi\":-50}}",
};

static bool member_is(const uint8_t *s, size_t n, const char *key, const char *const *set, size_t count) {
  size_t from, to, k;
  if (!fz_json_member(s, n, key, &from, &to) || s[from] != '"') return false;
  for (k = 0; k < count; k++)
    if (to - from == strlen(set[k]) + 2 && memcmp(s + from + 1, set[k], to - from - 2) == 0) return true;
  return false;
}

/*
 * The ids of a batch or snapshot (d: records' id, u: [id, rssi, seen?], x: ids) are distinct, and those
 * of d and u are devices in the table now (the frame was built from it).
 */
static void check_ids(const uint8_t *s, size_t n) {
  static const char *const KEYS[3] = {"d", "u", "x"};
  static int64_t ids[3 * BLESHARK_NANO_MAX_BATCH_ITEMS + 3];
  size_t count = 0, k, j;
  for (k = 0; k < 3; k++) {
    size_t from, to, i;
    if (!fz_json_member(s, n, KEYS[k], &from, &to)) continue;
    i = from + 1;
    for (;;) {
      size_t es, ee, a, b;
      int64_t id;
      while (i < to && (fz_is_ws(s[i]) || s[i] == ',')) i++;
      if (i >= to || s[i] == ']') break;
      es = i;
      ee = i = fz_json_skip(s, to, i);
      if (k == 0) {
        FZ_CHECK(s[es] == '{' && fz_json_member(s + es, ee - es, BLESHARK_FIELD_ID, &a, &b));
        id = fz_json_uint(s + es, a, b);
      } else if (k == 1) {
        FZ_CHECK(s[es] == '[');
        for (b = es + 1; s[b] >= '0' && s[b] <= '9'; b++) {
        }
        id = fz_json_uint(s, es + 1, b);
      } else {
        id = fz_json_uint(s, es, ee);
      }
      FZ_CHECK(id >= 1 && count < sizeof ids / sizeof ids[0]);
      for (j = 0; j < count; j++) FZ_CHECK(ids[j] != id);
      ids[count++] = id;
      if (k < 2) {
        const bsk_device_t *d;
        for (d = bsk_table_stalest(&core.table); d && d->id != (uint32_t)id; d = bsk_table_newer(&core.table, d)) {
        }
        FZ_CHECK(d != NULL);
      }
    }
  }
}

static size_t items(const uint8_t *s, size_t n, const char *key) {
  size_t from, to;
  if (!fz_json_member(s, n, key, &from, &to)) return 0;
  FZ_CHECK(s[from] == '[');
  return fz_json_count(s, from, to);
}

static const char *scan_start(void *ctx, const bsk_scan_params_t *p) {
  (void)ctx;
  FZ_CHECK(p->interval >= BLESHARK_SCAN_TIMING_MIN_MS && p->interval <= BLESHARK_SCAN_TIMING_MAX_MS);
  FZ_CHECK(p->window >= BLESHARK_SCAN_TIMING_MIN_MS && p->window <= p->interval);
  FZ_CHECK(p->duration <= BLESHARK_PROTOCOL_MAX_DURATION_S);
  return radio_refuses ? "radio busy" : NULL;
}

static void scan_stop(void *ctx) { (void)ctx; }

static void client_closed(int slot) {
  bsk_core_client_close(&core, slot);
  shadow[slot].open = false;
  open_count--;
}

/* One next_frame for `slot`, checked; true when it wrote a frame. */
static bool pump(int slot, uint32_t now, bool send_now) {
  shadow_t *sh = &shadow[slot];
  bsk_frame_out_t out;
  const uint8_t *f = (const uint8_t *)frame;
  size_t n, k, from, to, type;
  const char *is;
  uint8_t first = 0;
  memset(frame, 0xA5, sizeof frame);
  out.close = 0;
  out.reason = NULL;
  n = bsk_core_next_frame(&core, slot, now, frame, BLESHARK_NANO_MAX_FRAME_BYTES, &out);
  for (k = BLESHARK_NANO_MAX_FRAME_BYTES; k < sizeof frame; k++) FZ_CHECK((uint8_t)frame[k] == 0xA5);
  FZ_CHECK(n <= BLESHARK_NANO_MAX_FRAME_BYTES);
  if (out.close != 0) {
    FZ_CHECK(n == 0);
    FZ_CHECK(out.close == BLESHARK_CLOSE_UNSUPPORTED_DATA || out.close == BLESHARK_CLOSE_INVALID_PAYLOAD ||
             out.close == BLESHARK_CLOSE_POLICY || out.close == BLESHARK_CLOSE_TOO_BIG ||
             out.close == BLESHARK_CLOSE_TRY_LATER);
    if (sh->expect_close)
      FZ_CHECK(out.close == sh->expect_close || out.close == BLESHARK_CLOSE_POLICY ||
               out.close == BLESHARK_CLOSE_TRY_LATER);
    FZ_CHECK(out.reason != NULL && strlen(out.reason) <= CLOSE_REASON_MAX);
    FZ_CHECK(bsk_utf8_valid((const uint8_t *)out.reason, strlen(out.reason)));
    client_closed(slot);
    return false;
  }
  if (sh->in_flight || n == 0) {
    FZ_CHECK(n == 0);
    /* A violation closes the client before anything else is sent. */
    if (!sh->in_flight) FZ_CHECK(!sh->expect_close); /* the close was not returned */
    return false;
  }
  FZ_CHECK(!sh->expect_close);
  FZ_CHECK(fz_utf8_valid(f, n, false) && bsk_utf8_valid(f, n));
  FZ_CHECK(fz_json_valid(f, n, &first) && first == '{');
  FZ_CHECK(fz_json_member(f, n, BLESHARK_FIELD_TYPE, &from, &to) && f[from] == '"');
  for (type = 0; type < sizeof DOWN_TYPES / sizeof DOWN_TYPES[0]; type++)
    if (to - from == strlen(DOWN_TYPES[type]) + 2 && memcmp(f + from + 1, DOWN_TYPES[type], to - from - 2) == 0) break;
  FZ_CHECK(type < sizeof DOWN_TYPES / sizeof DOWN_TYPES[0]);
  is = DOWN_TYPES[type];
  FZ_CHECK((strcmp(is, BLESHARK_MSG_HELLO) == 0) == (sh->frames == 0));
  if (strcmp(is, BLESHARK_MSG_ERROR) == 0)
    FZ_CHECK(member_is(f, n, BLESHARK_FIELD_CODE, CODES, sizeof CODES / sizeof CODES[0]));
  if (strcmp(is, BLESHARK_MSG_BATCH) == 0 || strcmp(is, BLESHARK_MSG_SNAPSHOT) == 0) {
    FZ_CHECK(fz_json_member(f, n, BLESHARK_FIELD_SEQ, &from, &to));
    FZ_CHECK(fz_json_uint(f, from, to) == sh->seq + 1);
    sh->seq++;
    FZ_CHECK(items(f, n, "d") + items(f, n, "u") + items(f, n, "x") <= BLESHARK_NANO_MAX_BATCH_ITEMS);
    check_ids(f, n);
  }
  if (strcmp(is, BLESHARK_MSG_STATUS) == 0) {
    FZ_CHECK(fz_json_member(f, n, BLESHARK_FIELD_SEQ, &from, &to));
    FZ_CHECK(fz_json_uint(f, from, to) == sh->seq);
  }
  sh->frames++;
  sh->in_flight = true;
  if (send_now) {
    bsk_core_sent(&core, slot);
    sh->in_flight = false;
  }
  return true;
}

/* Sends everything due to every client (each frame sent at once); bounded. */
static void drain(uint32_t now) {
  int slot, round;
  for (slot = 0; slot < BSK_MAX_CLIENTS; slot++) {
    if (!shadow[slot].open) continue;
    if (shadow[slot].in_flight) {
      bsk_core_sent(&core, slot);
      shadow[slot].in_flight = false;
    }
    for (round = 0; round < 256 && shadow[slot].open; round++)
      if (!pump(slot, now, true)) break;
  }
}

/*
 * Many devices at once, with long records (a 26-character name, and for every other one a 31-byte scan
 * response), so frames are cut, the table evicts and removals pile up. Returns the time after them.
 */
static uint32_t flood(uint8_t count, uint8_t base, uint32_t now) {
  static const char HEX[] = "0123456789abcdef";
  uint32_t i, n = (count % 64u + 1u) * 4u;
  for (i = 0; i < n; i++) {
    uint8_t adv[31] = {2, 0x01, 0x06, 27, 0x09}, rsp[31] = {30, 0xFF, 0x4C, 0x00};
    bsk_advert_t a;
    size_t k;
    memset(&a, 0, sizeof a);
    a.addr[0] = 0x10;
    a.addr[1] = (uint8_t)(base & 0xF0u); /* the low half changes only rssi and name: the same devices again */
    a.addr[2] = (uint8_t)(i >> 8);
    a.addr[3] = (uint8_t)i;
    a.conn = (i & 1u) != 0;
    a.rssi = (int8_t)(-(int)((i * 7u + base) % 100u));
    memcpy(adv + 5, "flood-device-", 13);
    for (k = 18; k < 31; k++) adv[k] = (uint8_t)HEX[(i + base + k) & 15u];
    a.data = adv;
    a.len = sizeof adv;
    bsk_core_advert(&core, &a, now);
    if (i & 1u) {
      for (k = 4; k < 31; k++) rsp[k] = (uint8_t)(i * k);
      a.scan_rsp = true;
      a.data = rsp;
      a.len = sizeof rsp;
      bsk_core_advert(&core, &a, now);
    }
    if (i % 8u == 7u) now++;
  }
  return now;
}

/* A slot from the input: an open client's, or -1. */
static int pick(fz_in_t *in) {
  int slot = fz_u8(in) % BSK_MAX_CLIENTS;
  return shadow[slot].open ? slot : -1;
}

static void note_violation(int slot, const uint8_t *data, size_t len) {
  shadow_t *sh = &shadow[slot];
  if (sh->expect_close) return;
  if (len > BLESHARK_NANO_MAX_INBOUND_BYTES) sh->expect_close = BLESHARK_CLOSE_TOO_BIG;
  else if (!fz_utf8_valid(data, len, false)) sh->expect_close = BLESHARK_CLOSE_INVALID_PAYLOAD;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint8_t text[BLESHARK_NANO_MAX_INBOUND_BYTES + 80];
  fz_in_t in = {data, size, 0};
  bsk_core_config_t cfg;
  uint32_t now = fz_u32(&in);
  uint8_t devices = fz_u8(&in), bits;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = "BLEShark Nano";
  cfg.firmware = "1.4.0";
  cfg.address = "aa:bb:cc:dd:ee:ff";
  cfg.epoch = "fz0001";
  cfg.max_devices = devices == 255 ? BLESHARK_NANO_MAX_DEVICES : (uint16_t)(1u + devices % 16u);
  cfg.hash_seed = fz_u32(&in);
  bits = fz_u8(&in);
  cfg.scan_on_init = (bits & 1u) != 0;
  cfg.caps_off = (uint8_t)(bits >> 1 & 63u);
  cfg.scan_start = scan_start;
  cfg.scan_stop = scan_stop;
  radio_refuses = false;
  memset(shadow, 0, sizeof shadow);
  open_count = 0;
  bsk_core_init(&core, &cfg, now);
  while (in.i < in.n) {
    uint8_t op = fz_u8(&in) % 17u;
    int slot;
    size_t got;
    const uint8_t *p;
    switch (op) {
    case 0: {
      slot = bsk_core_client_open(&core, now);
      if (open_count == BSK_MAX_CLIENTS) {
        FZ_CHECK(slot == -1);
      } else {
        FZ_CHECK(slot >= 0 && slot < BSK_MAX_CLIENTS && !shadow[slot].open);
        memset(&shadow[slot], 0, sizeof shadow[slot]);
        shadow[slot].open = true;
        open_count++;
      }
      break;
    }
    case 1:
      if ((slot = pick(&in)) >= 0) client_closed(slot);
      break;
    case 2: {
      size_t len = fz_u16(&in) % (BLESHARK_NANO_MAX_INBOUND_BYTES + 80u);
      slot = pick(&in);
      p = fz_bytes(&in, len, &got);
      memcpy(text, p, got);
      if (slot >= 0) {
        note_violation(slot, text, got);
        bsk_core_client_text(&core, slot, text, got, now);
      }
      break;
    }
    case 3: {
      const char *cmd = COMMANDS[fz_u8(&in) % (sizeof COMMANDS / sizeof COMMANDS[0])];
      if ((slot = pick(&in)) >= 0) bsk_core_client_text(&core, slot, (const uint8_t *)cmd, strlen(cmd), now);
      break;
    }
    case 4:
      if ((slot = pick(&in)) >= 0) {
        if (!shadow[slot].expect_close) shadow[slot].expect_close = BLESHARK_CLOSE_UNSUPPORTED_DATA;
        bsk_core_client_binary(&core, slot, now);
      }
      break;
    case 5:
    case 6: {
      static const uint8_t POOL[6] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x00};
      uint8_t ad[40], sel = fz_u8(&in), fl = fz_u8(&in);
      bsk_advert_t a;
      memset(&a, 0, sizeof a);
      memcpy(a.addr, POOL, 6);
      a.addr[5] = (uint8_t)(sel & 31u);
      a.addr_type = (uint8_t)(fl & 8u ? 2u : fl & 1u); /* 2: refused */
      a.scan_rsp = (fl & 2u) != 0;
      a.conn = (fl & 4u) != 0;
      a.rssi = (int8_t)fz_u8(&in);
      p = fz_bytes(&in, fz_u8(&in) % 40u, &got); /* over 31: refused */
      memcpy(ad, p, got);
      a.data = ad;
      a.len = got;
      now += fl >> 4;
      bsk_core_advert(&core, &a, now);
      break;
    }
    case 7:
      bsk_core_drops(&core, fz_u8(&in));
      break;
    case 8:
      bsk_core_scan_failed(&core, "radio failed", now);
      break;
    case 9: {
      uint16_t dt = fz_u16(&in);
      now += dt & 0x8000u ? (uint32_t)(dt & 0x7FFFu) * 10u : dt; /* up to 5.5 minutes at once */
      bsk_core_tick(&core, now);
      break;
    }
    case 10:
    case 11:
    case 12: {
      uint8_t how = fz_u8(&in);
      if ((slot = pick(&in)) >= 0) pump(slot, now, (how & 1u) != 0);
      break;
    }
    case 13:
      if ((slot = pick(&in)) >= 0 && shadow[slot].in_flight) {
        bsk_core_sent(&core, slot);
        shadow[slot].in_flight = false;
      }
      break;
    case 14: {
      /* Send everything due; then wait_ms must not oversleep. */
      uint32_t w;
      drain(now);
      w = bsk_core_wait_ms(&core, now);
      if (w > 1 && w <= 600000u) {
        int s;
        now += w - 1;
        bsk_core_tick(&core, now);
        for (s = 0; s < BSK_MAX_CLIENTS; s++)
          if (shadow[s].open) FZ_CHECK(!pump(s, now, true) && shadow[s].open);
      }
      break;
    }
    case 15:
      radio_refuses = !radio_refuses;
      break;
    default: {
      uint8_t count = fz_u8(&in), base = fz_u8(&in);
      now = flood(count, base, now);
    }
    }
  }
  drain(now);
  return 0;
}
