/*
 * bleshark_idf.c: the ESP-IDF glue (see bleshark_idf.h). Thin on purpose: every protocol decision is the
 * core's; this file moves bytes between esp_http_server, NimBLE and the core, and does the checks that
 * belong to the HTTP layer (Host, Origin, token, RFC 6455 control frames, fragments).
 *
 * Which SDK facility does what, and why:
 * - Origin / Host / token are checked in ws_pre_handshake_cb (CONFIG_HTTPD_WS_PRE_HANDSHAKE_CB_SUPPORT,
 *   ESP-IDF v5.4.3, v5.5.2, v6.0 and later): a refusal is an HTTP 403 (429 while wrong tokens are being
 *   throttled) before any 101. Older SDKs have no hook before the upgrade: there the same checks run
 *   when the handler is first called, after the 101, and a refusal is a close frame 1008.
 * - A new client is opened in ws_post_handshake_cb (CONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT) where the
 *   SDK has it (v5.5.5, v6.0.1 and later, which no longer call the handler for the handshake GET);
 *   older SDKs call the handler with method HTTP_GET right after the 101, and that call opens it.
 * - handle_ws_control_frames = true: the SDK would answer CLOSE with an empty close (the checker wants
 *   the code echoed, and 1002 for bad codes) and never checks control-frame sizes or fragmentation.
 * - The send loop is the one bleshark_core.h describes: bsk_core_next_frame for every open client (its
 *   close may come while a frame is in flight: a stuck client; here a send never stays in flight across
 *   calls, since it blocks, so that close comes from the timer's pump like any other), and a client's due
 *   frames go out right after its text frame was handled, so its replies never pile up between pumps.
 * - Sending: the pump runs inside the httpd task (httpd_queue_work from the timer), so it sends with
 *   httpd_ws_send_frame_async, which in that task is a plain blocking send; when it returns, the frame
 *   was handed to TCP and bsk_core_sent runs at once ("httpd_queue_work + a sent flag"). The SDK also
 *   offers httpd_ws_send_data_async with a completion callback, but that is the same send queued as one
 *   more work item, with a calloc per frame and a payload that must outlive the call (a 4 KB buffer per
 *   client instead of one shared buffer); it buys nothing here.
 * - The UTF-8 of text messages is checked by the core (the SDK checks it only with
 *   CONFIG_HTTPD_WS_STRICTER_RFC6455, recent SDKs only). RSV bits, non-minimal lengths and a 64-bit
 *   length with its top bit set are invisible to a handler: only CONFIG_HTTPD_WS_STRICTER_RFC6455
 *   refuses them (turn it on where the SDK has it).
 */
#include "bleshark_idf.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bleshark_core.h"
#include "bleshark_protocol.h"
#include "bleshark_web_ui.h"
#include "bsk_idf_guard.h"
#include "bsk_idf_ring.h"
#include "esp_err.h"
#include "esp_http_server.h"
#include "esp_idf_version.h"
#include "esp_random.h"
#include "esp_timer.h"
#include "host/ble_hs.h"
#include "sdkconfig.h"

#if !CONFIG_HTTPD_WS_SUPPORT
#error "enable CONFIG_HTTPD_WS_SUPPORT (Component config > HTTP Server > WebSocket server support)"
#endif
#if !CONFIG_BT_NIMBLE_ENABLED
#error "the glue scans with NimBLE: enable CONFIG_BT_NIMBLE_ENABLED"
#endif
#if !CONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT &&                                                      \
    (ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(6, 0, 1) ||                                                 \
     (ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(5, 5, 5) && ESP_IDF_VERSION < ESP_IDF_VERSION_VAL(6, 0, 0)))
#error "this ESP-IDF does not call a WebSocket handler for the handshake: enable CONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT"
#endif
#if CONFIG_BLESHARK_MAX_DEVICES < 1 || CONFIG_BLESHARK_MAX_DEVICES > BLESHARK_NANO_MAX_DEVICES
#error "CONFIG_BLESHARK_MAX_DEVICES must be 1..BLESHARK_NANO_MAX_DEVICES (the core's static table size)"
#endif
#if BLESHARK_NANO_MAX_FRAME_BYTES > 65535
#error "frames are sent with a 16-bit length"
#endif

/* Bytes of a control frame's payload (RFC 6455 5.5). */
#define CONTROL_MAX 125u
/* Longest Host / Origin / If-None-Match value looked at; longer ones are refused or ignored. */
#define HEADER_MAX 128u

/* One live WebSocket. Indexed by the core's client slot. */
typedef struct {
  int fd;         /* -1: free */
  bool closing;   /* a close is under way: nothing more is sent or read */
  bool ping_out;  /* a ping waits for its pong */
  uint8_t frag;   /* 0, or the opcode of the message whose fragments are being joined */
  size_t msg_len; /* bytes of it so far */
  uint32_t ping_at; /* uptime ms of the newest ping */
  uint8_t msg[BLESHARK_NANO_MAX_INBOUND_BYTES];
} bsk_idf_client_t;

static struct {
  bool started;
  httpd_handle_t server;
  bsk_idf_config_t cfg;
  bsk_core_t core;
  bsk_idf_client_t client[BSK_MAX_CLIENTS];
  bsk_idf_ring_t ring;
  bsk_idf_throttle_t throttle;
  esp_timer_handle_t timer;
  atomic_bool pump_queued;             /* timer task sets, httpd task clears */
  atomic_uint_least32_t disc_done_gen; /* host task writes: the scan generation NimBLE ended */
  atomic_int disc_done_reason;         /* host task writes (before the generation): its reason, 0 = ran out */
  uint32_t disc_done_seen;
  uint32_t scan_gen; /* httpd task only: generation of the newest ble_gap_disc */
  bool scanning;
  char epoch[8];
  char frame[BLESHARK_NANO_MAX_FRAME_BYTES];
  char host[HEADER_MAX];  /* scratch: the request's Host */
  char value[HEADER_MAX]; /* scratch: Origin, If-None-Match, the token */
  char query[CONFIG_HTTPD_MAX_URI_LEN + 1];
#if defined(BLESHARK_WEB_UI_CSP_HEAD) && defined(BLESHARK_WEB_UI_CSP_TAIL)
  /* the page's policy with the Host named twice (security_headers) */
  char csp[sizeof BLESHARK_WEB_UI_CSP_HEAD + sizeof BLESHARK_WEB_UI_CSP_TAIL + 2 * HEADER_MAX + 13];
#else
  char csp[1];
#endif
  char retry_after[12];
} g;

static uint32_t now_ms(void) { return (uint32_t)((uint64_t)esp_timer_get_time() / 1000u); }

static int slot_of(const bsk_idf_client_t *c) { return (int)(c - g.client); }

/* ---- HTTP: headers every response carries, refusals ---- */

/* The request header `field` into buf (NUL-terminated); false when absent or longer than buf. */
static bool header(httpd_req_t *req, const char *field, char *buf, size_t cap) {
  return httpd_req_get_hdr_value_str(req, field, buf, cap) == ESP_OK;
}

/*
 * X-Content-Type-Options, Referrer-Policy, X-Frame-Options, and a Content-Security-Policy: for anything
 * but the page (errors, refusals, data files) one that allows nothing; for the page the simulator's own
 * policy, which pack writes into bleshark_web_ui.h with the hashes of the page's inline scripts:
 * BLESHARK_WEB_UI_CSP_HEAD " ws://HOST wss://HOST" BLESHARK_WEB_UI_CSP_TAIL when the request names a
 * Host, else BLESHARK_WEB_UI_CSP. A header from an older pack without them: the page goes out with no
 * policy rather than one that blocks it.
 */
static void security_headers(httpd_req_t *req, bool page, const char *host) {
  const char *csp = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
#if defined(BLESHARK_WEB_UI_CSP_HEAD) && defined(BLESHARK_WEB_UI_CSP_TAIL) && defined(BLESHARK_WEB_UI_CSP)
  if (page) {
    static const char head[] = BLESHARK_WEB_UI_CSP_HEAD;
    static const char tail[] = BLESHARK_WEB_UI_CSP_TAIL;
    size_t n = sizeof head - 1;
    size_t h = host != NULL ? strlen(host) : 0;
    csp = BLESHARK_WEB_UI_CSP;
    if (h > 0 && n + 2 * h + 13 + sizeof tail <= sizeof g.csp) {
      memcpy(g.csp, head, n);
      memcpy(g.csp + n, " ws://", 6);
      memcpy(g.csp + n + 6, host, h);
      memcpy(g.csp + n + 6 + h, " wss://", 7);
      memcpy(g.csp + n + 13 + h, host, h);
      n += 13 + 2 * h;
      memcpy(g.csp + n, tail, sizeof tail);
      csp = g.csp;
    }
  }
#else
  (void)host;
  if (page) csp = NULL;
#endif
  if (csp != NULL) httpd_resp_set_hdr(req, "Content-Security-Policy", csp);
  httpd_resp_set_hdr(req, "X-Content-Type-Options", "nosniff");
  httpd_resp_set_hdr(req, "Referrer-Policy", "no-referrer");
  httpd_resp_set_hdr(req, "X-Frame-Options", "DENY");
}

/* A short plain-text answer with the security headers. */
static esp_err_t plain(httpd_req_t *req, const char *status, const char *body) {
  security_headers(req, false, NULL);
  httpd_resp_set_status(req, status);
  httpd_resp_set_type(req, "text/plain; charset=utf-8");
  httpd_resp_set_hdr(req, "Cache-Control", "no-store");
  return httpd_resp_send(req, body, HTTPD_RESP_USE_STRLEN);
}

/* ---- the page: pack's table, ETag / 304 ---- */

static esp_err_t page_get(httpd_req_t *req) {
  const bleshark_web_asset_t *a;
  bool page;
  if (!header(req, "Host", g.host, sizeof g.host) || !bsk_idf_host_ok(g.host, g.cfg.hosts, g.cfg.port))
    return plain(req, "403 Forbidden", "Host header does not name this device\n");
  a = bleshark_web_find(req->uri);
  if (a == NULL) return plain(req, "404 Not Found", "Not found\n");
  page = strncmp(a->content_type, "text/html", 9) == 0;
  security_headers(req, page, g.host);
  httpd_resp_set_hdr(req, "ETag", a->etag);
  httpd_resp_set_hdr(req, "Cache-Control", BLESHARK_WEB_CACHE_CONTROL);
  httpd_resp_set_hdr(req, "Vary", "Accept-Encoding");
  if (header(req, "If-None-Match", g.value, sizeof g.value) && bsk_idf_etag_match(g.value, a->etag)) {
    httpd_resp_set_status(req, "304 Not Modified");
    return httpd_resp_send(req, NULL, 0);
  }
  httpd_resp_set_type(req, a->content_type);
  httpd_resp_set_hdr(req, "Content-Encoding", BLESHARK_WEB_CONTENT_ENCODING);
  return httpd_resp_send(req, (const char *)a->bytes, (ssize_t)a->length);
}

/* ---- the handshake checks (docs/protocol.md "Security") ---- */

typedef struct {
  const char *status; /* NULL: allowed */
  const char *why;
} refusal_t;

/* The pairing token from ?token= or the bleshark_token cookie into g.value; its length, or SIZE_MAX. */
static size_t given_token(httpd_req_t *req) {
  size_t n = sizeof g.value;
  if (httpd_req_get_url_query_str(req, g.query, sizeof g.query) == ESP_OK &&
      httpd_query_key_value(g.query, "token", g.value, sizeof g.value) == ESP_OK)
    return bsk_idf_url_decode(g.value);
  if (httpd_req_get_cookie_val(req, "bleshark_token", g.value, &n) == ESP_OK) return bsk_idf_url_decode(g.value);
  return SIZE_MAX;
}

static refusal_t check_upgrade(httpd_req_t *req) {
  refusal_t r = {NULL, NULL};
  const char *origin = NULL;
  esp_err_t err;
  if (!header(req, "Host", g.host, sizeof g.host) || !bsk_idf_host_ok(g.host, g.cfg.hosts, g.cfg.port)) {
    r.status = "403 Forbidden";
    r.why = "Host header does not name this device\n";
    return r;
  }
  err = httpd_req_get_hdr_value_str(req, "Origin", g.value, sizeof g.value);
  if (err == ESP_OK) origin = g.value;
  if ((err != ESP_OK && err != ESP_ERR_NOT_FOUND) || !bsk_idf_origin_ok(origin, g.host, g.cfg.origins)) {
    r.status = "403 Forbidden";
    r.why = "Origin is not allowed (same-origin or the configured origins only)\n";
    return r;
  }
  if (g.cfg.token != NULL && g.cfg.token[0] != '\0') {
    uint32_t now = now_ms();
    size_t n = given_token(req);
    uint32_t wait;
    if (n == SIZE_MAX) {
      r.status = "403 Forbidden";
      r.why = "a pairing token is required (?token= or the bleshark_token cookie)\n";
      return r;
    }
    wait = bsk_idf_throttle_wait_ms(&g.throttle, now);
    if (wait > 0) {
      uint32_t s = (wait + 999u) / 1000u;
      size_t i = sizeof g.retry_after - 1;
      g.retry_after[i] = '\0';
      do {
        g.retry_after[--i] = (char)('0' + s % 10u);
        s /= 10u;
      } while (s != 0u && i > 0);
      memmove(g.retry_after, g.retry_after + i, sizeof g.retry_after - i);
      r.status = "429 Too Many Requests";
      r.why = "too many wrong pairing tokens; try again later\n";
      return r;
    }
    if (!bsk_idf_token_equal(g.value, n, g.cfg.token)) {
      (void)bsk_idf_throttle_failed(&g.throttle, now);
      r.status = "403 Forbidden";
      r.why = "the pairing token is wrong\n";
      return r;
    }
    bsk_idf_throttle_succeeded(&g.throttle);
  }
  return r;
}

/* ---- WebSocket frames out ---- */

static esp_err_t send_frame(int fd, httpd_ws_type_t type, const uint8_t *p, size_t n) {
  httpd_ws_frame_t f;
  memset(&f, 0, sizeof f);
  f.final = true;
  f.type = type;
  f.payload = (uint8_t *)(uintptr_t)p; /* the SDK only reads it */
  f.len = n;
  return httpd_ws_send_frame_async(g.server, fd, &f);
}

/* A close frame: the code and at most 123 bytes of reason (the core's reasons are static ASCII). */
static void send_close(int fd, uint16_t code, const char *reason) {
  uint8_t p[CONTROL_MAX];
  size_t n = reason != NULL ? strlen(reason) : 0;
  if (n > CONTROL_MAX - 2u) n = CONTROL_MAX - 2u;
  p[0] = (uint8_t)(code >> 8);
  p[1] = (uint8_t)(code & 0xFFu);
  if (n > 0) memcpy(p + 2, reason, n);
  (void)send_frame(fd, HTTPD_WS_TYPE_CLOSE, p, n + 2);
}

/*
 * Ends a client. Inside its own handler (in_handler) the handler then returns ESP_FAIL and httpd closes
 * the socket at once; from the pump, httpd_sess_trigger_close queues the close. (Never both: a queued close
 * of a socket httpd already closed could hit a new connection that reused the descriptor.)
 */
static void drop_client(bsk_idf_client_t *c, bool in_handler) {
  c->closing = true;
  if (!in_handler) (void)httpd_sess_trigger_close(g.server, c->fd);
}

/* Sends what the core has for one client (a few frames at most per call), and its ping. */
static void pump_client(bsk_idf_client_t *c, uint32_t now, bool in_handler) {
  int slot = slot_of(c);
  unsigned i;
  if (c->fd < 0 || c->closing) return;
  for (i = 0; i < (unsigned)CONFIG_BLESHARK_FRAMES_PER_PUMP; i++) {
    bsk_frame_out_t out = {0, NULL};
    size_t n = bsk_core_next_frame(&g.core, slot, now, g.frame, sizeof g.frame, &out);
    esp_err_t err;
    if (out.close != 0) {
      send_close(c->fd, out.close, out.reason);
      drop_client(c, in_handler);
      return;
    }
    if (n == 0) break;
    err = send_frame(c->fd, HTTPD_WS_TYPE_TEXT, (const uint8_t *)g.frame, n);
    bsk_core_sent(&g.core, slot); /* sent, or lost with the connection */
    if (err != ESP_OK) {         /* a frame cut short leaves the stream unusable */
      drop_client(c, in_handler);
      return;
    }
  }
  if (c->ping_out && now - c->ping_at >= BLESHARK_PROTOCOL_PONG_TIMEOUT_MS) {
    drop_client(c, in_handler); /* no pong: gone without a close frame */
  } else if (!c->ping_out && now - c->ping_at >= BLESHARK_PROTOCOL_PING_INTERVAL_MS) {
    c->ping_out = true;
    c->ping_at = now;
    if (send_frame(c->fd, HTTPD_WS_TYPE_PING, NULL, 0) != ESP_OK) drop_client(c, in_handler);
  }
}

/* The pump: adverts from the ring, drops, a scan NimBLE ended, the core's timers, every client's frames. */
static void pump(void *arg) {
  bsk_idf_adv_t a;
  bsk_advert_t adv;
  uint32_t now;
  uint32_t drops;
  uint32_t done;
  unsigned i;
  (void)arg;
  atomic_store(&g.pump_queued, false);
  for (i = 0; i < BSK_IDF_RING_SLOTS && bsk_idf_ring_pop(&g.ring, &a); i++) {
    bsk_idf_adv_to_core(&a, &adv);
    bsk_core_advert(&g.core, &adv, a.ms);
  }
  drops = bsk_idf_ring_new_drops(&g.ring);
  if (drops != 0) bsk_core_drops(&g.core, drops);
  now = now_ms();
  done = (uint32_t)atomic_load(&g.disc_done_gen);
  if (done != g.disc_done_seen) {
    g.disc_done_seen = done;
    if (g.scanning && done == g.scan_gen) {
      /* Not asked for by the core (scan_stop clears g.scanning first): the controller ran its scan out
       * (reason 0) or gave up (anything else, e.g. preempted). */
      g.scanning = false;
      if (atomic_load(&g.disc_done_reason) == 0) bsk_core_scan_ended(&g.core, now);
      else bsk_core_scan_failed(&g.core, "the Bluetooth controller ended the scan", now);
    }
  }
  bsk_core_tick(&g.core, now);
  for (i = 0; i < BSK_MAX_CLIENTS; i++) pump_client(&g.client[i], now, false);
}

/* esp_timer task: queue one pump at a time (httpd_queue_work fails when httpd's control queue is full). */
static void on_timer(void *arg) {
  (void)arg;
  if (atomic_load(&g.pump_queued)) return;
  atomic_store(&g.pump_queued, true);
  if (httpd_queue_work(g.server, pump, NULL) != ESP_OK) atomic_store(&g.pump_queued, false);
}

/* ---- WebSocket sessions ---- */

/* httpd frees a session's context when the socket closes, in the httpd task: the slot is free again. */
static void session_gone(void *ctx) {
  bsk_idf_client_t *c = ctx;
  if (c == NULL || c->fd < 0) return;
  bsk_core_client_close(&g.core, slot_of(c));
  c->fd = -1;
}

static esp_err_t open_client(httpd_req_t *req) {
  int fd = httpd_req_to_sockfd(req);
  uint32_t now = now_ms();
  int slot;
  bsk_idf_client_t *c;
  if (req->sess_ctx != NULL) return ESP_OK;
  slot = bsk_core_client_open(&g.core, now);
  if (slot < 0 || slot >= (int)BSK_MAX_CLIENTS) {
    send_close(fd, BLESHARK_CLOSE_TRY_LATER, "too many clients");
    return ESP_FAIL; /* httpd closes the socket */
  }
  c = &g.client[slot];
  c->fd = fd;
  c->closing = false;
  c->ping_out = false;
  c->frag = 0;
  c->msg_len = 0;
  c->ping_at = now;
  req->sess_ctx = c;
  req->free_ctx = session_gone;
  pump_client(c, now, true); /* hello and the snapshot go out at once */
  return c->closing ? ESP_FAIL : ESP_OK;
}

#if CONFIG_HTTPD_WS_PRE_HANDSHAKE_CB_SUPPORT
/* Before the 101: a refusal is an HTTP answer, then httpd closes the socket. */
static esp_err_t live_pre_handshake(httpd_req_t *req) {
  refusal_t r = check_upgrade(req);
  if (r.status == NULL) return ESP_OK;
  if (r.status[0] == '4' && r.status[1] == '2' && r.status[2] == '9')
    httpd_resp_set_hdr(req, "Retry-After", g.retry_after);
  (void)plain(req, r.status, r.why);
  return ESP_FAIL;
}
#endif

#if CONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT
static esp_err_t live_post_handshake(httpd_req_t *req) { return open_client(req); }
#endif

/* A GET on the endpoint: a plain GET (no upgrade), or, on SDKs before the post-handshake callback, the
 * call that follows the 101. */
static esp_err_t live_get(httpd_req_t *req) {
  if (httpd_ws_get_fd_info(g.server, httpd_req_to_sockfd(req)) != HTTPD_WS_CLIENT_WEBSOCKET) {
    httpd_resp_set_hdr(req, "Upgrade", "websocket");
    return plain(req, "426 Upgrade Required", "this endpoint speaks WebSocket only\n");
  }
#if !CONFIG_HTTPD_WS_PRE_HANDSHAKE_CB_SUPPORT
  if (check_upgrade(req).status != NULL) {
    send_close(httpd_req_to_sockfd(req), BLESHARK_CLOSE_POLICY, "Host, Origin or pairing token refused");
    return ESP_FAIL;
  }
#endif
  return open_client(req);
}

/* Closes from inside the handler: the close frame, then ESP_FAIL makes httpd close the socket. */
static esp_err_t fail(bsk_idf_client_t *c, uint16_t code, const char *reason) {
  send_close(c->fd, code, reason);
  c->closing = true;
  return ESP_FAIL;
}

static esp_err_t control_frame(httpd_req_t *req, bsk_idf_client_t *c, httpd_ws_frame_t *f) {
  uint8_t p[CONTROL_MAX];
  if (!f->final) return fail(c, BLESHARK_CLOSE_PROTOCOL_ERROR, "fragmented control frame");
  if (f->len > CONTROL_MAX) return fail(c, BLESHARK_CLOSE_PROTOCOL_ERROR, "control frame over 125 bytes");
  if (f->len > 0) {
    f->payload = p;
    if (httpd_ws_recv_frame(req, f, f->len) != ESP_OK) return ESP_FAIL;
  }
  if (f->type == HTTPD_WS_TYPE_PING)
    return send_frame(c->fd, HTTPD_WS_TYPE_PONG, p, f->len) == ESP_OK ? ESP_OK : ESP_FAIL;
  if (f->type == HTTPD_WS_TYPE_PONG) {
    c->ping_out = false;
    return ESP_OK;
  }
  /* CLOSE: echo a valid code (an empty close for none), refuse the rest. */
  if (f->len == 1) return fail(c, BLESHARK_CLOSE_PROTOCOL_ERROR, "close payload of one byte");
  if (f->len >= 2) {
    uint16_t code = (uint16_t)((unsigned)p[0] << 8 | p[1]);
    uint8_t echo[2];
    if (!bsk_idf_close_code_ok(code)) return fail(c, BLESHARK_CLOSE_PROTOCOL_ERROR, "invalid close code");
    if (!bsk_utf8_valid(p + 2, f->len - 2))
      return fail(c, BLESHARK_CLOSE_INVALID_PAYLOAD, "close reason is not UTF-8");
    echo[0] = p[0];
    echo[1] = p[1];
    (void)send_frame(c->fd, HTTPD_WS_TYPE_CLOSE, echo, 2);
  } else {
    (void)send_frame(c->fd, HTTPD_WS_TYPE_CLOSE, NULL, 0);
  }
  c->closing = true;
  return ESP_FAIL;
}

static esp_err_t live_handler(httpd_req_t *req) {
  bsk_idf_client_t *c;
  httpd_ws_frame_t f;
  uint32_t now;
  int slot;
  if (req->method == HTTP_GET) return live_get(req);
  c = req->sess_ctx;
  if (c == NULL || c->fd < 0 || c->closing) return ESP_FAIL;
  slot = slot_of(c);
  memset(&f, 0, sizeof f);
  if (httpd_ws_recv_frame(req, &f, 0) != ESP_OK) return ESP_FAIL; /* unmasked, or the socket failed */
  now = now_ms();
  switch (f.type) {
  case HTTPD_WS_TYPE_PING:
  case HTTPD_WS_TYPE_PONG:
  case HTTPD_WS_TYPE_CLOSE:
    return control_frame(req, c, &f);
  case HTTPD_WS_TYPE_TEXT:
  case HTTPD_WS_TYPE_BINARY:
    if (c->frag != 0) return fail(c, BLESHARK_CLOSE_PROTOCOL_ERROR, "new message inside a fragmented one");
    c->frag = (uint8_t)f.type;
    c->msg_len = 0;
    break;
  case HTTPD_WS_TYPE_CONTINUE:
    if (c->frag == 0) return fail(c, BLESHARK_CLOSE_PROTOCOL_ERROR, "continuation without a start");
    break;
  default:
    return fail(c, BLESHARK_CLOSE_PROTOCOL_ERROR, "reserved opcode");
  }
  if (c->frag == HTTPD_WS_TYPE_BINARY) {
    /* The core closes with 1003; the payload stays unread and httpd closes the socket after the frame. */
    bsk_core_client_binary(&g.core, slot, now);
    pump_client(c, now, true);
    c->closing = true;
    return ESP_FAIL;
  }
  if (f.len > sizeof c->msg - c->msg_len) return fail(c, BLESHARK_CLOSE_TOO_BIG, "message too big");
  if (f.len > 0) {
    f.payload = c->msg + c->msg_len;
    if (httpd_ws_recv_frame(req, &f, f.len) != ESP_OK) return ESP_FAIL;
    c->msg_len += f.len;
  }
  if (!f.final) return ESP_OK;
  c->frag = 0;
  bsk_core_client_text(&g.core, slot, c->msg, c->msg_len, now);
  c->msg_len = 0;
  pump_client(c, now, true);
  return c->closing ? ESP_FAIL : ESP_OK;
}

/* ---- NimBLE ---- */

/* ms -> 0.625 ms units, within the controller's 0x0004..0x4000. */
static uint16_t scan_units(uint16_t ms) {
  uint32_t u = (uint32_t)ms * 8u / 5u;
  if (u < 4u) u = 4u;
  if (u > 0x4000u) u = 0x4000u;
  return (uint16_t)u;
}

/*
 * Copies one report into the ring (NimBLE host task). event_type: a legacy BLE_HCI_ADV_RPT_EVTYPE_*.
 * A payload over BSK_AD_MAX keeps BSK_AD_MAX + 1 bytes, so the core refuses it and counts a drop; so
 * does one marked `refuse` (its bytes are not copied).
 */
static void copy_report(const ble_addr_t *addr, uint8_t event_type, int8_t rssi, const uint8_t *data, size_t n,
                        bool refuse) {
  bsk_idf_adv_t a;
  unsigned i;
  a.ms = now_ms();
  for (i = 0; i < 6u; i++) a.addr[i] = addr->val[5u - i]; /* NimBLE keeps the address reversed */
  a.addr_type = (uint8_t)(addr->type & 1u);               /* identity types report as their base */
  a.flags = 0;
  if (event_type == BLE_HCI_ADV_RPT_EVTYPE_SCAN_RSP) a.flags |= BSK_IDF_ADV_SCAN_RSP;
  if (event_type == BLE_HCI_ADV_RPT_EVTYPE_ADV_IND || event_type == BLE_HCI_ADV_RPT_EVTYPE_DIR_IND)
    a.flags |= BSK_IDF_ADV_CONN;
  a.rssi = rssi == 127 ? (int8_t)-127 : rssi; /* 127: not available */
  if (n > sizeof a.data) n = sizeof a.data;
  if (data == NULL) n = 0;
  if (refuse) {
    memset(a.data, 0, sizeof a.data);
    n = 0;
  }
  if (n > 0) memcpy(a.data, data, n);
  a.len = (uint8_t)(refuse ? sizeof a.data : n);
  (void)bsk_idf_ring_push(&g.ring, &a);
}

/* NimBLE host task: copy the report out (no encoding here) or note that the scan ended. */
static int gap_event(struct ble_gap_event *event, void *arg) {
  if (event->type == BLE_GAP_EVENT_DISC) {
    const struct ble_gap_disc_desc *d = &event->disc;
    copy_report(&d->addr, d->event_type, d->rssi, d->data, d->length_data, false);
#if CONFIG_BT_NIMBLE_EXT_ADV
  } else if (event->type == BLE_GAP_EVENT_EXT_DISC) {
    /* With extended advertising built in, NimBLE reports every PDU this way. A legacy one is an ordinary
     * report; an extended one (the core keeps legacy payloads only) goes in marked too long, so the core
     * refuses it and counts it in status.drops instead of it being lost unseen. */
    const struct ble_gap_ext_disc_desc *d = &event->ext_disc;
    bool legacy = (d->props & BLE_HCI_ADV_LEGACY_MASK) != 0u;
    copy_report(&d->addr, legacy ? d->legacy_event_type : (uint8_t)BLE_HCI_ADV_RPT_EVTYPE_NONCONN_IND, d->rssi,
                d->data, d->length_data, !legacy);
#endif
  } else if (event->type == BLE_GAP_EVENT_DISC_COMPLETE) {
    atomic_store(&g.disc_done_reason, event->disc_complete.reason);
    atomic_store(&g.disc_done_gen, (uint_least32_t)(uintptr_t)arg);
  }
  return 0;
}

/* The core's radio callbacks (called inside core calls, so in the httpd task). */
static const char *scan_start(void *ctx, const bsk_scan_params_t *p) {
  struct ble_gap_disc_params d;
  uint8_t own = 0;
  uint32_t gen = g.scan_gen + 1u;
  (void)ctx;
  if (!ble_hs_synced()) return "the Bluetooth host is not ready";
  if (ble_hs_id_infer_auto(0, &own) != 0) return "no Bluetooth address to scan with";
  memset(&d, 0, sizeof d);
  d.itvl = scan_units(p->interval);
  d.window = scan_units(p->window);
  if (d.window > d.itvl) d.window = d.itvl;
  d.passive = p->passive;
  d.filter_duplicates = !p->duplicates;
  if (ble_gap_disc_active()) (void)ble_gap_disc_cancel(); /* re-apply: NimBLE refuses a second disc */
  g.scanning = false;
  /* The core ends timed scans itself (bsk_core_tick), so NimBLE scans until cancelled. */
  if (ble_gap_disc(own, BLE_HS_FOREVER, &d, gap_event, (void *)(uintptr_t)gen) != 0)
    return "the Bluetooth controller refused to scan";
  g.scan_gen = gen;
  g.scanning = true;
  return NULL;
}

static void scan_stop(void *ctx) {
  (void)ctx;
  g.scanning = false;
  if (ble_gap_disc_active()) (void)ble_gap_disc_cancel();
}

/* ---- start ---- */

void bsk_idf_tune_httpd(httpd_config_t *config) {
  config->uri_match_fn = httpd_uri_match_wildcard;
  config->max_open_sockets = (uint16_t)(BLESHARK_NANO_MAX_CLIENTS + 3);
  if (config->max_resp_headers < 10u) config->max_resp_headers = 10u;
  if (config->max_uri_handlers < 2u) config->max_uri_handlers = 2u;
  config->send_wait_timeout = 2;
  config->lru_purge_enable = true;
  if (config->stack_size < 6144u) config->stack_size = 6144u;
}

/* hello.epoch: 6 base-36 characters of esp_random(). */
static void make_epoch(void) {
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  uint32_t r = esp_random();
  unsigned i;
  for (i = 0; i < 6u; i++) {
    g.epoch[i] = digits[r % 36u];
    r /= 36u;
  }
  g.epoch[6] = '\0';
}

esp_err_t bsk_idf_start(httpd_handle_t server, const bsk_idf_config_t *config) {
  bsk_core_config_t cc;
  httpd_uri_t live;
  httpd_uri_t files;
  esp_timer_create_args_t timer;
  esp_err_t err;
  unsigned i;
  if (g.started) return ESP_ERR_INVALID_STATE;
  if (server == NULL || config == NULL || config->hosts == NULL || config->hosts[0] == NULL)
    return ESP_ERR_INVALID_ARG;
  g.server = server;
  g.cfg = *config;
  for (i = 0; i < BSK_MAX_CLIENTS; i++) g.client[i].fd = -1;
  bsk_idf_ring_init(&g.ring);
  memset(&g.throttle, 0, sizeof g.throttle);
  atomic_store(&g.pump_queued, false);
  atomic_store(&g.disc_done_gen, 0u);
  atomic_store(&g.disc_done_reason, 0);
  g.disc_done_seen = 0;
  g.scan_gen = 0;
  g.scanning = false;
  make_epoch();

  memset(&cc, 0, sizeof cc);
  cc.model = config->model;
  cc.firmware = config->firmware;
  cc.address = config->address;
  cc.epoch = g.epoch;
  cc.source = "radio";
  cc.demo = false;
  cc.max_devices = (uint16_t)CONFIG_BLESHARK_MAX_DEVICES;
  cc.hash_seed = esp_random();
  cc.scan_on_init = config->scan_on_start;
  cc.caps_off = 0;
  cc.scan_start = scan_start;
  cc.scan_stop = scan_stop;
  cc.ctx = NULL;
  bsk_core_init(&g.core, &cc, now_ms());

  memset(&live, 0, sizeof live);
  live.uri = BLESHARK_ENDPOINT_PATH;
  live.method = HTTP_GET;
  live.handler = live_handler;
  live.is_websocket = true;
  live.handle_ws_control_frames = true;
#if CONFIG_HTTPD_WS_PRE_HANDSHAKE_CB_SUPPORT
  live.ws_pre_handshake_cb = live_pre_handshake;
#endif
#if CONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT
  live.ws_post_handshake_cb = live_post_handshake;
#endif
  err = httpd_register_uri_handler(server, &live); /* before the wildcard, which would match it too */
  if (err != ESP_OK) return err;
  memset(&files, 0, sizeof files);
  files.uri = "/*";
  files.method = HTTP_GET;
  files.handler = page_get;
  err = httpd_register_uri_handler(server, &files);
  if (err != ESP_OK) return err;

  memset(&timer, 0, sizeof timer);
  timer.callback = on_timer;
  timer.dispatch_method = ESP_TIMER_TASK;
  timer.name = "bleshark";
  err = esp_timer_create(&timer, &g.timer);
  if (err != ESP_OK) return err;
  err = esp_timer_start_periodic(g.timer, (uint64_t)CONFIG_BLESHARK_PUMP_PERIOD_MS * 1000u);
  if (err != ESP_OK) return err;
  g.started = true;
  return ESP_OK;
}
