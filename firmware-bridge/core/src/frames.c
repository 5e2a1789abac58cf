/*
 * frames.c: every frame the core sends, written into the caller's buffer: hello, status, ack / error,
 * scan-complete, snapshot parts and batches (frame-builder.ts's cutting at maxBatchItems items and
 * BLESHARK_PROTOCOL_BATCH_TARGET_BYTES, batcher.ts's order and leading edge).
 */
#include <string.h>

#include "core-internal.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define STR_MIN STR(BLESHARK_SCAN_TIMING_MIN_MS)
#define STR_MAX STR(BLESHARK_SCAN_TIMING_MAX_MS)

static const char *const CMD_NAMES[] = {"", BLESHARK_MSG_SCAN_START, BLESHARK_MSG_SCAN_STOP, BLESHARK_MSG_FILTER,
                                        BLESHARK_MSG_SNAPSHOT_REQUEST, BLESHARK_MSG_CLEAR};
static const char *const SNAP_REASONS[] = {"", "connect", "request", "filter", "clear"};

/* Moves p[1..n] to p[0..n-1] (the core uses only memcpy / memset / memcmp / memchr / strlen). */
static void shift_left(char *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = p[i + 1];
}

/* Members with literal keys (the generated BLESHARK_FIELD_* strings): ,"key": is one append. */
#define key(w, k) BSK_KEY(w, k)
#define KEY_LIT(k) ",\"" k "\":", sizeof(",\"" k "\":") - 1u

static void int_member(bsk_json_t *w, const char *k, size_t kn, uint32_t v) {
  bsk_json_raw(w, k, kn);
  bsk_json_int(w, v);
}
#define int_field(w, k, v) int_member(w, KEY_LIT(k), v)

static void bool_member(bsk_json_t *w, const char *k, size_t kn, bool v) {
  bsk_json_raw(w, k, kn);
  if (v) BSK_LIT(w, "true");
  else BSK_LIT(w, "false");
}
#define bool_field(w, k, v) bool_member(w, KEY_LIT(k), v)

static void text_member(bsk_json_t *w, const char *k, size_t kn, const char *s) {
  bsk_json_raw(w, k, kn);
  bsk_json_str(w, (const uint8_t *)s, strlen(s), 0);
}
#define text_field(w, k, s) text_member(w, KEY_LIT(k), s)

/* Opens a message: {"type":"<type>" (every other member is written with a leading comma). */
#define open_msg(w, type) BSK_LIT(w, "{\"" BLESHARK_FIELD_TYPE "\":\"" type "\"")

/* A scan state (scanStateSchema), in the engine's key order. */
static void scan_state(bsk_json_t *w, const bsk_core_t *c) {
  bsk_json_lit(w, "{\"" BLESHARK_FIELD_SCANNING "\":");
  bsk_json_lit(w, c->scanning ? "true" : "false");
  key(w, BLESHARK_FIELD_MODE);
  bsk_json_lit(w, c->scan.passive ? "\"passive\"" : "\"active\"");
  int_field(w, BLESHARK_FIELD_INTERVAL, c->scan.interval);
  int_field(w, BLESHARK_FIELD_WINDOW, c->scan.window);
  int_field(w, BLESHARK_FIELD_DURATION, c->scan.duration);
  bool_field(w, BLESHARK_FIELD_DUPLICATES, c->scan.duplicates);
  if (c->scanning) int_field(w, BLESHARK_FIELD_SINCE, c->since);
  bsk_json_raw(w, "}", 1);
}

/* A filter as status echoes it (known(filterSchema, ...): the fields sent, in schema order). */
static void filter_json(bsk_json_t *w, const bsk_filter_t *f) {
  size_t mark = w->len;
  bsk_json_raw(w, "{", 1);
  if (f->has_text) {
    key(w, BLESHARK_FIELD_TEXT);
    bsk_json_str(w, (const uint8_t *)f->text, f->text_len, BSK_JSON_WTF8);
  }
  if (f->has_min_rssi) {
    key(w, BLESHARK_FIELD_MIN_RSSI);
    bsk_json_int(w, f->min_rssi);
  }
  if (f->has_company) int_field(w, BLESHARK_FIELD_COMPANY, f->company);
  if (f->has_service) {
    key(w, BLESHARK_FIELD_SERVICE);
    bsk_json_str(w, (const uint8_t *)f->service, f->service_len, 0);
  }
  if (f->has_connectable) bool_field(w, BLESHARK_FIELD_CONNECTABLE, f->connectable);
  if (f->has_named) bool_field(w, BLESHARK_FIELD_NAMED, f->named);
  if (f->has_exclude) {
    key(w, BLESHARK_FIELD_EXCLUDE);
    bsk_json_raw(w, "[", 1);
    for (uint8_t i = 0; i < f->exclude_count; i++) {
      if (i) bsk_json_raw(w, ",", 1);
      bsk_json_int(w, f->exclude[i]);
    }
    bsk_json_raw(w, "]", 1);
  }
  /* The first member was written with a leading comma after the brace: drop that comma. */
  if (!w->truncated && w->len > mark + 1) {
    shift_left(w->buf + mark + 1, w->len - mark - 2);
    w->len--;
  }
  bsk_json_raw(w, "}", 1);
}

static void hello(bsk_json_t *w, const bsk_core_t *c, const bsk_client_t *cl, uint32_t now) {
  static const char *const CAPS[] = {"passive", "duration", "duplicates", "filter", "raw", "clear"};
  /* The constant runs of hello are single literals (the generated limits are plain integers). */
  BSK_LIT(w, "{\"" BLESHARK_FIELD_TYPE "\":\"" BLESHARK_MSG_HELLO "\",\"" BLESHARK_FIELD_PROTOCOL
             "\":" STR(BLESHARK_PROTOCOL_VERSION) ",\"" BLESHARK_FIELD_SCHEMA "\":\"" BLESHARK_SCHEMA_HASH
             "\",\"" BLESHARK_FIELD_DEVICE "\":{\"" BLESHARK_FIELD_MODEL "\":");
  bsk_json_str(w, (const uint8_t *)c->cfg.model, c->cfg.model ? strlen(c->cfg.model) : 0, 0);
  text_field(w, BLESHARK_FIELD_FIRMWARE, c->cfg.firmware ? c->cfg.firmware : "");
  text_field(w, BLESHARK_FIELD_ADDRESS, c->cfg.address ? c->cfg.address : "");
  const char *source = c->cfg.source;
  size_t source_len = source ? strlen(source) : 0;
  if (source_len == 0 || source_len > 32) {
    source = "radio";
    source_len = 5;
  }
  key(w, BLESHARK_FIELD_SOURCE);
  bsk_json_str(w, (const uint8_t *)source, source_len, 0);
  bool_field(w, BLESHARK_FIELD_DEMO, c->cfg.demo);
  BSK_LIT(w, "}");
  text_field(w, BLESHARK_FIELD_EPOCH, c->cfg.epoch ? c->cfg.epoch : "");
  int_field(w, BLESHARK_FIELD_CLIENT, cl->number);
  int_field(w, BLESHARK_FIELD_T, now);
  BSK_LIT(w, ",\"" BLESHARK_FIELD_LIMITS "\":{\"" BLESHARK_FIELD_MAX_INBOUND_BYTES "\":" STR(
                 BLESHARK_NANO_MAX_INBOUND_BYTES) ",\"" BLESHARK_FIELD_MAX_FRAME_BYTES
             "\":" STR(BLESHARK_NANO_MAX_FRAME_BYTES) ",\"" BLESHARK_FIELD_MAX_BATCH_ITEMS "\":" STR(
                 BLESHARK_NANO_MAX_BATCH_ITEMS) ",\"" BLESHARK_FIELD_MAX_CLIENTS "\":" STR(BSK_MAX_CLIENTS));
  int_field(w, BLESHARK_FIELD_MAX_DEVICES, c->table.max);
  BSK_LIT(w, ",\"" BLESHARK_FIELD_COMMANDS_PER_SECOND "\":" STR(BLESHARK_NANO_COMMANDS_PER_SECOND) ",\"" BLESHARK_FIELD_COMMAND_BURST
             "\":" STR(BLESHARK_NANO_COMMAND_BURST) ",\"" BLESHARK_FIELD_BATCH_INTERVAL_MS "\":" STR(
                 BLESHARK_NANO_BATCH_INTERVAL_MS) ",\"" BLESHARK_FIELD_STATUS_INTERVAL_MS
             "\":" STR(BLESHARK_NANO_STATUS_INTERVAL_MS) "}");
  key(w, BLESHARK_FIELD_CAPS);
  bsk_json_raw(w, "[", 1);
  bool first = true;
  for (unsigned i = 0; i < 6; i++) {
    if (c->cfg.caps_off & (1u << i)) continue;
    if (!first) bsk_json_raw(w, ",", 1);
    first = false;
    bsk_json_raw(w, "\"", 1);
    bsk_json_lit(w, CAPS[i]);
    bsk_json_raw(w, "\"", 1);
  }
  bsk_json_raw(w, "]", 1);
  key(w, BLESHARK_FIELD_SCAN);
  scan_state(w, c);
  bsk_json_raw(w, "}", 1);
}

static void status(bsk_json_t *w, const bsk_core_t *c, const bsk_client_t *cl, uint32_t now) {
  uint32_t shown = c->table.count;
  if (cl->any_filter) {
    shown = 0;
    const bsk_table_t *t = &c->table;
    for (uint16_t s = t->stalest; s != BSK_NIL; s = t->dev[s].newer)
      if (bsk__matches(cl, &t->dev[s])) shown++;
  }
  open_msg(w, BLESHARK_MSG_STATUS);
  int_field(w, BLESHARK_FIELD_T, now);
  key(w, BLESHARK_FIELD_SCAN);
  scan_state(w, c);
  key(w, BLESHARK_FIELD_FILTER);
  filter_json(w, &cl->filter);
  key(w, BLESHARK_FIELD_RATE);
  bsk_json_int(w, c->rate_tenths / 10u);
  if (c->rate_tenths % 10u) {
    char frac[2] = {'.', (char)('0' + c->rate_tenths % 10u)};
    bsk_json_raw(w, frac, 2);
  }
  int_field(w, BLESHARK_FIELD_DEVICES, c->table.count);
  int_field(w, BLESHARK_FIELD_SHOWN, shown);
  int_field(w, BLESHARK_FIELD_DROPS, c->drops);
  int_field(w, BLESHARK_FIELD_COALESCED, cl->coalesced);
  int_field(w, BLESHARK_FIELD_EVICTED, c->table.evicted);
  int_field(w, BLESHARK_FIELD_CLIENTS, c->clients);
  int_field(w, BLESHARK_FIELD_SEQ, cl->seq);
  bsk_json_raw(w, "}", 1);
}

/* Writes a static message cut to 256 bytes between characters (error.message, scan-complete.message). */
static void message_field(bsk_json_t *w, const char *s) {
  size_t n = strlen(s), i = 0;
  while (i < n) {
    uint32_t cp;
    size_t k = bsk_utf8_next((const uint8_t *)s + i, n - i, &cp, false);
    if (i + k > 256) break;
    i += k;
  }
  key(w, BLESHARK_FIELD_MESSAGE);
  bsk_json_str(w, (const uint8_t *)s, i, 0);
}

/* One reply; `bytes` holds its pool part (the id, or a scan-complete's t, adverts, devices, ms). */
static void reply(bsk_json_t *w, const bsk_reply_t *r, const uint8_t *bytes) {
  if (r->kind == BSK_Q_COMPLETE) {
    open_msg(w, BLESHARK_MSG_SCAN_COMPLETE);
    int_field(w, BLESHARK_FIELD_T, bsk__get_u32(bytes));
    text_field(w, BLESHARK_FIELD_REASON, r->code);
    int_field(w, BLESHARK_FIELD_ADVERTS, bsk__get_u32(bytes + 4));
    int_field(w, BLESHARK_FIELD_DEVICES, bsk__get_u32(bytes + 8));
    int_field(w, BLESHARK_FIELD_MS, bsk__get_u32(bytes + 12));
    if (r->msg && r->msg[0]) message_field(w, r->msg);
    bsk_json_raw(w, "}", 1);
    return;
  }
  if (r->kind == BSK_Q_ACK) {
    open_msg(w, BLESHARK_MSG_ACK);
    key(w, BLESHARK_FIELD_ID);
    bsk_json_str(w, bytes, r->len, BSK_JSON_WTF8);
    text_field(w, BLESHARK_FIELD_COMMAND, CMD_NAMES[r->sub]);
    bsk_json_raw(w, "}", 1);
    return;
  }
  open_msg(w, BLESHARK_MSG_ERROR);
  text_field(w, BLESHARK_FIELD_CODE, r->code);
  if (r->sub == BSK_T_STATIC) {
    message_field(w, r->msg ? r->msg : r->code);
  } else {
    /* scanTimingProblem's two texts. */
    key(w, BLESHARK_FIELD_MESSAGE);
    bsk_json_raw(w, "\"", 1);
    bsk_json_lit(w, r->sub == BSK_T_WINDOW_OVER ? "window: " : "interval: ");
    bsk_json_int(w, r->a);
    bsk_json_lit(w, r->sub == BSK_T_WINDOW_OVER ? " ms is over the interval in effect ("
                                                 : " ms is under the window in effect (");
    bsk_json_int(w, r->b);
    if (r->sub == BSK_T_WINDOW_OVER) {
      bsk_json_lit(w, " ms); send a window of " STR_MIN "..");
      bsk_json_int(w, r->b);
      bsk_json_lit(w, ", or an interval with it\"");
    } else {
      bsk_json_lit(w, " ms); send an interval of ");
      bsk_json_int(w, r->b);
      bsk_json_lit(w, ".." STR_MAX ", or a window with it\"");
    }
  }
  if (r->has_id) {
    key(w, BLESHARK_FIELD_ID);
    bsk_json_str(w, bytes, r->len, BSK_JSON_WTF8);
  }
  bsk_json_raw(w, "}", 1);
}

/* frame-builder.ts's budget: ENVELOPE bytes plus each item and its comma, at most maxBatchItems items. */
typedef struct {
  size_t bytes, items;
} budget_t;

static bool fits(budget_t *b, size_t item) {
  if (b->items > 0 && (b->items >= BLESHARK_NANO_MAX_BATCH_ITEMS ||
                       b->bytes + item + 1 > BLESHARK_PROTOCOL_BATCH_TARGET_BYTES))
    return false;
  b->bytes += item + 1;
  b->items++;
  return true;
}

/* Appends one record as an item of an array (a comma before all but the first); false when it does not
 * fit the frame's budget (nothing written). */
static bool record_item(bsk_json_t *w, budget_t *b, const bsk_core_t *c, const bsk_device_t *d) {
  size_t mark = w->len;
  if (b->items) bsk_json_raw(w, ",", 1);
  size_t at = w->len;
  unsigned flags = c->cfg.caps_off & BSK_CAP_RAW ? BSK_RECORD_NO_RAW : 0u;
  if (!bsk_json_record(w, d, BSK_RECORD_MAX_BYTES, flags) || !fits(b, w->len - at)) {
    w->len = mark;
    w->truncated = false;
    return false;
  }
  return true;
}

static size_t digits(uint32_t v) {
  size_t n = 1;
  while (v >= 10u) {
    v /= 10u;
    n++;
  }
  return n;
}

/* The slots of busy group g (see bsk_client_t.busy): [g * BSK_GROUP, group_end(g)). */
static unsigned group_end(unsigned g) {
  unsigned e = (g + 1u) * BSK_GROUP;
  return e < BLESHARK_NANO_MAX_DEVICES ? e : BLESHARK_NANO_MAX_DEVICES;
}

/* The snapshot under way, or a due one started (marking the matching devices): writes one part. */
static void snapshot_part(bsk_json_t *w, bsk_core_t *c, bsk_client_t *cl, uint32_t now) {
  const unsigned ci = cl->index;
  /* A snapshot asked for while one is under way starts after its last part: the page assembles parts
   * until `more` is false, so a snapshot must never be abandoned half-sent. */
  if (cl->snap_due == BSK_SNAP_CLEAR && !cl->snap_active) {
    /* Decided at the clear (core.c): empty. The devices heard since wait as pending items (nothing
     * was held, no removal queued) and go out in the batches that follow. */
    cl->snap_due = BSK_SNAP_NONE;
    cl->snap_reason = BSK_SNAP_CLEAR;
    cl->snap_active = true;
    cl->snap_cursor = BLESHARK_NANO_MAX_DEVICES;
    cl->snap_total = 0;
  } else if (cl->snap_due && !cl->snap_active) {
    uint8_t reason = cl->snap_due;
    cl->busy = 0;
    cl->pending = 0;
    cl->rm_head = cl->rm_count = 0;
    cl->batch_more = false;
    cl->snap_due = BSK_SNAP_NONE;
    cl->snap_reason = reason;
    cl->snap_active = true;
    cl->snap_cursor = 0;
    cl->snap_total = 0;
    /* Every device's state is reset here; a free slot's is 0 already for a live client (bsk_core_t). */
    for (bsk_device_t *d = bsk_table_stalest(&c->table); d; d = bsk_table_newer(&c->table, d)) {
      if (!bsk__matches(cl, d)) {
        bsk__set(d, ci, 0, 0);
        continue;
      }
      bsk__set(d, ci, 0, BSK_CL_SNAP);
      bsk__busy(cl, (unsigned)(d - c->table.dev));
      cl->snap_total++;
    }
  }
  open_msg(w, BLESHARK_MSG_SNAPSHOT);
  int_field(w, BLESHARK_FIELD_SEQ, cl->seq + 1u);
  int_field(w, BLESHARK_FIELD_T, now);
  text_field(w, BLESHARK_FIELD_REASON, SNAP_REASONS[cl->snap_reason]);
  int_field(w, BLESHARK_FIELD_TOTAL, cl->snap_total);
  key(w, BLESHARK_FIELD_MORE);
  size_t more_at = w->len;
  BSK_LIT(w, "false");
  key(w, BLESHARK_FIELD_D);
  BSK_LIT(w, "[");
  budget_t b = {BSK_FRAME_ENVELOPE_BYTES, 0};
  bool more = false;
  while (cl->snap_cursor < BLESHARK_NANO_MAX_DEVICES) {
    uint16_t s = cl->snap_cursor;
    if (!(cl->busy >> (s / BSK_GROUP) & 1u)) { /* no marked device in this group */
      cl->snap_cursor = (uint16_t)group_end(s / BSK_GROUP);
      continue;
    }
    bsk_device_t *d = &c->table.dev[s];
    if (bsk__st(d, ci) == 0 && bsk__num(d, ci) == BSK_CL_SNAP) {
      if (!record_item(w, &b, c, d)) {
        more = true;
        break;
      }
      /* Sent as it is now; if it no longer matches, the next batch removes it. */
      if (bsk__matches(cl, d)) bsk__set(d, ci, BSK_ST_HELD, 0);
      else {
        bsk__set(d, ci, BSK_ST_HELD | BSK_ST_PENDING, 0);
        bsk__busy(cl, s);
        cl->pending++;
      }
    }
    cl->snap_cursor++;
  }
  BSK_LIT(w, "]}");
  if (more && !w->truncated) {
    /* "false" -> "true": one byte shorter. */
    memcpy(w->buf + more_at, "true", 4);
    shift_left(w->buf + more_at + 4, w->len - more_at - 5);
    w->len--;
  }
  if (!more) cl->snap_active = false;
  cl->seq++;
  cl->last_data = now;
  cl->has_last_data = true;
}

static void update_item(bsk_json_t *w, uint32_t id, int rssi, unsigned seen) {
  BSK_LIT(w, "[");
  bsk_json_int(w, id);
  BSK_LIT(w, ",");
  bsk_json_int(w, rssi);
  if (seen > 1) {
    BSK_LIT(w, ",");
    bsk_json_int(w, seen);
  }
  BSK_LIT(w, "]");
}

/*
 * One batch: removals are chosen first (the queue, then held devices that no longer match), then new
 * and changed records, then RSSI-only updates, each while the frame's budget lasts; written in the
 * simulator's key order d, u, x. Only the busy groups' slots are looked at. Returns false when there
 * was nothing to send.
 */
static bool batch(bsk_json_t *w, bsk_core_t *c, bsk_client_t *cl, uint32_t now) {
  const unsigned ci = cl->index;
  bsk_device_t *dev = c->table.dev;
  budget_t b = {BSK_FRAME_ENVELOPE_BYTES, 0};
  bool full = false;
  uint16_t nq = 0;
  for (; nq < cl->rm_count; nq++) {
    if (!fits(&b, digits(cl->rm[(cl->rm_head + nq) % BSK_REMOVAL_QUEUE]))) {
      full = true;
      break;
    }
  }
  size_t nx = nq;
  /* Held devices that stopped matching (only a filter makes any): chosen as removals, out of pending. */
  for (unsigned g = 0; g < 32u && cl->any_filter && cl->pending && !full; g++) {
    if (!(cl->busy >> g & 1u)) continue;
    for (unsigned s = g * BSK_GROUP, e = group_end(g); s < e; s++) {
      bsk_device_t *d = &dev[s];
      if (bsk__st(d, ci) != (BSK_ST_HELD | BSK_ST_PENDING) || bsk_filter_match(&cl->filter, d)) continue;
      if (!fits(&b, digits(d->id))) {
        full = true;
        break;
      }
      bsk__set(d, ci, 0, BSK_CL_XSEL);
      cl->pending--;
      nx++;
    }
  }
  open_msg(w, BLESHARK_MSG_BATCH);
  int_field(w, BLESHARK_FIELD_SEQ, cl->seq + 1u);
  int_field(w, BLESHARK_FIELD_T, now);
  unsigned rf = c->cfg.caps_off & BSK_CAP_RAW ? BSK_RECORD_NO_RAW : 0u;
  for (int pass = 0; pass < 2; pass++) {
    size_t mark = w->len, in_array = 0;
    if (pass) key(w, BLESHARK_FIELD_U);
    else key(w, BLESHARK_FIELD_D);
    BSK_LIT(w, "[");
    for (unsigned g = 0; g < 32u && cl->pending && !full; g++) {
      if (!(cl->busy >> g & 1u)) continue;
      for (unsigned s = g * BSK_GROUP, e = group_end(g); s < e && cl->pending; s++) {
        bsk_device_t *d = &dev[s];
        unsigned st = bsk__st(d, ci);
        if (!(st & BSK_ST_PENDING)) continue;
        if (!bsk__matches(cl, d)) {
          if (st == BSK_ST_PENDING) { /* never sent and does not match: nothing to tell */
            bsk__set(d, ci, 0, 0);
            cl->pending--;
          }
          continue; /* held: a removal that did not fit this frame */
        }
        unsigned n = bsk__num(d, ci);
        bool update = st == (BSK_ST_HELD | BSK_ST_PENDING) && n != BSK_CL_RECORD;
        if (update != (pass == 1)) continue;
        size_t at = w->len;
        if (in_array) BSK_LIT(w, ",");
        size_t item = w->len;
        bool ok = pass == 0 ? bsk_json_record(w, d, BSK_RECORD_MAX_BYTES, rf)
                            : (update_item(w, d->id, d->rssi, n), !w->truncated);
        if (!ok || !fits(&b, w->len - item)) {
          w->len = at;
          w->truncated = false;
          full = true;
          break;
        }
        in_array++;
        bsk__set(d, ci, BSK_ST_HELD, 0);
        cl->pending--;
      }
    }
    if (in_array) BSK_LIT(w, "]");
    else w->len = mark; /* an empty array is left out */
  }
  if (nx) {
    key(w, BLESHARK_FIELD_X);
    BSK_LIT(w, "[");
    for (uint16_t k = 0; k < nq; k++) {
      if (k) BSK_LIT(w, ",");
      bsk_json_int(w, cl->rm[cl->rm_head]);
      cl->rm_head = (uint16_t)((cl->rm_head + 1u) % BSK_REMOVAL_QUEUE);
      cl->rm_count--;
    }
    size_t k = nq;
    for (unsigned g = 0; g < 32u && k < nx; g++) {
      if (!(cl->busy >> g & 1u)) continue;
      for (unsigned s = g * BSK_GROUP, e = group_end(g); s < e && k < nx; s++) {
        bsk_device_t *d = &dev[s];
        if (bsk__st(d, ci) != 0 || bsk__num(d, ci) != BSK_CL_XSEL) continue;
        if (k++) BSK_LIT(w, ",");
        bsk_json_int(w, d->id);
        bsk__set(d, ci, 0, 0);
      }
    }
    BSK_LIT(w, "]");
  }
  BSK_LIT(w, "}");
  cl->batch_more = full;
  if (!cl->pending) cl->busy = 0; /* nothing pending anywhere: no group is busy */
  if (b.items == 0) return false;
  cl->seq++;
  cl->last_data = now;
  cl->has_last_data = true;
  return true;
}

/* Not inlined (GCC): the reply's bytes (up to 96) stay off the stack of bsk__frame's deeper paths (a
 * status with a filter check, a batch's records), so they do not add to the core's worst stack. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void next_reply(bsk_json_t *w, bsk_client_t *cl) {
  bsk_reply_t r;
  uint8_t bytes[BSK_ID_MAX_BYTES > BSK_REPLY_COMPLETE_BYTES ? BSK_ID_MAX_BYTES : BSK_REPLY_COMPLETE_BYTES];
  bsk__pop_reply(cl, &r, bytes);
  reply(w, &r, bytes);
}

size_t bsk__frame(bsk_core_t *c, bsk_client_t *cl, uint32_t now, bsk_json_t *w) {
  if (cl->hello_due) {
    hello(w, c, cl, now);
    cl->hello_due = false;
  } else if (cl->status_due) {
    status(w, c, cl, now);
    cl->status_due = false;
    cl->status_at = now;
  } else if (cl->q_count) {
    next_reply(w, cl);
  } else if (cl->snap_due || cl->snap_active) {
    snapshot_part(w, c, cl, now);
  } else if (now - cl->status_at >= BLESHARK_NANO_STATUS_INTERVAL_MS) {
    status(w, c, cl, now);
    cl->status_at = now;
  } else if ((cl->pending || cl->rm_count) &&
             (cl->batch_more || !cl->has_last_data || now - cl->last_data >= BLESHARK_NANO_BATCH_INTERVAL_MS)) {
    if (!batch(w, c, cl, now)) return 0;
  } else {
    return 0;
  }
  /* Every frame fits BLESHARK_NANO_MAX_FRAME_BYTES by construction; a truncated one would be a bug. */
  return w->truncated ? 0 : w->len;
}
