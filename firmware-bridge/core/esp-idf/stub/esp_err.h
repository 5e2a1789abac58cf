/* Stub of ESP-IDF's esp_err.h (components/esp_common/include), v6.0.2: the type and the codes the
 * BLEShark glue uses. Host compile only (see README.md). */
#ifndef BSK_STUB_ESP_ERR_H
#define BSK_STUB_ESP_ERR_H

typedef int esp_err_t;

#define ESP_OK 0
#define ESP_FAIL -1
#define ESP_ERR_NO_MEM 0x101
#define ESP_ERR_INVALID_ARG 0x102
#define ESP_ERR_INVALID_STATE 0x103
#define ESP_ERR_INVALID_SIZE 0x104
#define ESP_ERR_NOT_FOUND 0x105

#endif
