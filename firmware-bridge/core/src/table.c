/*
 * table.c: the bounded device table. Slots in a fixed array; a doubly linked list in last-seen order
 * (stalest first, so eviction is O(1)); a chained hash index on address + address type; a free list.
 */
#include <string.h>

#include "bleshark_core.h"

#define MAX_ID 0x7FFFFFFFu

static uint16_t slot_of(const bsk_table_t *t, const bsk_device_t *d) {
  return (uint16_t)(d - t->dev);
}

/* FNV-1a over the type and address from a seeded state, folded to a bucket. */
static uint32_t bucket_of(const bsk_table_t *t, const uint8_t addr[6], uint8_t type) {
  uint32_t h = (2166136261u ^ t->seed) * 16777619u;
  h = (h ^ type) * 16777619u;
  for (size_t i = 0; i < 6; i++) h = (h ^ addr[i]) * 16777619u;
  h ^= t->seed >> 11;
  return (h ^ (h >> 16)) & (BSK_TABLE_BUCKETS - 1u);
}

static void unlink_order(bsk_table_t *t, bsk_device_t *d) {
  unsigned older = d->older, newer = d->newer;
  if (older != BSK_NIL) t->dev[older].newer = newer & BSK_NIL;
  else t->stalest = (uint16_t)newer;
  if (newer != BSK_NIL) t->dev[newer].older = older & BSK_NIL;
  else t->newest = (uint16_t)older;
}

static void push_newest(bsk_table_t *t, bsk_device_t *d) {
  uint16_t s = slot_of(t, d);
  d->older = t->newest & BSK_NIL;
  d->newer = BSK_NIL;
  if (t->newest != BSK_NIL) t->dev[t->newest].newer = s & BSK_NIL;
  else t->stalest = s;
  t->newest = s;
}

static void unlink_index(bsk_table_t *t, bsk_device_t *d) {
  uint16_t s = slot_of(t, d);
  uint16_t *p = &t->bucket[bucket_of(t, d->addr, d->addr_type)];
  if (*p == s) {
    *p = (uint16_t)d->chain;
    return;
  }
  bsk_device_t *e = &t->dev[*p];
  while (e->chain != s) e = &t->dev[e->chain];
  e->chain = d->chain;
}

void bsk_table_clear(bsk_table_t *t) {
  for (size_t i = 0; i < BSK_TABLE_BUCKETS; i++) t->bucket[i] = BSK_NIL;
  for (uint16_t i = 0; i < BLESHARK_NANO_MAX_DEVICES; i++)
    t->dev[i].chain = i + 1u < BLESHARK_NANO_MAX_DEVICES ? (i + 1u) & BSK_NIL : BSK_NIL;
  t->free = 0;
  t->stalest = t->newest = BSK_NIL;
  t->count = 0;
}

void bsk_table_init(bsk_table_t *t, uint16_t max_devices, uint32_t hash_seed) {
  t->max = max_devices < 1 ? 1 : max_devices > BLESHARK_NANO_MAX_DEVICES ? BLESHARK_NANO_MAX_DEVICES
                                                                           : max_devices;
  t->next_id = 1;
  t->seed = hash_seed;
  t->evicted = 0;
  t->refused = 0;
  bsk_table_clear(t);
}

bsk_device_t *bsk_table_find(bsk_table_t *t, const uint8_t addr[6], uint8_t addr_type) {
  for (uint16_t s = t->bucket[bucket_of(t, addr, addr_type)]; s != BSK_NIL; s = t->dev[s].chain) {
    bsk_device_t *d = &t->dev[s];
    if (d->addr_type == addr_type && memcmp(d->addr, addr, 6) == 0) return d;
  }
  return NULL;
}

bsk_device_t *bsk_table_stalest(bsk_table_t *t) {
  return t->stalest == BSK_NIL ? NULL : &t->dev[t->stalest];
}

bsk_device_t *bsk_table_newer(bsk_table_t *t, const bsk_device_t *d) {
  return d->newer == BSK_NIL ? NULL : &t->dev[d->newer];
}

/* Stores a->data as the advertising data or scan response; true when the bytes changed. */
static bool store(bsk_device_t *d, const bsk_advert_t *a) {
  uint8_t len = (uint8_t)a->len;
  uint8_t flag = a->scan_rsp ? BSK_DEV_HAS_RSP : BSK_DEV_HAS_ADV;
  uint8_t *buf = a->scan_rsp ? d->rsp : d->adv;
  uint8_t *have = a->scan_rsp ? &d->rsp_len : &d->adv_len;
  bool same = (d->flags & flag) && *have == len && (len == 0 || memcmp(buf, a->data, len) == 0);
  if (len) memcpy(buf, a->data, len);
  *have = len;
  d->flags = (uint8_t)(d->flags | flag);
  return !same;
}

static int8_t clamp_rssi(int8_t v) {
  return v > BLESHARK_FILTER_MIN_RSSI_MAX ? (int8_t)BLESHARK_FILTER_MIN_RSSI_MAX : v < -127 ? -127 : v;
}

bsk_seen_t bsk_table_seen(bsk_table_t *t, const bsk_advert_t *a, uint32_t now_ms, bsk_device_t **dev,
                          uint32_t *evicted_id) {
  if (dev) *dev = NULL;
  if (evicted_id) *evicted_id = 0;
  if (a->len > BSK_AD_MAX || (a->len && !a->data) || a->addr_type > 1) {
    t->refused++;
    return BSK_SEEN_REFUSED;
  }
  bsk_device_t *d = bsk_table_find(t, a->addr, a->addr_type);
  if (d) {
    unlink_order(t, d);
    push_newest(t, d);
    bool changed = store(d, a);
    if (!a->scan_rsp) {
      uint8_t flags = a->conn ? (uint8_t)(d->flags | BSK_DEV_CONN) : (uint8_t)(d->flags & ~BSK_DEV_CONN);
      changed = changed || flags != d->flags;
      d->flags = flags;
      if (d->count < UINT32_MAX) d->count++;
    }
    d->rssi = clamp_rssi(a->rssi);
    if (now_ms > d->last) d->last = now_ms;
    if (dev) *dev = d;
    return changed ? BSK_SEEN_CHANGED : BSK_SEEN_SAME;
  }
  if (t->count >= t->max) {
    bsk_device_t *old = &t->dev[t->stalest];
    if (evicted_id) *evicted_id = old->id;
    unlink_order(t, old);
    unlink_index(t, old);
    old->chain = t->free & BSK_NIL;
    t->free = slot_of(t, old);
    t->count--;
    t->evicted++;
  }
  d = &t->dev[t->free];
  t->free = (uint16_t)d->chain;
  /* Every field set here (no memset): the AD bytes past their lengths are never read, and d->cl keeps
   * the clients' state of the slot's previous device for the core to settle (bsk_core_advert). */
  memcpy(d->addr, a->addr, 6);
  d->addr_type = a->addr_type;
  d->id = t->next_id;
  t->next_id = t->next_id >= MAX_ID ? 1 : t->next_id + 1;
  d->first = d->last = now_ms;
  d->count = 1;
  d->rssi = clamp_rssi(a->rssi);
  d->flags = !a->scan_rsp && a->conn ? BSK_DEV_CONN : 0u;
  d->adv_len = d->rsp_len = 0;
  store(d, a);
  uint32_t b = bucket_of(t, d->addr, d->addr_type);
  d->chain = t->bucket[b] & BSK_NIL;
  t->bucket[b] = slot_of(t, d);
  push_newest(t, d);
  t->count++;
  if (dev) *dev = d;
  return BSK_SEEN_NEW;
}
