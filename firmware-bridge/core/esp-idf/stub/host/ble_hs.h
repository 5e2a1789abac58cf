/* Stub of NimBLE's host/ble_hs.h (nimble-1.6.0-idf): the umbrella header the glue includes, with the few
 * host declarations it uses. Host compile only (see ../README.md). */
#ifndef BSK_STUB_HOST_BLE_HS_H
#define BSK_STUB_HOST_BLE_HS_H

#include <stdint.h>

#include "host/ble_gap.h"

#define BLE_HS_FOREVER INT32_MAX
#define BLE_HS_EALREADY 2

int ble_hs_synced(void);
int ble_hs_id_infer_auto(int privacy, uint8_t *out_addr_type);

#endif
