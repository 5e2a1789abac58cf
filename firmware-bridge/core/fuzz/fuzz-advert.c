/*
 * fuzz-advert: advert ingest. The input drives a small device table (1..8 devices, so eviction is
 * common) through a sequence of operations:
 *   advertisement or scan response (address from a pool of 16 or arbitrary, address type 0/1 or an
 *     invalid one, connectable, rssi, time moving by the input, AD bytes up to 39 so some are refused),
 *   a filter built from the input and checked on every device,
 *   clear,
 *   a JSON string check on raw bytes.
 *
 * Invariants, beyond "no sanitizer report":
 * - the table equals a plain model kept here (same devices in the same last-seen order with the same
 *   ids, first/last/count, rssi clamp, flags, stored AD bytes; the same evicted id and seen result;
 *   the same evicted/refused counters); count <= max; iteration visits exactly count entries; every
 *   device is found by its address and type; ids are given in increasing order, one apart;
 * - bsk_filter_match is deterministic, true for an empty filter, false when minRssi or connectable
 *   (true) excludes the device, never true when dropping one field makes it false (the fields are a
 *   conjunction), and a text that is a piece of the device's address (any case) matches it;
 * - bsk_json_record on each device seen: a valid UTF-8 JSON object with its id and address, exactly
 *   as long as needed; within a smaller limit or room either nothing or a valid cut record (no adv / rsp,
 *   the name a prefix of the whole one), never written past the writer's cap;
 * - names (AD types 0x08 / 0x09) and raw AD bytes written by bsk_json_str / _str_cut are valid UTF-8
 *   JSON strings that decode to the bytes repaired as TextDecoder does (fz_check_json_str).
 */
#include "fuzz-common.h"

#define MAX_DEV 8

typedef struct {
  uint8_t addr[6], type, flags, adv_len, rsp_len;
  uint8_t adv[BSK_AD_MAX], rsp[BSK_AD_MAX];
  int8_t rssi;
  uint32_t id, first, last, count;
} model_dev_t;

/* The model: devices stalest first. */
static model_dev_t model[MAX_DEV];
static size_t model_count, model_max;
static uint32_t model_next_id, model_evicted, model_refused;
static bsk_table_t table;

static int8_t clamp_rssi(int8_t v) {
  return v > BLESHARK_FILTER_MIN_RSSI_MAX ? (int8_t)BLESHARK_FILTER_MIN_RSSI_MAX : v < -127 ? (int8_t)-127 : v;
}

/* What the table must do with a: the seen result and evicted id, applied to the model. */
static bsk_seen_t model_seen(const bsk_advert_t *a, uint32_t now, uint32_t *evicted_id) {
  model_dev_t d;
  size_t k;
  bool changed = false;
  *evicted_id = 0;
  if (a->len > BSK_AD_MAX || a->addr_type > 1) {
    model_refused++;
    return BSK_SEEN_REFUSED;
  }
  for (k = 0; k < model_count; k++)
    if (model[k].type == a->addr_type && memcmp(model[k].addr, a->addr, 6) == 0) break;
  if (k < model_count) {
    d = model[k];
    memmove(&model[k], &model[k + 1], (model_count - k - 1) * sizeof model[0]);
    model_count--;
    if (a->scan_rsp) {
      changed = !(d.flags & BSK_DEV_HAS_RSP) || d.rsp_len != a->len || memcmp(d.rsp, a->data, a->len) != 0;
      memcpy(d.rsp, a->data, a->len);
      d.rsp_len = (uint8_t)a->len;
      d.flags |= BSK_DEV_HAS_RSP;
    } else {
      changed = !(d.flags & BSK_DEV_HAS_ADV) || d.adv_len != a->len || memcmp(d.adv, a->data, a->len) != 0 ||
                ((d.flags & BSK_DEV_CONN) != 0) != a->conn;
      memcpy(d.adv, a->data, a->len);
      d.adv_len = (uint8_t)a->len;
      d.flags = (uint8_t)((d.flags & ~BSK_DEV_CONN) | BSK_DEV_HAS_ADV | (a->conn ? BSK_DEV_CONN : 0));
      d.count++;
    }
    d.rssi = clamp_rssi(a->rssi);
    if (now > d.last) d.last = now;
    model[model_count++] = d;
    return changed ? BSK_SEEN_CHANGED : BSK_SEEN_SAME;
  }
  if (model_count == model_max) {
    *evicted_id = model[0].id;
    memmove(&model[0], &model[1], (model_count - 1) * sizeof model[0]);
    model_count--;
    model_evicted++;
  }
  memset(&d, 0, sizeof d);
  memcpy(d.addr, a->addr, 6);
  d.type = a->addr_type;
  d.id = model_next_id++;
  d.first = d.last = now;
  d.count = 1;
  d.rssi = clamp_rssi(a->rssi);
  if (a->scan_rsp) {
    memcpy(d.rsp, a->data, a->len);
    d.rsp_len = (uint8_t)a->len;
    d.flags = BSK_DEV_HAS_RSP;
  } else {
    memcpy(d.adv, a->data, a->len);
    d.adv_len = (uint8_t)a->len;
    d.flags = (uint8_t)(BSK_DEV_HAS_ADV | (a->conn ? BSK_DEV_CONN : 0));
  }
  model[model_count++] = d;
  return BSK_SEEN_NEW;
}

static void check_table(void) {
  bsk_device_t *d;
  size_t k = 0;
  FZ_CHECK(table.count == model_count && table.count <= table.max && table.max == model_max);
  FZ_CHECK(table.evicted == model_evicted && table.refused == model_refused);
  for (d = bsk_table_stalest(&table); d; d = bsk_table_newer(&table, d), k++) {
    const model_dev_t *m = &model[k];
    FZ_CHECK(k < model_count);
    FZ_CHECK(d->id == m->id && d->addr_type == m->type && memcmp(d->addr, m->addr, 6) == 0);
    FZ_CHECK(d->first == m->first && d->last == m->last && d->count == m->count);
    FZ_CHECK(d->rssi == m->rssi && d->rssi >= -127 && d->rssi <= BLESHARK_FILTER_MIN_RSSI_MAX);
    FZ_CHECK(d->flags == m->flags);
    FZ_CHECK(d->adv_len == m->adv_len && memcmp(d->adv, m->adv, m->adv_len) == 0);
    FZ_CHECK(d->rsp_len == m->rsp_len && memcmp(d->rsp, m->rsp, m->rsp_len) == 0);
    FZ_CHECK(bsk_table_find(&table, d->addr, d->addr_type) == d);
  }
  FZ_CHECK(k == model_count);
}

/* The unescaped string value of member `key` of the JSON object s[0..n) into out; its length, or -1. */
static long member_text(const uint8_t *s, size_t n, const char *key, uint8_t *out) {
  size_t from, to;
  if (!fz_json_member(s, n, key, &from, &to)) return -1;
  FZ_CHECK(s[from] == '"');
  return (long)fz_json_unescape(s + from, to - from, out);
}

/*
 * bsk_json_record on d: whole (valid UTF-8 JSON object with d's id and address, fits exactly in its own
 * length), then within a max_bytes and a room from the input: nothing written past the writer's cap;
 * either nothing at all (false) or a valid record of at most max_bytes with d's id, without adv / rsp
 * when it had to be cut, and a name that is a prefix of the whole record's name.
 */
static void check_record(const bsk_device_t *d, fz_in_t *in) {
  static char full[BLESHARK_NANO_MAX_FRAME_BYTES], cut[BLESHARK_NANO_MAX_FRAME_BYTES + 16];
  static uint8_t name[BLESHARK_NANO_MAX_FRAME_BYTES], part[BLESHARK_NANO_MAX_FRAME_BYTES];
  static const char HEX[] = "0123456789abcdef";
  unsigned flags = fz_u8(in) & 1u ? BSK_RECORD_NO_RAW : 0u;
  size_t full_len, max, start, cap, k, from, to, len;
  long name_len, part_len;
  uint8_t first = 0, addr[17];
  bsk_json_t w;
  bool ok;
  bsk_json_init(&w, full, sizeof full);
  FZ_CHECK(bsk_json_record(&w, d, sizeof full, flags) && !w.truncated);
  full_len = w.len;
  FZ_CHECK(fz_utf8_valid((const uint8_t *)full, full_len, false));
  FZ_CHECK(fz_json_valid((const uint8_t *)full, full_len, &first) && first == '{');
  FZ_CHECK(fz_json_member((const uint8_t *)full, full_len, BLESHARK_FIELD_ID, &from, &to));
  FZ_CHECK(fz_json_uint((const uint8_t *)full, from, to) == d->id);
  for (k = 0; k < 6; k++) {
    addr[k * 3] = (uint8_t)HEX[d->addr[k] >> 4];
    addr[k * 3 + 1] = (uint8_t)HEX[d->addr[k] & 15u];
    if (k < 5) addr[k * 3 + 2] = ':';
  }
  FZ_CHECK(member_text((const uint8_t *)full, full_len, BLESHARK_FIELD_ADDR, part) == 17 && memcmp(part, addr, 17) == 0);
  name_len = member_text((const uint8_t *)full, full_len, BLESHARK_FIELD_NAME, name);
  if (name_len >= 0) FZ_CHECK(fz_utf8_valid(name, (size_t)name_len, false) && name_len <= BLESHARK_PROTOCOL_MAX_NAME_BYTES);
  if (flags) FZ_CHECK(!fz_json_member((const uint8_t *)full, full_len, BLESHARK_FIELD_ADV, &from, &to));

  /* Exactly its own length. */
  bsk_json_init(&w, cut, full_len);
  FZ_CHECK(bsk_json_record(&w, d, full_len, flags) && w.len == full_len && memcmp(cut, full, full_len) == 0);

  /* Within a limit and a room from the input. */
  max = fz_u16(in) % (full_len + 8u);
  start = fz_u8(in) % 16u;
  cap = start + fz_u16(in) % (full_len + 16u);
  memset(cut, 0xA5, cap + 16);
  memset(cut, 'x', start);
  bsk_json_init(&w, cut, cap);
  w.len = start;
  ok = bsk_json_record(&w, d, max, flags);
  for (k = cap; k < cap + 16; k++) FZ_CHECK((uint8_t)cut[k] == 0xA5);
  if (!ok) {
    FZ_CHECK(w.len == start && w.truncated);
    return;
  }
  len = w.len - start;
  FZ_CHECK(!w.truncated && len <= max && w.len <= cap);
  if (full_len <= max && full_len <= cap - start) {
    FZ_CHECK(len == full_len && memcmp(cut + start, full, full_len) == 0);
    return;
  }
  {
    const uint8_t *r = (const uint8_t *)cut + start;
    FZ_CHECK(fz_utf8_valid(r, len, false) && fz_json_valid(r, len, &first) && first == '{');
    FZ_CHECK(fz_json_member(r, len, BLESHARK_FIELD_ID, &from, &to) && fz_json_uint(r, from, to) == d->id);
    FZ_CHECK(!fz_json_member(r, len, BLESHARK_FIELD_ADV, &from, &to));
    FZ_CHECK(!fz_json_member(r, len, BLESHARK_FIELD_RSP, &from, &to));
    part_len = member_text(r, len, BLESHARK_FIELD_NAME, part);
    if (part_len >= 0) FZ_CHECK(name_len >= part_len && memcmp(part, name, (size_t)part_len) == 0);
  }
}

/* The name a filter sees: complete (0x09) over shortened (0x08) local name, advertising data first. */
static void check_names(const uint8_t *ad, size_t n, fz_in_t *in) {
  size_t i = 0;
  while (i < n) {
    size_t len = ad[i];
    if (len == 0 || i + 1 + len > n) break;
    if (ad[i + 1] == 0x08 || ad[i + 1] == 0x09)
      fz_check_json_str(ad + i + 2, len - 1, 0, fz_u8(in) % 8u, 16u + fz_u8(in), fz_u8(in) % 4u);
    i += 1 + len;
  }
}

/* Valid WTF-8 from arbitrary bytes (ill-formed steps dropped), at most 32 UTF-16 units. */
static uint8_t wtf8_text(const uint8_t *s, size_t n, char *out) {
  size_t i = 0, len = 0, units = 0;
  while (i < n) {
    uint32_t cp;
    size_t k = fz_utf8_decode(s + i, n - i, &cp, true);
    if (k == 0) {
      i++;
      continue;
    }
    if (units + (cp >= 0x10000u ? 2u : 1u) > BLESHARK_FILTER_TEXT_MAX_LEN) break;
    units += cp >= 0x10000u ? 2u : 1u;
    memcpy(out + len, s + i, k);
    len += k;
    i += k;
  }
  return (uint8_t)len;
}

static void read_filter(fz_in_t *in, bsk_filter_t *f) {
  static const char HEX[] = "0123456789abcdefABCDEF";
  uint8_t mask = fz_u8(in), k, n;
  size_t got;
  const uint8_t *p;
  memset(f, 0, sizeof *f);
  if (mask & 1u) {
    p = fz_bytes(in, fz_u8(in) % 40u, &got);
    f->has_text = true;
    f->text_len = wtf8_text(p, got, f->text);
  }
  if (mask & 2u) {
    f->has_min_rssi = true;
    f->min_rssi = (int8_t)(BLESHARK_FILTER_MIN_RSSI_MIN + fz_u8(in) % (BLESHARK_FILTER_MIN_RSSI_MAX - BLESHARK_FILTER_MIN_RSSI_MIN + 1));
  }
  if (mask & 4u) {
    f->has_company = true;
    f->company = fz_u16(in);
  }
  if (mask & 8u) {
    uint8_t shape = fz_u8(in) % 3u;
    n = shape == 0 ? 4 : shape == 1 ? 8 : 36;
    for (k = 0; k < n; k++)
      f->service[k] = n == 36 && (k == 8 || k == 13 || k == 18 || k == 23) ? '-' : HEX[fz_u8(in) % 22u];
    f->has_service = true;
    f->service_len = n;
  }
  if (mask & 16u) {
    f->has_connectable = true;
    f->connectable = (mask & 64u) != 0;
  }
  if (mask & 32u) {
    f->has_named = true;
    f->named = (mask & 128u) != 0;
  }
  if (fz_u8(in) & 1u) {
    f->has_exclude = true;
    f->exclude_count = (uint8_t)(fz_u8(in) % (BLESHARK_FILTER_EXCLUDE_MAX_ITEMS + 1));
    for (k = 0; k < f->exclude_count; k++) f->exclude[k] = fz_u16(in);
  }
}

/* f with field k (0..6) removed. */
static bsk_filter_t without(const bsk_filter_t *f, int k) {
  bsk_filter_t g = *f;
  switch (k) {
  case 0: g.has_text = false; g.text_len = 0; break;
  case 1: g.has_min_rssi = false; break;
  case 2: g.has_company = false; break;
  case 3: g.has_service = false; g.service_len = 0; break;
  case 4: g.has_connectable = false; break;
  case 5: g.has_named = false; break;
  default: g.has_exclude = false; g.exclude_count = 0;
  }
  return g;
}

static void check_filter(const bsk_filter_t *f, fz_in_t *in) {
  static const bsk_filter_t EMPTY;
  bsk_device_t *d;
  for (d = bsk_table_stalest(&table); d; d = bsk_table_newer(&table, d)) {
    bool r = bsk_filter_match(f, d);
    int k;
    FZ_CHECK(bsk_filter_match(f, d) == r);
    FZ_CHECK(bsk_filter_match(&EMPTY, d));
    if (f->has_min_rssi && d->rssi < f->min_rssi) FZ_CHECK(!r);
    if (f->has_connectable && f->connectable && !(d->flags & BSK_DEV_CONN)) FZ_CHECK(!r); /* false: any */
    if (r)
      for (k = 0; k < 7; k++) {
        bsk_filter_t g = without(f, k);
        FZ_CHECK(bsk_filter_match(&g, d));
      }
    {
      /* A piece of "aa:bb:cc:dd:ee:ff" in any case matches. */
      static const char HEX[] = "0123456789abcdef";
      bsk_filter_t t;
      char addr[17];
      uint8_t from = fz_u8(in) % 17u, len = (uint8_t)(fz_u8(in) % (17u - from + 1u)), upper = fz_u8(in);
      size_t i;
      for (i = 0; i < 6; i++) {
        addr[i * 3] = HEX[d->addr[i] >> 4];
        addr[i * 3 + 1] = HEX[d->addr[i] & 15u];
        if (i < 5) addr[i * 3 + 2] = ':';
      }
      memset(&t, 0, sizeof t);
      t.has_text = true;
      t.text_len = len;
      for (i = 0; i < len; i++) {
        char c = addr[from + i];
        t.text[i] = (upper >> (i % 8) & 1u) && c >= 'a' && c <= 'f' ? (char)(c - 'a' + 'A') : c;
      }
      FZ_CHECK(bsk_filter_match(&t, d));
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_in_t in = {data, size, 0};
  uint32_t now = fz_u32(&in);
  uint8_t b = fz_u8(&in);
  model_max = 1u + (b & 7u);
  model_count = 0;
  model_next_id = 1;
  model_evicted = model_refused = 0;
  bsk_table_init(&table, (uint16_t)model_max, fz_u32(&in));
  check_table();
  while (in.i < in.n) {
    uint8_t op = fz_u8(&in);
    if (op < 0xC0) {
      /* An advertising report. */
      uint8_t ad[40];
      uint8_t sel = fz_u8(&in), fl = fz_u8(&in), t = fl & 3u;
      bsk_advert_t a;
      bsk_device_t *dev = NULL;
      uint32_t ev = 1, want_ev;
      bsk_seen_t seen, want;
      size_t got, len;
      const uint8_t *p;
      memset(&a, 0, sizeof a);
      if (sel & 0x80u) {
        p = fz_bytes(&in, 6, &got);
        memcpy(a.addr, p, got);
      } else {
        static const uint8_t POOL[6] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x00};
        memcpy(a.addr, POOL, 6);
        a.addr[5] = (uint8_t)(sel & 15u);
      }
      a.addr_type = t < 3 ? (uint8_t)(t & 1u) : (uint8_t)(2u + (fl >> 2 & 1u));
      a.scan_rsp = (fl & 0x10u) != 0;
      a.conn = (fl & 0x20u) != 0;
      a.rssi = (int8_t)fz_u8(&in);
      {
        uint32_t dt = fz_u8(&in);
        if (fl & 0x40u) dt *= 1000u;
        now = fl & 0x80u ? now - dt : now + dt; /* time may even go back: `last` must not */
      }
      len = fz_u8(&in) % 40u;
      p = fz_bytes(&in, len, &got);
      memcpy(ad, p, got);
      a.data = ad;
      a.len = got;
      want = model_seen(&a, now, &want_ev);
      seen = bsk_table_seen(&table, &a, now, &dev, &ev);
      FZ_CHECK(seen == want && ev == want_ev);
      if (seen == BSK_SEEN_REFUSED) FZ_CHECK(dev == NULL);
      else FZ_CHECK(dev != NULL && bsk_table_find(&table, a.addr, a.addr_type) == dev);
      if (seen == BSK_SEEN_NEW) FZ_CHECK(dev->id == model_next_id - 1);
      check_table();
      if (seen != BSK_SEEN_REFUSED) {
        check_record(dev, &in);
        check_names(ad, got, &in);
        fz_check_json_str(ad, got, 0, 0, sizeof ad * 6 + 2, 0);
      }
    } else if (op < 0xE0) {
      bsk_filter_t f;
      read_filter(&in, &f);
      check_filter(&f, &in);
    } else if (op < 0xF0) {
      bsk_table_clear(&table);
      model_count = 0;
      check_table();
    } else {
      /* A JSON string check on raw bytes, either flag, with a cap and a reserve from the input. */
      uint8_t flags = fz_u8(&in), start = fz_u8(&in), cap = fz_u8(&in), reserve = fz_u8(&in);
      size_t got;
      const uint8_t *p = fz_bytes(&in, fz_u8(&in), &got);
      fz_check_json_str(p, got, flags & 1u ? BSK_JSON_WTF8 : 0u, start % 16u, cap, reserve % 8u);
    }
  }
  return 0;
}
