/* Stub of ESP-IDF's esp_random.h (components/esp_hw_support/include), v6.0.2. Host compile only. */
#ifndef BSK_STUB_ESP_RANDOM_H
#define BSK_STUB_ESP_RANDOM_H

#include <stdint.h>

uint32_t esp_random(void);

#endif
