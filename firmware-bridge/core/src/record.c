/*
 * record.c: one device as the DeviceRecord JSON the simulator sends (sanitizeAdvert over
 * parseAdvertisement's fields, then encodeRecordWithin's cutting), from the raw AD bytes in the table.
 */
#include <string.h>

#include "core-internal.h"

static const char HEX[] = "0123456789abcdef";

/* The Bluetooth SIG base UUID, big-endian, after its first 4 bytes. */
static const uint8_t BASE_TAIL[12] = {0, 0, 0x10, 0, 0x80, 0, 0, 0x80, 0x5f, 0x9b, 0x34, 0xfb};

typedef struct {
  const uint8_t *p; /* little-endian UUID (2, 4 or 16 bytes) or data */
  uint8_t w;        /* UUID width; for manufacturer data: unused */
  const uint8_t *data;
  uint8_t len;
} ad_ref_t;

/* What parseAdvertisement reads from the AD bytes, as far as sanitizeAdvert keeps it. */
typedef struct {
  const uint8_t *name;
  size_t name_len; /* input bytes (at most 248) */
  bool complete, has_tx;
  int tx;
  uint8_t mfr_n, svc_n, uuid_n;
  ad_ref_t mfr[BLESHARK_PROTOCOL_MAX_DATA_ENTRIES];
  ad_ref_t svc[BLESHARK_PROTOCOL_MAX_DATA_ENTRIES];
  ad_ref_t uuid[BLESHARK_PROTOCOL_MAX_UUIDS];
} fields_t;

/* How much of the record to write (the steps of encodeRecordWithin). */
typedef struct {
  bool raw;
  bool name;         /* write the name (cut to name_limit decoded bytes, even when that is empty) */
  size_t name_limit; /* decoded UTF-8 bytes */
  uint8_t svc_n, mfr_n, uuid_n;
} shape_t;

/* A little-endian UUID of w bytes as a big-endian 128-bit one. */
static void uuid_be(const uint8_t *le, size_t w, uint8_t out[16]) {
  memset(out, 0, 4);
  memcpy(out + 4, BASE_TAIL, 12);
  size_t at = w == 16 ? 0 : 4 - w;
  for (size_t i = 0; i < w; i++) out[at + i] = le[w - 1 - i];
}

static size_t uuid_width(uint8_t t) {
  switch (t) {
  case 0x02: case 0x03: case 0x16: return 2;
  case 0x04: case 0x05: case 0x20: return 4;
  case 0x06: case 0x07: case 0x21: return 16;
  default: return 0;
  }
}

static bool uuid_known(const fields_t *f, const uint8_t *le, size_t w) {
  uint8_t a[16], b[16];
  uuid_be(le, w, a);
  for (size_t k = 0; k < f->uuid_n; k++) {
    uuid_be(f->uuid[k].p, f->uuid[k].w, b);
    if (memcmp(a, b, 16) == 0) return true;
  }
  return false;
}

/* parseAdStructures + parseAdvertisement over one chunk, keeping sanitizeAdvert's entry caps. */
static void read_chunk(fields_t *f, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t len = b[i], rest = n - i - 1;
    if (!len) {
      i++;
      continue;
    }
    if (len > rest) return;
    uint8_t t = b[i + 1];
    const uint8_t *d = b + i + 2;
    size_t dn = len - 1, w = uuid_width(t);
    i += len + 1;
    if (w && t < 8) {
      for (size_t k = 0; k + w <= dn; k += w) {
        if (f->uuid_n >= BLESHARK_PROTOCOL_MAX_UUIDS || uuid_known(f, d + k, w)) continue;
        f->uuid[f->uuid_n].p = d + k;
        f->uuid[f->uuid_n++].w = (uint8_t)w;
      }
    } else if (w) {
      if (dn >= w && f->svc_n < BLESHARK_PROTOCOL_MAX_DATA_ENTRIES) {
        ad_ref_t *e = &f->svc[f->svc_n++];
        e->p = d;
        e->w = (uint8_t)w;
        e->data = d + w;
        e->len = (uint8_t)(dn - w);
      }
    } else if ((t == 0x08 || t == 0x09) && dn && !f->complete) {
      f->name = d;
      f->name_len = dn < BLESHARK_PROTOCOL_MAX_NAME_BYTES ? dn : BLESHARK_PROTOCOL_MAX_NAME_BYTES;
      f->complete = t == 0x09;
    } else if (t == 0xff && dn > 1) {
      if (f->mfr_n < BLESHARK_PROTOCOL_MAX_DATA_ENTRIES) {
        ad_ref_t *e = &f->mfr[f->mfr_n++];
        e->p = d;
        e->data = d + 2;
        e->len = (uint8_t)(dn - 2);
      }
    } else if (t == 0x0a && dn) {
      f->has_tx = true;
      f->tx = (int)(int8_t)d[0];
    }
  }
}

/* UTF-8 bytes of the decoded character at s (U+FFFD for an invalid subpart); *used gets its input bytes. */
static size_t decoded_size(const uint8_t *s, size_t n, size_t *used) {
  uint32_t cp;
  *used = bsk_utf8_next(s, n, &cp, false);
  return cp == BSK_UTF8_INVALID ? 3 : *used;
}

/* Decoded UTF-8 bytes of s[0..n). */
static size_t decoded_len(const uint8_t *s, size_t n) {
  size_t total = 0;
  for (size_t i = 0, used; i < n; i += used) total += decoded_size(s + i, n - i, &used);
  return total;
}

/* Input bytes of the longest whole-character prefix of s whose decoded form takes at most limit bytes. */
static size_t prefix_within(const uint8_t *s, size_t n, size_t limit) {
  size_t i = 0, total = 0;
  while (i < n) {
    size_t used, k = decoded_size(s + i, n - i, &used);
    if (total + k > limit) break;
    total += k;
    i += used;
  }
  return i;
}

/* Appends p[0..n) as a quoted string of lowercase hex pairs: one bounds check, then direct writes. */
static void hex_bytes(bsk_json_t *w, const uint8_t *p, size_t n) {
  size_t need = 2 * n + 2;
  if (need > w->cap - w->len) {
    w->truncated = true;
    return;
  }
  char *o = w->buf + w->len;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    *o++ = HEX[p[i] >> 4];
    *o++ = HEX[p[i] & 15u];
  }
  *o = '"';
  w->len += need;
}

/* The wire form of a UUID: 4 or 8 hex digits on the SIG base, else 8-4-4-4-12 lowercase. */
static void uuid_json(bsk_json_t *w, const uint8_t *le, size_t width) {
  uint8_t u[16];
  char s[38];
  size_t n = 0, from = 0, to = 16;
  uuid_be(le, width, u);
  if (memcmp(u + 4, BASE_TAIL, 12) == 0) {
    from = u[0] == 0 && u[1] == 0 ? 2 : 0;
    to = 4;
  }
  s[n++] = '"';
  for (size_t i = from; i < to; i++) {
    if (to == 16 && (i == 4 || i == 6 || i == 8 || i == 10)) s[n++] = '-';
    s[n++] = HEX[u[i] >> 4];
    s[n++] = HEX[u[i] & 15u];
  }
  s[n++] = '"';
  bsk_json_raw(w, s, n);
}

static void write_record(bsk_json_t *w, const bsk_device_t *d, const fields_t *f, const shape_t *sh) {
  BSK_LIT(w, "{\"" BLESHARK_FIELD_ID "\":");
  bsk_json_int(w, d->id);
  BSK_KEY(w, BLESHARK_FIELD_ADDR);
  if (w->cap - w->len < 19) w->truncated = true;
  else {
    /* "aa:bb:cc:dd:ee:ff" written in place. */
    char *o = w->buf + w->len;
    o[0] = '"';
    for (size_t i = 0; i < 6; i++) {
      o[i * 3 + 1] = HEX[d->addr[i] >> 4];
      o[i * 3 + 2] = HEX[d->addr[i] & 15u];
      o[i * 3 + 3] = ':';
    }
    o[18] = '"';
    w->len += 19;
  }
  if (d->addr_type) BSK_LIT(w, ",\"" BLESHARK_FIELD_ADDR_TYPE "\":\"random\"");
  else BSK_LIT(w, ",\"" BLESHARK_FIELD_ADDR_TYPE "\":\"public\"");
  BSK_KEY(w, BLESHARK_FIELD_RSSI);
  bsk_json_int(w, d->rssi);
  if (d->flags & BSK_DEV_CONN) BSK_LIT(w, ",\"" BLESHARK_FIELD_CONN "\":true");
  else BSK_LIT(w, ",\"" BLESHARK_FIELD_CONN "\":false");
  if (sh->name) {
    BSK_KEY(w, BLESHARK_FIELD_NAME);
    bsk_json_str(w, f->name, prefix_within(f->name, f->name_len, sh->name_limit), 0);
  }
  if (f->has_tx && f->tx != 127) {
    BSK_KEY(w, BLESHARK_FIELD_TX);
    bsk_json_int(w, f->tx < -127 ? -127 : f->tx);
  }
  if (sh->mfr_n) {
    BSK_KEY(w, BLESHARK_FIELD_MFR);
    for (size_t k = 0; k < sh->mfr_n; k++) {
      bsk_json_raw(w, k ? ",[" : "[[", 2);
      bsk_json_int(w, f->mfr[k].p[0] | f->mfr[k].p[1] << 8);
      bsk_json_raw(w, ",", 1);
      hex_bytes(w, f->mfr[k].data, f->mfr[k].len);
      bsk_json_raw(w, "]", 1);
    }
    bsk_json_raw(w, "]", 1);
  }
  if (sh->uuid_n) {
    BSK_KEY(w, BLESHARK_FIELD_UUIDS);
    for (size_t k = 0; k < sh->uuid_n; k++) {
      bsk_json_raw(w, k ? "," : "[", 1);
      uuid_json(w, f->uuid[k].p, f->uuid[k].w);
    }
    bsk_json_raw(w, "]", 1);
  }
  if (sh->svc_n) {
    BSK_KEY(w, BLESHARK_FIELD_SVC);
    for (size_t k = 0; k < sh->svc_n; k++) {
      bsk_json_raw(w, k ? ",[" : "[[", 2);
      uuid_json(w, f->svc[k].p, f->svc[k].w);
      bsk_json_raw(w, ",", 1);
      hex_bytes(w, f->svc[k].data, f->svc[k].len);
      bsk_json_raw(w, "]", 1);
    }
    bsk_json_raw(w, "]", 1);
  }
  if (sh->raw && (d->flags & BSK_DEV_HAS_ADV) && d->adv_len) {
    BSK_KEY(w, BLESHARK_FIELD_ADV);
    hex_bytes(w, d->adv, d->adv_len);
  }
  if (sh->raw && (d->flags & BSK_DEV_HAS_RSP) && d->rsp_len) {
    BSK_KEY(w, BLESHARK_FIELD_RSP);
    hex_bytes(w, d->rsp, d->rsp_len);
  }
  BSK_KEY(w, BLESHARK_FIELD_FIRST);
  bsk_json_int(w, d->first);
  BSK_KEY(w, BLESHARK_FIELD_LAST);
  bsk_json_int(w, d->last);
  BSK_KEY(w, BLESHARK_FIELD_COUNT);
  bsk_json_int(w, d->count);
  bsk_json_raw(w, "}", 1);
}

/*
 * Writes the record in this shape within w's capacity limited to `limit` bytes from `start`; true when
 * it fit. On false the writer is back at start (truncated cleared).
 */
static bool try_shape(bsk_json_t *w, size_t start, size_t limit, const bsk_device_t *d, const fields_t *f,
                      const shape_t *sh) {
  size_t cap = w->cap;
  w->cap = limit < cap - start ? start + limit : cap;
  write_record(w, d, f, sh);
  w->cap = cap;
  if (!w->truncated) return true;
  w->len = start;
  w->truncated = false;
  return false;
}

bool bsk_json_record(bsk_json_t *w, const bsk_device_t *d, size_t max_bytes, unsigned flags) {
  fields_t f;
  shape_t sh;
  size_t start = w->len;
  if (w->truncated || start > w->cap) return false;
  /* Only the scalars: the arrays are filled up to their counts and never read past them. */
  f.name = NULL;
  f.name_len = 0;
  f.complete = f.has_tx = false;
  f.tx = 0;
  f.mfr_n = f.svc_n = f.uuid_n = 0;
  if (d->flags & BSK_DEV_HAS_ADV) read_chunk(&f, d->adv, d->adv_len);
  if (d->flags & BSK_DEV_HAS_RSP) read_chunk(&f, d->rsp, d->rsp_len);
  size_t name_full = f.name ? decoded_len(f.name, f.name_len) : 0;
  if (name_full > BLESHARK_PROTOCOL_MAX_NAME_BYTES) name_full = BLESHARK_PROTOCOL_MAX_NAME_BYTES;
  sh.raw = (flags & BSK_RECORD_NO_RAW) == 0u;
  sh.name = f.name != NULL;
  sh.name_limit = name_full;
  sh.svc_n = f.svc_n;
  sh.mfr_n = f.mfr_n;
  sh.uuid_n = f.uuid_n;
  if (try_shape(w, start, max_bytes, d, &f, &sh)) return true;
  sh.raw = false;
  if (try_shape(w, start, max_bytes, d, &f, &sh)) return true;
  if (sh.name) {
    /* The longest name prefix (in decoded bytes) that fits: a binary search, as encodeRecordWithin. */
    size_t lo = 0, hi = name_full;
    while (lo < hi) {
      size_t mid = (lo + hi + 1) / 2;
      sh.name_limit = mid;
      if (try_shape(w, start, max_bytes, d, &f, &sh)) {
        w->len = start;
        lo = mid;
      } else hi = mid - 1;
    }
    sh.name_limit = lo;
    sh.name = prefix_within(f.name, f.name_len, lo) > 0;
    if (try_shape(w, start, max_bytes, d, &f, &sh)) return true;
  }
  uint8_t *lists[3] = {&sh.svc_n, &sh.mfr_n, &sh.uuid_n};
  for (size_t k = 0; k < 3; k++) {
    while (*lists[k] > 0) {
      (*lists[k])--;
      if (try_shape(w, start, max_bytes, d, &f, &sh)) return true;
    }
  }
  w->truncated = true;
  return false;
}
