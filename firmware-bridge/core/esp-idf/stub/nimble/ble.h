/* Stub of NimBLE's nimble/ble.h (Espressif fork, nimble-1.6.0-idf): the address type and the address
 * type values the BLEShark glue uses. Host compile only (see ../README.md). */
#ifndef BSK_STUB_NIMBLE_BLE_H
#define BSK_STUB_NIMBLE_BLE_H

#include <stdint.h>

#define BLE_ADDR_PUBLIC (0x00)
#define BLE_ADDR_RANDOM (0x01)
#define BLE_ADDR_PUBLIC_ID (0x02)
#define BLE_ADDR_RANDOM_ID (0x03)

typedef struct {
  uint8_t type;
  uint8_t val[6];
} ble_addr_t;

#endif
