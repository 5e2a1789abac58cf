/*
 * filter.c: shared-protocol's matchesFilter over a table entry. The AD bytes are walked as
 * parseAdStructures walks them (a zero length byte is skipped, a structure running past the end stops
 * the walk) and read as parseAdvertisement reads them (name, manufacturer data, UUID lists, service data).
 */
#include <string.h>

#include "bleshark_core.h"

/* shared-protocol BLANK_CODE_POINTS (filter.ts), in order; test/core-filter.test.ts compares the two. */
static const uint32_t BLANK[][2] = {
    {0x0000, 0x0020}, {0x007F, 0x00A0}, {0x00AD, 0x00AD}, {0x034F, 0x034F},   {0x0600, 0x0605},
    {0x061C, 0x061C}, {0x06DD, 0x06DD}, {0x070F, 0x070F}, {0x0890, 0x0891},   {0x08E2, 0x08E2},
    {0x115F, 0x1160}, {0x1680, 0x1680}, {0x17B4, 0x17B5}, {0x180B, 0x180F},   {0x2000, 0x200F},
    {0x2028, 0x202F}, {0x205F, 0x206F}, {0x2800, 0x2800}, {0x3000, 0x3000},   {0x3164, 0x3164},
    {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFFB},   {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
};
#define BLANK_COUNT (sizeof BLANK / sizeof BLANK[0])

const uint32_t (*bsk_blank_ranges(size_t *n))[2] {
  *n = BLANK_COUNT;
  return BLANK;
}

bool bsk_code_point_shows(uint32_t cp) {
  size_t lo = 0, hi = BLANK_COUNT;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < BLANK[mid][0]) hi = mid;
    else if (cp > BLANK[mid][1]) lo = mid + 1;
    else return false;
  }
  return true;
}

/* The Bluetooth SIG base UUID, big-endian; a 16/32-bit UUID fills bytes 0..3. */
static const uint8_t BASE[16] = {0, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0x80, 0x5f, 0x9b, 0x34, 0xfb};

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The filter's service as a big-endian 128-bit UUID (normalizeUuid's meaning); false when it is none. */
static bool service_uuid(const bsk_filter_t *f, uint8_t out[16]) {
  const char *s = f->service;
  size_t n = f->service_len, digits = n == 36 ? 32 : n, at = n == 36 ? 0 : 4 - n / 2;
  if (n != 4 && n != 8 && n != 36) return false;
  memcpy(out, BASE, 16);
  memset(out + at, 0, digits / 2);
  for (size_t i = 0, k = 0; i < n; i++) {
    if (n == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (s[i] != '-') return false;
      continue;
    }
    int v = hex_digit(s[i]);
    if (v < 0) return false;
    out[at + k / 2] = (uint8_t)(out[at + k / 2] | (k % 2 ? v : v << 4));
    k++;
  }
  return true;
}

/* A little-endian UUID of w (2, 4 or 16) bytes as a big-endian 128-bit one. */
static void uuid_from_le(const uint8_t *d, size_t w, uint8_t out[16]) {
  memcpy(out, BASE, 16);
  size_t at = w == 16 ? 0 : 4 - w;
  for (size_t i = 0; i < w; i++) out[at + i] = d[w - 1 - i];
}

/* The UUID width of the list types 0x02-0x07 and the service-data types 0x16/0x20/0x21, else 0. */
static size_t uuid_width(uint8_t t) {
  switch (t) {
  case 0x02: case 0x03: case 0x16: return 2;
  case 0x04: case 0x05: case 0x20: return 4;
  case 0x06: case 0x07: case 0x21: return 16;
  default: return 0;
  }
}

typedef struct {
  const bsk_filter_t *f;
  bool want_uuid;
  uint8_t uuid[16];
  const uint8_t *name; /* the name's bytes (at most 248), or NULL */
  size_t name_len;
  bool complete;
  bool company, excluded, service;
  /* The record keeps the first MAX_DATA_ENTRIES manufacturer and service data entries and the first
   * MAX_UUIDS distinct UUIDs (the simulator's sanitizeAdvert); the filter sees only those. */
  size_t mfr_count, svc_count, uuid_count;
  uint8_t uuids[BLESHARK_PROTOCOL_MAX_UUIDS][16];
} scan_t;

/* Adds a list UUID unless it is a repeat or the record's list is full; true when it is kept. */
static bool keep_uuid(scan_t *sc, const uint8_t u[16]) {
  for (size_t k = 0; k < sc->uuid_count; k++)
    if (memcmp(sc->uuids[k], u, 16) == 0) return false;
  if (sc->uuid_count >= BLESHARK_PROTOCOL_MAX_UUIDS) return false;
  memcpy(sc->uuids[sc->uuid_count++], u, 16);
  return true;
}

static void scan_chunk(scan_t *sc, const uint8_t *b, size_t n) {
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
    if (w) {
      uint8_t u[16];
      if (!sc->want_uuid) continue;
      if (t < 8) {
        for (size_t k = 0; k + w <= dn; k += w) {
          uuid_from_le(d + k, w, u);
          if (keep_uuid(sc, u) && memcmp(u, sc->uuid, 16) == 0) sc->service = true;
        }
      } else if (dn >= w && sc->svc_count++ < BLESHARK_PROTOCOL_MAX_DATA_ENTRIES) {
        uuid_from_le(d, w, u);
        if (memcmp(u, sc->uuid, 16) == 0) sc->service = true;
      }
    } else if ((t == 0x08 || t == 0x09) && dn && !sc->complete) {
      sc->name = d;
      sc->name_len = dn < BLESHARK_PROTOCOL_MAX_NAME_BYTES ? dn : BLESHARK_PROTOCOL_MAX_NAME_BYTES;
      sc->complete = t == 0x09;
    } else if (t == 0xff && dn > 1 && sc->mfr_count++ < BLESHARK_PROTOCOL_MAX_DATA_ENTRIES) {
      uint16_t company = (uint16_t)(d[0] | d[1] << 8);
      if (sc->f->has_company && company == sc->f->company) sc->company = true;
      for (size_t k = 0; sc->f->has_exclude && k < sc->f->exclude_count; k++)
        if (sc->f->exclude[k] == company) sc->excluded = true;
    }
  }
}

/* UTF-8 (repaired, or WTF-8 with allow_surrogates) to UTF-16 units, A-Z folded; at most cap units. */
static size_t folded_units(const uint8_t *s, size_t n, bool allow_surrogates, uint16_t *out, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i < n && k < cap;) {
    uint32_t cp;
    i += bsk_utf8_next(s + i, n - i, &cp, allow_surrogates);
    if (cp == BSK_UTF8_INVALID) cp = 0xFFFD;
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    if (cp >= 0x10000) {
      if (k + 2 > cap) break;
      out[k++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
      out[k++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else out[k++] = (uint16_t)cp;
  }
  return k;
}

static bool contains(const uint16_t *hay, size_t hn, const uint16_t *needle, size_t nn) {
  for (size_t i = 0; i + nn <= hn; i++)
    if (memcmp(hay + i, needle, nn * sizeof *needle) == 0) return true;
  return false;
}

static bool name_shows(const uint8_t *s, size_t n) {
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    i += bsk_utf8_next(s + i, n - i, &cp, false);
    if (cp == BSK_UTF8_INVALID || bsk_code_point_shows(cp)) return true; /* U+FFFD shows */
  }
  return false;
}

static bool passes_text(const bsk_filter_t *f, const bsk_device_t *d, const scan_t *sc) {
  static const char HEX[] = "0123456789abcdef";
  uint16_t needle[BLESHARK_FILTER_TEXT_MAX_LEN];
  uint16_t hay[BLESHARK_PROTOCOL_MAX_NAME_BYTES];
  size_t nn = folded_units((const uint8_t *)f->text, f->text_len, true, needle, BLESHARK_FILTER_TEXT_MAX_LEN);
  for (size_t i = 0; i < 6; i++) {
    hay[i * 3] = (uint16_t)HEX[d->addr[i] >> 4];
    hay[i * 3 + 1] = (uint16_t)HEX[d->addr[i] & 15];
    hay[i * 3 + 2] = ':';
  }
  if (contains(hay, 17, needle, nn)) return true;
  if (!sc->name) return false;
  size_t hn = folded_units(sc->name, sc->name_len, false, hay, BLESHARK_PROTOCOL_MAX_NAME_BYTES);
  return contains(hay, hn, needle, nn);
}

bool bsk_filter_match(const bsk_filter_t *f, const bsk_device_t *d) {
  if (f->has_min_rssi && d->rssi < f->min_rssi) return false;
  if (f->has_connectable && f->connectable && !(d->flags & BSK_DEV_CONN)) return false;
  bool text = f->has_text && f->text_len > 0;
  bool named = f->has_named && f->named;
  if (!named && !text && !f->has_company && !(f->has_exclude && f->exclude_count) && !f->has_service)
    return true;
  scan_t sc;
  /* The scalars only: the UUIDs are filled up to uuid_count and never read past it. */
  sc.f = f;
  sc.want_uuid = false;
  sc.name = NULL;
  sc.name_len = 0;
  sc.complete = sc.company = sc.excluded = sc.service = false;
  sc.mfr_count = sc.svc_count = sc.uuid_count = 0;
  if (f->has_service) {
    if (!service_uuid(f, sc.uuid)) return false;
    sc.want_uuid = true;
  }
  if (d->flags & BSK_DEV_HAS_ADV) scan_chunk(&sc, d->adv, d->adv_len);
  if (d->flags & BSK_DEV_HAS_RSP) scan_chunk(&sc, d->rsp, d->rsp_len);
  if (named && !(sc.name && name_shows(sc.name, sc.name_len))) return false;
  if (f->has_company && !sc.company) return false;
  if (sc.excluded) return false;
  if (f->has_service && !sc.service) return false;
  return !text || passes_text(f, d, &sc);
}
