/*
 * bsk_idf_ring.h: advertising reports copied out of the NimBLE host task into a fixed ring that the
 * httpd task drains (one producer, one consumer, no lock: C11 atomic loads and stores only, which the
 * ESP32-C3's rv32imc does with plain lw/sw and fences). When the ring is full a report is dropped and
 * counted; the consumer hands the count to bsk_core_drops. No heap, no SDK.
 */
#ifndef BSK_IDF_RING_H
#define BSK_IDF_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "bleshark_core.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef BSK_IDF_RING_SLOTS
#define BSK_IDF_RING_SLOTS 64u
#endif
#if (BSK_IDF_RING_SLOTS & (BSK_IDF_RING_SLOTS - 1u)) != 0u || BSK_IDF_RING_SLOTS < 2u
#error "BSK_IDF_RING_SLOTS must be a power of two >= 2"
#endif

/* bsk_idf_adv_t.flags */
#define BSK_IDF_ADV_SCAN_RSP 1u
#define BSK_IDF_ADV_CONN 2u

/*
 * One report as heard: 48 bytes. A payload longer than BSK_AD_MAX (only possible with extended
 * advertising) is kept as BSK_AD_MAX + 1 bytes, enough for the core to refuse and count it without
 * reading past the copy.
 */
typedef struct {
  uint32_t ms;       /* uptime ms when heard */
  uint8_t addr[6];   /* as written (aa first) */
  uint8_t addr_type; /* 0 public, 1 random */
  uint8_t flags;     /* BSK_IDF_ADV_* */
  int8_t rssi;
  uint8_t len;
  uint8_t data[BSK_AD_MAX + 1];
} bsk_idf_adv_t;

typedef struct {
  bsk_idf_adv_t slot[BSK_IDF_RING_SLOTS];
  atomic_uint_least32_t head;  /* written by the producer only: reports pushed */
  atomic_uint_least32_t tail;  /* written by the consumer only: reports popped */
  atomic_uint_least32_t drops; /* written by the producer only: reports dropped */
  uint32_t drops_seen;         /* consumer only */
} bsk_idf_ring_t;

/* Empties the ring. Call before either side runs. Cost O(1). */
void bsk_idf_ring_init(bsk_idf_ring_t *r);

/* Producer (NimBLE host task): copies *a in, or counts a drop and returns false when full. O(48 B). */
bool bsk_idf_ring_push(bsk_idf_ring_t *r, const bsk_idf_adv_t *a);

/* Consumer (httpd task): copies the oldest report into *out and returns true, or false when empty. */
bool bsk_idf_ring_pop(bsk_idf_ring_t *r, bsk_idf_adv_t *out);

/* Consumer: reports dropped since the previous call. Cost O(1). */
uint32_t bsk_idf_ring_new_drops(bsk_idf_ring_t *r);

/* The core's view of a report: `a` borrows out->data. Cost O(1). */
void bsk_idf_adv_to_core(const bsk_idf_adv_t *in, bsk_advert_t *out);

#ifdef __cplusplus
}
#endif

#endif
