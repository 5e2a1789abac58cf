/* Stub of the one FreeRTOS type esp_http_server.h's httpd_config_t needs (RISC-V port: int). Host only. */
#ifndef BSK_STUB_FREERTOS_H
#define BSK_STUB_FREERTOS_H

typedef int BaseType_t;

#endif
