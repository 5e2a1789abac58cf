/*
 * core.c: the scan state, the clients and their commands (client-session.ts, command-intake.ts,
 * token-bucket.ts and the scan engine's start / stop / duration / counters), and what each advert
 * marks for each client (batcher.ts's sighting / removed / cleared). The frames are written in frames.c.
 */
#include <string.h>

#include "core-internal.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- small helpers ---- */

static bsk_client_t *client_at(bsk_core_t *c, int slot) {
  if (slot < 0 || slot >= BSK_MAX_CLIENTS) return NULL;
  bsk_client_t *cl = &c->client[slot];
  return cl->open ? cl : NULL;
}

/* A client that still takes frames (open, not closed by the core). */
static bool live(const bsk_client_t *cl) { return cl->open && !cl->closing && cl->close_code == 0; }

static void close_client(bsk_client_t *cl, uint16_t code, const char *reason) {
  if (cl->close_code == 0 && !cl->closing) {
    cl->close_code = code;
    cl->close_reason = reason;
  }
}

static void request_snapshot(bsk_client_t *cl, uint8_t reason) { cl->snap_due = reason; }

void bsk__remove(bsk_client_t *cl, uint32_t id) {
  if (cl->snap_due) return; /* the snapshot to come rebuilds the page's table anyway */
  if (cl->rm_count >= BSK_REMOVAL_QUEUE) {
    request_snapshot(cl, BSK_SNAP_REQUEST);
    return;
  }
  cl->rm[(cl->rm_head + cl->rm_count) % BSK_REMOVAL_QUEUE] = id;
  cl->rm_count++;
}

/*
 * A reply at the queue's tail whose variable part (an id, or a scan-complete's numbers) is bytes[0..n),
 * copied into the pool; NULL when the queue or the pool is full (and the client closes: it is not
 * reading). The pool is a ring: the bytes may wrap around its end (bsk__pop_reply joins them).
 */
static bsk_reply_t *push_reply(bsk_client_t *cl, uint8_t kind, const void *bytes, size_t n) {
  if (!live(cl)) return NULL;
  if (cl->q_count >= BSK_REPLY_QUEUE || n > (size_t)(BSK_REPLY_POOL - cl->pool_used)) {
    close_client(cl, BLESHARK_CLOSE_TRY_LATER, "not reading: reconnect and resync");
    return NULL;
  }
  bsk_reply_t *r = &cl->q[(cl->q_head + cl->q_count) % BSK_REPLY_QUEUE];
  cl->q_count++;
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->len = (uint8_t)n;
  size_t at = ((size_t)cl->pool_head + cl->pool_used) % BSK_REPLY_POOL, first = BSK_REPLY_POOL - at;
  if (first > n) first = n;
  if (first) memcpy(cl->pool + at, bytes, first);
  if (n > first) memcpy(cl->pool, (const uint8_t *)bytes + first, n - first);
  cl->pool_used = (uint16_t)(cl->pool_used + n);
  return r;
}

void bsk__pop_reply(bsk_client_t *cl, bsk_reply_t *r, uint8_t *bytes) {
  *r = cl->q[cl->q_head];
  cl->q_head = (uint8_t)((cl->q_head + 1u) % BSK_REPLY_QUEUE);
  cl->q_count--;
  size_t n = r->len, first = BSK_REPLY_POOL - (size_t)cl->pool_head;
  if (first > n) first = n;
  if (first) memcpy(bytes, cl->pool + cl->pool_head, first);
  if (n > first) memcpy(bytes + first, cl->pool, n - first);
  cl->pool_head = (uint16_t)((cl->pool_head + n) % BSK_REPLY_POOL);
  cl->pool_used = (uint16_t)(cl->pool_used - n);
  if (!cl->q_count) cl->pool_head = cl->pool_used = 0;
}

static bsk_reply_t *push_with_id(bsk_client_t *cl, uint8_t kind, const bsk_cmd_t *cmd) {
  bool id = cmd && cmd->has_id;
  bsk_reply_t *r = push_reply(cl, kind, id ? cmd->id : NULL, id ? cmd->id_len : 0u);
  if (r) r->has_id = id;
  return r;
}

static void ack(bsk_client_t *cl, const bsk_cmd_t *cmd) {
  if (!cmd->has_id) return;
  bsk_reply_t *r = push_with_id(cl, BSK_Q_ACK, cmd);
  if (r) r->sub = (uint8_t)cmd->type;
}

static bsk_reply_t *error(bsk_client_t *cl, const char *code, const char *msg, const bsk_cmd_t *cmd) {
  bsk_reply_t *r = push_with_id(cl, BSK_Q_ERROR, cmd);
  if (!r) return NULL;
  r->code = code;
  r->msg = msg;
  return r;
}

/*
 * Forgets everything the client holds or waits for (the table was emptied; a snapshot follows). A
 * snapshot under way loses its marks and ends with its next part (d: [], more: false).
 */
void bsk__forget_all(bsk_table_t *t, unsigned c) {
  for (unsigned s = 0; s < BLESHARK_NANO_MAX_DEVICES; s++) bsk__set(&t->dev[s], c, 0, 0);
}

static void forget(bsk_core_t *c, bsk_client_t *cl) {
  bsk__forget_all(&c->table, cl->index);
  cl->busy = 0;
  cl->pending = 0;
  cl->rm_head = cl->rm_count = 0;
  cl->batch_more = false;
}

static void status_to_all(bsk_core_t *c) {
  for (int i = 0; i < BSK_MAX_CLIENTS; i++) c->client[i].status_due = true;
}

/* ---- the scan ---- */

static void complete(bsk_core_t *c, const char *reason, const char *message, uint32_t now) {
  c->scanning = false;
  status_to_all(c);
  for (int i = 0; i < BSK_MAX_CLIENTS; i++) {
    bsk_client_t *cl = &c->client[i];
    if (!live(cl)) continue;
    uint8_t nums[BSK_REPLY_COMPLETE_BYTES];
    bsk__put_u32(nums, now);
    bsk__put_u32(nums + 4, c->scan_adverts);
    bsk__put_u32(nums + 8, c->scan_devices);
    bsk__put_u32(nums + 12, now - c->since);
    bsk_reply_t *r = push_reply(cl, BSK_Q_COMPLETE, nums, sizeof nums);
    if (!r) continue;
    r->code = reason;
    r->msg = message;
  }
}

/* The engine's start(): merge, refuse nothing (checked before), apply unless already scanning alike. */
static const char *start_scan(bsk_core_t *c, const bsk_cmd_t *cmd, uint32_t now) {
  bsk_scan_params_t next = c->scan;
  if (cmd) {
    if (cmd->has_mode) next.passive = cmd->passive;
    if (cmd->has_interval) next.interval = cmd->interval;
    if (cmd->has_window) next.window = cmd->window;
    if (cmd->has_duration) next.duration = cmd->duration;
    if (cmd->has_duplicates) next.duplicates = cmd->duplicates;
  }
  if (next.window > next.interval) next.window = next.interval;
  bool same = next.passive == c->scan.passive && next.interval == c->scan.interval &&
              next.window == c->scan.window && next.duration == c->scan.duration &&
              next.duplicates == c->scan.duplicates;
  if (c->scanning && same) return NULL;
  if (c->cfg.scan_start) {
    const char *problem = c->cfg.scan_start(c->cfg.ctx, &next);
    if (problem) return problem;
  }
  bool fresh = !c->scanning;
  for (bsk_device_t *d = bsk_table_stalest(&c->table); d; d = bsk_table_newer(&c->table, d)) {
    d->flags = (uint8_t)(d->flags & ~(BSK_DEV_SENT_ADV | BSK_DEV_SENT_RSP | (fresh ? BSK_DEV_IN_SCAN : 0u)));
  }
  if (fresh) {
    c->since = now;
    c->scan_adverts = 0;
    c->scan_devices = 0;
  }
  c->scan = next;
  c->scanning = true;
  status_to_all(c);
  return NULL;
}

static void stop_scan(bsk_core_t *c, const char *reason, uint32_t now) {
  if (!c->scanning) return;
  if (c->cfg.scan_stop) c->cfg.scan_stop(c->cfg.ctx);
  complete(c, reason, NULL, now);
}

void bsk_core_init(bsk_core_t *c, const bsk_core_config_t *config, uint32_t now_ms) {
  memset(c, 0, sizeof *c);
  c->cfg = *config;
  bsk_table_init(&c->table, config->max_devices, config->hash_seed);
  c->scan.passive = false;
  c->scan.interval = BSK_DEFAULT_INTERVAL_MS;
  c->scan.window = BSK_DEFAULT_WINDOW_MS;
  c->scan.duration = 0;
  c->scan.duplicates = true;
  c->next_client = 1;
  c->rate_at = now_ms;
  if (config->scan_on_init) (void)start_scan(c, NULL, now_ms);
}

void bsk_core_drops(bsk_core_t *c, uint32_t n) { c->drops = n > UINT32_MAX - c->drops ? UINT32_MAX : c->drops + n; }

void bsk_core_scan_failed(bsk_core_t *c, const char *message, uint32_t now_ms) {
  if (c->scanning) complete(c, "error", message, now_ms);
}

void bsk_core_scan_ended(bsk_core_t *c, uint32_t now_ms) {
  if (c->scanning) complete(c, "stopped", NULL, now_ms);
}

void bsk_core_tick(bsk_core_t *c, uint32_t now_ms) {
  if (c->scanning && c->scan.duration && now_ms - c->since >= c->scan.duration * 1000u)
    stop_scan(c, "duration", now_ms);
  uint32_t dt = now_ms - c->rate_at;
  if (dt >= BSK_RATE_INTERVAL_MS) {
    uint64_t n = (uint64_t)(c->adverts - c->rate_adverts) * 10000u;
    c->rate_tenths = (uint32_t)((n + dt / 2u) / dt);
    c->rate_adverts = c->adverts;
    c->rate_at = now_ms;
  }
}

/* ---- adverts ---- */

/*
 * batcher.ts sighting(): at most one pending item per device; a device new to the client must match.
 * A held device's update counts the advertisements behind it up to 14; a change beyond rssi / last /
 * count, or a 15th advertisement, makes it the whole record (BSK_CL_RECORD), whose count is absolute.
 */
static void sighting(bsk_client_t *cl, uint16_t s, bsk_device_t *d, bsk_seen_t seen, bool rsp) {
  unsigned c = cl->index, st = bsk__st(d, c), n = bsk__num(d, c);
  bool changed = seen == BSK_SEEN_CHANGED;
  if (st == 0 && n == BSK_CL_SNAP) return; /* its snapshot part carries the newest record */
  if (st & BSK_ST_PENDING) {
    if (st == (BSK_ST_HELD | BSK_ST_PENDING) && n != BSK_CL_RECORD)
      bsk__set(d, c, st, changed ? BSK_CL_RECORD : rsp ? n : n + 1u);
    cl->coalesced++;
  } else if (st == BSK_ST_HELD) {
    bsk__set(d, c, BSK_ST_HELD | BSK_ST_PENDING, changed ? BSK_CL_RECORD : rsp ? 0u : 1u);
    bsk__busy(cl, s);
    cl->pending++;
  } else if (bsk__matches(cl, d)) {
    bsk__set(d, c, BSK_ST_PENDING, 0);
    bsk__busy(cl, s);
    cl->pending++;
  }
}

void bsk_core_advert(bsk_core_t *c, const bsk_advert_t *a, uint32_t now_ms) {
  if (!c->scanning) {
    c->drops++;
    return;
  }
  if (a->len > BSK_AD_MAX || a->addr_type > 1) {
    /* Refused (extended advertising, an unknown address type), counted here before the duplicate
     * filter below could pass over it: every refused report is a drop (status.drops). */
    c->table.refused++;
    c->drops++;
    return;
  }
  uint8_t sent = a->scan_rsp ? BSK_DEV_SENT_RSP : BSK_DEV_SENT_ADV;
  if (!c->scan.duplicates) {
    const bsk_device_t *known = bsk_table_find(&c->table, a->addr, a->addr_type);
    if (known && (known->flags & sent)) return;
  }
  bsk_device_t *d;
  uint32_t evicted;
  bsk_seen_t seen = bsk_table_seen(&c->table, a, now_ms, &d, &evicted);
  if (seen == BSK_SEEN_REFUSED) {
    c->drops++;
    return;
  }
  if (!c->scan.duplicates) d->flags |= sent;
  if (!a->scan_rsp) {
    c->adverts++;
    c->scan_adverts++;
  }
  if (!(d->flags & BSK_DEV_IN_SCAN)) {
    d->flags |= BSK_DEV_IN_SCAN;
    c->scan_devices++;
  }
  uint16_t s = (uint16_t)(d - c->table.dev);
  for (int i = 0; i < BSK_MAX_CLIENTS; i++) {
    bsk_client_t *cl = &c->client[i];
    if (!live(cl)) continue;
    if (seen == BSK_SEEN_NEW) {
      /* A new device takes the slot of the one it evicted (or a free slot, whose state is 0): the
       * table left that device's client state in d->cl to settle here. */
      unsigned st = bsk__st(d, cl->index);
      if (evicted && (st & BSK_ST_HELD)) bsk__remove(cl, evicted);
      if (st & BSK_ST_PENDING) cl->pending--;
      bsk__set(d, cl->index, 0, 0);
    }
    sighting(cl, s, d, seen, a->scan_rsp);
  }
}

/* ---- clients ---- */

int bsk_core_client_open(bsk_core_t *c, uint32_t now_ms) {
  for (int i = 0; i < BSK_MAX_CLIENTS; i++) {
    bsk_client_t *cl = &c->client[i];
    if (cl->open) continue;
    memset(cl, 0, sizeof *cl);
    cl->index = (uint8_t)i;
    bsk__forget_all(&c->table, (unsigned)i);
    cl->open = true;
    cl->number = c->next_client++;
    cl->hello_due = true;
    cl->snap_due = BSK_SNAP_CONNECT;
    cl->status_at = now_ms;
    cl->tokens = BLESHARK_NANO_COMMAND_BURST * 1000u;
    cl->bucket_at = now_ms;
    c->clients++;
    return i;
  }
  return -1;
}

void bsk_core_client_close(bsk_core_t *c, int slot) {
  bsk_client_t *cl = client_at(c, slot);
  if (!cl) return;
  cl->open = false;
  c->clients--;
}

void bsk_core_client_binary(bsk_core_t *c, int slot, uint32_t now_ms) {
  (void)now_ms;
  bsk_client_t *cl = client_at(c, slot);
  if (cl) close_client(cl, BLESHARK_CLOSE_UNSUPPORTED_DATA, "binary frames are not accepted");
}

/* token-bucket.ts take(), in thousandths of a command. */
static bool take_token(bsk_client_t *cl, uint32_t now) {
  uint64_t t = (uint64_t)cl->tokens + (uint64_t)(now - cl->bucket_at) * BLESHARK_NANO_COMMANDS_PER_SECOND;
  cl->tokens = t > BLESHARK_NANO_COMMAND_BURST * 1000u ? BLESHARK_NANO_COMMAND_BURST * 1000u : (uint32_t)t;
  cl->bucket_at = now;
  if (cl->tokens < 1000u) return false;
  cl->tokens -= 1000u;
  return true;
}

/* missingCap: the ability a valid command needs that this firmware lacks, as its message. */
static const char *missing_cap(const bsk_core_t *c, const bsk_cmd_t *cmd) {
  uint8_t off = c->cfg.caps_off;
  if (cmd->type == BSK_CMD_FILTER && (off & BSK_CAP_FILTER))
    return "this device cannot do the filter command (no \"filter\" in hello.caps)";
  if (cmd->type == BSK_CMD_CLEAR && (off & BSK_CAP_CLEAR))
    return "this device cannot do the clear command (no \"clear\" in hello.caps)";
  if (cmd->type != BSK_CMD_SCAN_START) return NULL;
  if (cmd->has_mode && cmd->passive && (off & BSK_CAP_PASSIVE))
    return "this device cannot do scan-start with mode \"passive\" (no \"passive\" in hello.caps)";
  if (cmd->has_duration && cmd->duration && (off & BSK_CAP_DURATION))
    return "this device cannot do scan-start with a duration over 0 (a scan that ends by itself) (no "
           "\"duration\" in hello.caps)";
  if (cmd->has_duplicates && (off & BSK_CAP_DUPLICATES))
    return "this device cannot do scan-start with `duplicates` (choosing whether every advertisement is "
           "reported) (no \"duplicates\" in hello.caps)";
  return NULL;
}

static void run_command(bsk_core_t *c, bsk_client_t *cl, const bsk_cmd_t *cmd, uint32_t now) {
  switch (cmd->type) {
  case BSK_CMD_SCAN_START: {
    /* scanTimingProblem: checked against the scan in effect; nothing is clamped behind the client's back. */
    if (cmd->has_window && !cmd->has_interval && cmd->window > c->scan.interval) {
      bsk_reply_t *r = error(cl, BLESHARK_ERR_INVALID_FIELD, NULL, cmd);
      if (r) {
        r->sub = BSK_T_WINDOW_OVER;
        r->a = cmd->window;
        r->b = c->scan.interval;
      }
      return;
    }
    if (cmd->has_interval && !cmd->has_window && cmd->interval < c->scan.window) {
      bsk_reply_t *r = error(cl, BLESHARK_ERR_INVALID_FIELD, NULL, cmd);
      if (r) {
        r->sub = BSK_T_INTERVAL_UNDER;
        r->a = cmd->interval;
        r->b = c->scan.window;
      }
      return;
    }
    const char *problem = start_scan(c, cmd, now);
    if (problem) error(cl, BLESHARK_ERR_SCAN_FAILED, problem, cmd);
    else ack(cl, cmd);
    return;
  }
  case BSK_CMD_SCAN_STOP:
    stop_scan(c, "stopped", now);
    ack(cl, cmd);
    return;
  case BSK_CMD_FILTER: {
    const bsk_filter_t *f = &cmd->filter;
    cl->filter = *f;
    cl->any_filter = f->has_text || f->has_min_rssi || f->has_company || f->has_service ||
                     f->has_connectable || f->has_named || f->has_exclude;
    ack(cl, cmd);
    request_snapshot(cl, BSK_SNAP_FILTER);
    return;
  }
  case BSK_CMD_SNAPSHOT_REQUEST:
    ack(cl, cmd);
    request_snapshot(cl, BSK_SNAP_REQUEST);
    return;
  case BSK_CMD_CLEAR:
    ack(cl, cmd);
    bsk_table_clear(&c->table);
    for (int i = 0; i < BSK_MAX_CLIENTS; i++) {
      bsk_client_t *o = &c->client[i];
      if (!live(o)) continue;
      forget(c, o);
      /* The snapshot {clear} is empty, decided now: devices heard from here on wait as pending items
       * and go out in batches after it (frames.c). A client still waiting for its first snapshot gets
       * it as it is, of the devices heard since. */
      if (o->snap_due != BSK_SNAP_CONNECT) request_snapshot(o, BSK_SNAP_CLEAR);
    }
    return;
  }
}

void bsk_core_client_text(bsk_core_t *c, int slot, const uint8_t *data, size_t len, uint32_t now_ms) {
  bsk_client_t *cl = client_at(c, slot);
  if (!cl || !live(cl)) return;
  bsk_cmd_t cmd;
  bsk_cmd_error_t err;
  memset(&err, 0, sizeof err);
  bool ok = bsk_parse_command(data, len, &cmd, &err);
  if (!ok && err.close) {
    close_client(cl, (uint16_t)err.close,
                 err.close == BLESHARK_CLOSE_TOO_BIG ? "message too big" : "invalid UTF-8");
    return;
  }
  if (!take_token(cl, now_ms)) {
    if (++cl->strikes > BLESHARK_PROTOCOL_RATE_STRIKES) {
      close_client(cl, BLESHARK_CLOSE_POLICY, "command flood");
      return;
    }
    error(cl, BLESHARK_ERR_RATE_LIMITED,
          "over " STR(BLESHARK_NANO_COMMANDS_PER_SECOND) " commands/s; the command was dropped", &cmd);
    return;
  }
  cl->strikes = 0;
  if (!ok) {
    error(cl, err.code, err.message && err.message[0] ? err.message : err.code, &cmd);
    return;
  }
  const char *cap = missing_cap(c, &cmd);
  if (cap) {
    error(cl, BLESHARK_ERR_UNSUPPORTED, cap, &cmd);
    return;
  }
  run_command(c, cl, &cmd, now_ms);
}

/* ---- frames out ---- */

size_t bsk_core_next_frame(bsk_core_t *c, int slot, uint32_t now_ms, char *buf, size_t cap,
                           bsk_frame_out_t *out) {
  bsk_client_t *cl = client_at(c, slot);
  out->close = 0;
  out->reason = NULL;
  if (!cl || cl->closing) return 0;
  if (cl->in_flight && now_ms - cl->sent_at >= BLESHARK_PROTOCOL_STUCK_CLIENT_MS)
    close_client(cl, BLESHARK_CLOSE_TRY_LATER, "not reading: reconnect and resync");
  if (cl->close_code) {
    out->close = cl->close_code;
    out->reason = cl->close_reason;
    cl->closing = true;
    return 0;
  }
  if (cl->in_flight || cap < BLESHARK_NANO_MAX_FRAME_BYTES) return 0;
  bsk_json_t w;
  bsk_json_init(&w, buf, BLESHARK_NANO_MAX_FRAME_BYTES);
  size_t n = bsk__frame(c, cl, now_ms, &w);
  if (n) {
    cl->in_flight = true;
    cl->sent_at = now_ms;
  }
  return n;
}

void bsk_core_sent(bsk_core_t *c, int slot) {
  bsk_client_t *cl = client_at(c, slot);
  if (cl) cl->in_flight = false;
}

static uint32_t until(uint32_t now, uint32_t at, uint32_t ms) {
  uint32_t gone = now - at;
  return gone >= ms ? 0 : ms - gone;
}

uint32_t bsk_core_wait_ms(const bsk_core_t *c, uint32_t now_ms) {
  uint32_t wait = until(now_ms, c->rate_at, BSK_RATE_INTERVAL_MS);
  if (c->scanning && c->scan.duration) {
    uint32_t d = until(now_ms, c->since, c->scan.duration * 1000u);
    if (d < wait) wait = d;
  }
  for (int i = 0; i < BSK_MAX_CLIENTS && wait; i++) {
    const bsk_client_t *cl = &c->client[i];
    if (!cl->open || cl->closing) continue;
    uint32_t w;
    if (cl->close_code) w = 0;
    else if (cl->in_flight) w = until(now_ms, cl->sent_at, BLESHARK_PROTOCOL_STUCK_CLIENT_MS);
    else if (cl->hello_due || cl->status_due || cl->q_count || cl->snap_due || cl->snap_active) w = 0;
    else {
      w = until(now_ms, cl->status_at, BLESHARK_NANO_STATUS_INTERVAL_MS);
      if (cl->pending || cl->rm_count) {
        uint32_t b = cl->batch_more || !cl->has_last_data
                         ? 0
                         : until(now_ms, cl->last_data, BLESHARK_NANO_BATCH_INTERVAL_MS);
        if (b < w) w = b;
      }
    }
    if (w < wait) wait = w;
  }
  return wait;
}
