/* Stub of ESP-IDF's esp_idf_version.h (components/esp_common/include): v6.0.2 unless overridden with -D.
 * Host compile only (see README.md). */
#ifndef BSK_STUB_ESP_IDF_VERSION_H
#define BSK_STUB_ESP_IDF_VERSION_H

#ifndef ESP_IDF_VERSION_MAJOR
#define ESP_IDF_VERSION_MAJOR 6
#endif
#ifndef ESP_IDF_VERSION_MINOR
#define ESP_IDF_VERSION_MINOR 0
#endif
#ifndef ESP_IDF_VERSION_PATCH
#define ESP_IDF_VERSION_PATCH 2
#endif

#define ESP_IDF_VERSION_VAL(major, minor, patch) (((major) << 16) | ((minor) << 8) | (patch))
#define ESP_IDF_VERSION ESP_IDF_VERSION_VAL(ESP_IDF_VERSION_MAJOR, ESP_IDF_VERSION_MINOR, ESP_IDF_VERSION_PATCH)

#endif
