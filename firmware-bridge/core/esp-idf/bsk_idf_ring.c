/* bsk_idf_ring.c: see bsk_idf_ring.h. */
#include "bsk_idf_ring.h"

#include <string.h>

void bsk_idf_ring_init(bsk_idf_ring_t *r) {
  memset(r->slot, 0, sizeof r->slot);
  atomic_store_explicit(&r->head, 0u, memory_order_relaxed);
  atomic_store_explicit(&r->tail, 0u, memory_order_relaxed);
  atomic_store_explicit(&r->drops, 0u, memory_order_relaxed);
  r->drops_seen = 0;
}

bool bsk_idf_ring_push(bsk_idf_ring_t *r, const bsk_idf_adv_t *a) {
  uint32_t head = (uint32_t)atomic_load_explicit(&r->head, memory_order_relaxed);
  uint32_t tail = (uint32_t)atomic_load_explicit(&r->tail, memory_order_acquire);
  if (head - tail >= BSK_IDF_RING_SLOTS) {
    uint32_t d = (uint32_t)atomic_load_explicit(&r->drops, memory_order_relaxed);
    atomic_store_explicit(&r->drops, d + 1u, memory_order_release);
    return false;
  }
  r->slot[head & (BSK_IDF_RING_SLOTS - 1u)] = *a;
  atomic_store_explicit(&r->head, head + 1u, memory_order_release);
  return true;
}

bool bsk_idf_ring_pop(bsk_idf_ring_t *r, bsk_idf_adv_t *out) {
  uint32_t tail = (uint32_t)atomic_load_explicit(&r->tail, memory_order_relaxed);
  uint32_t head = (uint32_t)atomic_load_explicit(&r->head, memory_order_acquire);
  if (head == tail) return false;
  *out = r->slot[tail & (BSK_IDF_RING_SLOTS - 1u)];
  atomic_store_explicit(&r->tail, tail + 1u, memory_order_release);
  return true;
}

uint32_t bsk_idf_ring_new_drops(bsk_idf_ring_t *r) {
  uint32_t d = (uint32_t)atomic_load_explicit(&r->drops, memory_order_acquire);
  uint32_t n = d - r->drops_seen;
  r->drops_seen = d;
  return n;
}

void bsk_idf_adv_to_core(const bsk_idf_adv_t *in, bsk_advert_t *out) {
  memcpy(out->addr, in->addr, sizeof out->addr);
  out->addr_type = in->addr_type;
  out->scan_rsp = (in->flags & BSK_IDF_ADV_SCAN_RSP) != 0u;
  out->conn = (in->flags & BSK_IDF_ADV_CONN) != 0u;
  out->rssi = in->rssi;
  out->data = in->data;
  out->len = in->len;
}
