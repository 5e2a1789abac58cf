/*
 * bsk_idf_guard.h: the request checks of the ESP-IDF glue as plain functions over strings, so the host
 * can test them without the SDK: Host (DNS rebinding), Origin (cross-site WebSocket hijacking), the
 * pairing token (constant time, with a backoff for wrong ones), If-None-Match, close codes. The rules are
 * docs/protocol.md "Security". No heap, no SDK, only string.h; no static state (the caller owns the
 * throttle). Every function runs in the httpd task.
 */
#ifndef BSK_IDF_GUARD_H
#define BSK_IDF_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest pairing token the glue takes (bytes, after percent-decoding). */
#define BSK_IDF_TOKEN_MAX 64

/*
 * True when the Host header value names this device: one of `names` (a NULL-terminated list such as
 * {"192.168.4.1", "bleshark.local", NULL}), compared without regard to ASCII case, either bare (only when
 * port is 80) or followed by ":<port>". NULL or empty host is false. Cost O(total length of names).
 */
bool bsk_idf_host_ok(const char *host, const char *const *names, uint16_t port);

/*
 * True when a WebSocket upgrade's Origin is acceptable: absent (NULL: a non-browser tool), same-origin
 * ("http://" + the Host value, ASCII case ignored), or exactly one of `allow` (NULL-terminated, may be
 * NULL). "null" and every other origin are refused. No wildcards. Cost O(total length).
 */
bool bsk_idf_origin_ok(const char *origin, const char *host, const char *const *allow);

/*
 * Decodes %XX escapes (and '+' as a space, as in a query string) in place; returns the new length, or
 * SIZE_MAX when an escape is malformed (the caller refuses). Cost O(n).
 */
size_t bsk_idf_url_decode(char *s);

/*
 * Compares a given token with the configured one in time that depends only on BSK_IDF_TOKEN_MAX, not
 * on where they differ or on either length. Cost O(BSK_IDF_TOKEN_MAX).
 */
bool bsk_idf_token_equal(const char *given, size_t given_len, const char *token);

/*
 * Wrong pairing tokens: `free` are free, each further one makes the next wait 1 s, 2 s, 4 s ... capped at
 * 60 s; a right token, or 10 minutes without a wrong one (and no wait left), starts afresh. One entry for
 * every peer (see the README: the glue does not read peer addresses). Start it zeroed.
 */
typedef struct {
  uint32_t failures;
  uint32_t last_ms;  /* uptime ms of the newest wrong token */
  uint32_t until_ms; /* uptime ms before which tokens are not compared */
} bsk_idf_throttle_t;

#define BSK_IDF_THROTTLE_FREE 5u
#define BSK_IDF_THROTTLE_BASE_MS 1000u
#define BSK_IDF_THROTTLE_MAX_MS 60000u
#define BSK_IDF_THROTTLE_FORGET_MS 600000u

/* Milliseconds left to wait (0 = compare now). Cost O(1). */
uint32_t bsk_idf_throttle_wait_ms(bsk_idf_throttle_t *t, uint32_t now_ms);
/* A wrong token at now_ms: returns the wait it starts. Cost O(1). */
uint32_t bsk_idf_throttle_failed(bsk_idf_throttle_t *t, uint32_t now_ms);
/* A right token. Cost O(1). */
void bsk_idf_throttle_succeeded(bsk_idf_throttle_t *t);

/*
 * True when an If-None-Match value matches etag (a quoted tag): "*", or a comma-separated list holding
 * it, weakly compared (W/"x" matches "x"). NULL is false. Cost O(length of header).
 */
bool bsk_idf_etag_match(const char *header, const char *etag);

/* True for a close code a peer may send (1000-1003, 1007-1014, 3000-4999). Cost O(1). */
bool bsk_idf_close_code_ok(uint16_t code);

#ifdef __cplusplus
}
#endif

#endif
