/* Stub sdkconfig.h for compiling the BLEShark ESP-IDF glue on the host (see README.md). Every option can
 * be overridden with -D. The values are what a BLEShark Nano build would set. */
#ifndef BSK_STUB_SDKCONFIG_H
#define BSK_STUB_SDKCONFIG_H

#ifndef CONFIG_HTTPD_WS_SUPPORT
#define CONFIG_HTTPD_WS_SUPPORT 1
#endif
#ifndef CONFIG_HTTPD_WS_PRE_HANDSHAKE_CB_SUPPORT
#define CONFIG_HTTPD_WS_PRE_HANDSHAKE_CB_SUPPORT 1
#endif
#ifndef CONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT
#define CONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT 1
#endif
#ifndef CONFIG_HTTPD_MAX_URI_LEN
#define CONFIG_HTTPD_MAX_URI_LEN 512
#endif
#ifndef CONFIG_HTTPD_MAX_REQ_HDR_LEN
#define CONFIG_HTTPD_MAX_REQ_HDR_LEN 1024
#endif
#ifndef CONFIG_BT_NIMBLE_ENABLED
#define CONFIG_BT_NIMBLE_ENABLED 1
#endif
#ifndef CONFIG_BT_NIMBLE_EXT_ADV
#define CONFIG_BT_NIMBLE_EXT_ADV 0
#endif

/* The component's own Kconfig (firmware-bridge/core/Kconfig), at its defaults. */
#ifndef CONFIG_BLESHARK_MAX_DEVICES
#define CONFIG_BLESHARK_MAX_DEVICES 512
#endif
#ifndef CONFIG_BLESHARK_ADV_RING
#define CONFIG_BLESHARK_ADV_RING 64
#endif
#ifndef CONFIG_BLESHARK_PUMP_PERIOD_MS
#define CONFIG_BLESHARK_PUMP_PERIOD_MS 20
#endif
#ifndef CONFIG_BLESHARK_FRAMES_PER_PUMP
#define CONFIG_BLESHARK_FRAMES_PER_PUMP 4
#endif

#endif
