/*
 * Stub of NimBLE's host/ble_gap.h (Espressif fork, nimble-1.6.0-idf): discovery only, with the fork's
 * signatures and field names. struct ble_gap_event keeps only the union members the glue reads (disc,
 * ext_disc, disc_complete); the real union has many more, so never rely on its size here. The extended
 * report exists in the SDK only with CONFIG_BT_NIMBLE_EXT_ADV, as here. Host compile only.
 */
#ifndef BSK_STUB_HOST_BLE_GAP_H
#define BSK_STUB_HOST_BLE_GAP_H

#include <stdint.h>

#include "sdkconfig.h"

#include "nimble/ble.h"
#include "nimble/hci_common.h"

#define BLE_GAP_EVENT_DISC 7
#define BLE_GAP_EVENT_DISC_COMPLETE 8
#define BLE_GAP_EVENT_EXT_DISC 19

struct ble_gap_disc_params {
  uint16_t itvl;   /* 0.625 ms units */
  uint16_t window; /* 0.625 ms units */
  uint8_t filter_policy;
  uint8_t limited : 1;
  uint8_t passive : 1;
  uint8_t filter_duplicates : 1;
};

struct ble_gap_disc_desc {
  uint8_t event_type; /* BLE_HCI_ADV_RPT_EVTYPE_* */
  uint8_t length_data;
  ble_addr_t addr;
  int8_t rssi; /* dBm, 127 when unavailable */
  const uint8_t *data;
  ble_addr_t direct_addr;
};

#if CONFIG_BT_NIMBLE_EXT_ADV
struct ble_gap_ext_disc_desc {
  uint8_t props; /* BLE_HCI_ADV_*_MASK */
  uint8_t data_status;
  uint8_t legacy_event_type; /* BLE_HCI_ADV_RPT_EVTYPE_*, when props has BLE_HCI_ADV_LEGACY_MASK */
  ble_addr_t addr;
  int8_t rssi;
  int8_t tx_power;
  uint8_t sid;
  uint8_t prim_phy;
  uint8_t sec_phy;
  uint8_t length_data;
  const uint8_t *data;
  ble_addr_t direct_addr;
};
#endif

struct ble_gap_event {
  uint8_t type;
  union {
    struct ble_gap_disc_desc disc;
#if CONFIG_BT_NIMBLE_EXT_ADV
    struct ble_gap_ext_disc_desc ext_disc;
#endif
    struct {
      int reason;
    } disc_complete;
  };
};

typedef int ble_gap_event_fn(struct ble_gap_event *event, void *arg);

int ble_gap_disc(uint8_t own_addr_type, int32_t duration_ms, const struct ble_gap_disc_params *disc_params,
                 ble_gap_event_fn *cb, void *cb_arg);
int ble_gap_disc_cancel(void);
int ble_gap_disc_active(void);

#endif
