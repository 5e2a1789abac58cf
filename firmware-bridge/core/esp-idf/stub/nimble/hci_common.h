/* Stub of NimBLE's nimble/hci_common.h (nimble-1.6.0-idf): the legacy advertising report event types.
 * Host compile only (see ../README.md). */
#ifndef BSK_STUB_NIMBLE_HCI_COMMON_H
#define BSK_STUB_NIMBLE_HCI_COMMON_H

#define BLE_HCI_ADV_RPT_EVTYPE_ADV_IND (0)
#define BLE_HCI_ADV_RPT_EVTYPE_DIR_IND (1)
#define BLE_HCI_ADV_RPT_EVTYPE_SCAN_IND (2)
#define BLE_HCI_ADV_RPT_EVTYPE_NONCONN_IND (3)
#define BLE_HCI_ADV_RPT_EVTYPE_SCAN_RSP (4)
#define BLE_HCI_ADV_LEGACY_MASK (0x10)

#endif
