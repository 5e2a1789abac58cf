/* core-internal.h: what core.c (state, commands, adverts) and frames.c (writing frames) share. */
#ifndef BSK_CORE_INTERNAL_H
#define BSK_CORE_INTERNAL_H

#include "bleshark_core.h"

/* bsk_reply_t.kind */
enum { BSK_Q_ACK = 1, BSK_Q_ERROR, BSK_Q_COMPLETE };
/* bsk_reply_t.text: how an error's message is made */
enum { BSK_T_STATIC = 0, BSK_T_WINDOW_OVER, BSK_T_INTERVAL_UNDER };
/* bsk_client_t.snap_due / snap_reason */
enum { BSK_SNAP_NONE = 0, BSK_SNAP_CONNECT, BSK_SNAP_REQUEST, BSK_SNAP_FILTER, BSK_SNAP_CLEAR };

/* Appends a string literal (length known when compiling: no strlen, one bounds check). */
#define BSK_LIT(w, lit) ((void)bsk_json_raw((w), "" lit, sizeof(lit) - 1u))
/* Appends ,"<key>": for a literal key (every member but an object's first). */
#define BSK_KEY(w, k) BSK_LIT(w, ",\"" k "\":")

/* The rate sample interval of the simulator's engine (status.rate). */
#define BSK_RATE_INTERVAL_MS 2000u

/* True when the device passes the client's filter. */
static inline bool bsk__matches(const bsk_client_t *cl, const bsk_device_t *d) {
  return !cl->any_filter || bsk_filter_match(&cl->filter, d);
}

/* Client c's state of device d (BSK_ST_*) and its number (see bsk_device_t.cl). */
static inline unsigned bsk__st(const bsk_device_t *d, unsigned c) {
  return (unsigned)(d->cl[c >> 2] >> ((c & 3u) * 2u)) & 3u;
}
static inline unsigned bsk__num(const bsk_device_t *d, unsigned c) {
  return (unsigned)(d->cl[BSK_CL_STATE_BYTES + (c >> 1)] >> ((c & 1u) * 4u)) & 15u;
}
static inline void bsk__set(bsk_device_t *d, unsigned c, unsigned st, unsigned num) {
  uint8_t *a = &d->cl[c >> 2], *b = &d->cl[BSK_CL_STATE_BYTES + (c >> 1)];
  unsigned sa = (c & 3u) * 2u, sb = (c & 1u) * 4u;
  *a = (uint8_t)((*a & ~(3u << sa)) | st << sa);
  *b = (uint8_t)((*b & ~(15u << sb)) | num << sb);
}

/* Marks the group of slot s busy for the client (an item may be pending there). */
static inline void bsk__busy(bsk_client_t *cl, unsigned s) { cl->busy |= 1u << (s / BSK_GROUP); }

/* Little-endian u32 in 4 bytes (a scan-complete's numbers in the reply pool). */
static inline void bsk__put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}
static inline uint32_t bsk__get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Takes the oldest waiting reply (q_count > 0) into *r and its pool bytes into bytes[0..r->len). O(len). */
void bsk__pop_reply(bsk_client_t *cl, bsk_reply_t *r, uint8_t *bytes);

/* Forgets client c's state of every device (all slots, including free ones). O(max devices). */
void bsk__forget_all(bsk_table_t *t, unsigned c);

/* Queues a removal (`x`) for the client; when the queue is full, a snapshot `request` instead. */
void bsk__remove(bsk_client_t *cl, uint32_t id);

/* Writes the client's next frame (nothing due: returns 0). frames.c. */
size_t bsk__frame(bsk_core_t *c, bsk_client_t *cl, uint32_t now, bsk_json_t *w);

#endif
