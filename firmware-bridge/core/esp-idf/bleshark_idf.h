/*
 * bleshark_idf.h: the thin ESP-IDF glue around the BLEShark core (bleshark_core.h). It serves the page
 * packed by `bleshark-bridge pack` (bleshark_web_ui.h) and /scan/live with esp_http_server, feeds NimBLE
 * discovery reports to the core and pumps the core's frames out, all in the httpd task:
 *
 *   NimBLE host task --(BLE_GAP_EVENT_DISC, copied)--> ring --+
 *   esp_timer (every CONFIG_BLESHARK_PUMP_PERIOD_MS) --httpd_queue_work--> pump: drain ring, tick, frames
 *   httpd task: page GET, WebSocket frames --> core; the core's radio callbacks --> ble_gap_disc
 *
 * Every call into the core happens in the httpd task (the core's single-thread contract); the only
 * state shared across tasks is the ring and two atomic words.
 *
 * Memory: static only. Besides the core (sizeof(bsk_core_t)), the glue holds one outbound frame buffer
 * (BLESHARK_NANO_MAX_FRAME_BYTES), one inbound message buffer per client (BLESHARK_NANO_MAX_INBOUND_BYTES,
 * for reassembling fragments), the advert ring (48 B per slot, CONFIG_BLESHARK_ADV_RING slots) and a
 * 1.3 KB of scratch for headers: 12,740 bytes on RV32 (ILP32) at the Nano's limits (4 clients, 64
 * slots), measured as sizeof with riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32.
 *
 * Built only against stub SDK headers so far (esp-idf/stub/), not yet against ESP-IDF itself.
 */
#ifndef BLESHARK_IDF_H
#define BLESHARK_IDF_H

#include <stdint.h>

#include "esp_err.h"
#include "esp_http_server.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Names the device answers to in Host (DNS rebinding defence), NULL-terminated:
   * {"192.168.4.1", NULL} on the Nano's access point. Borrowed for the life of the server. */
  const char *const *hosts;
  /* Origins allowed besides same-origin, compared exactly ("http://tool.example:8080"), NULL-terminated,
   * or NULL for none. Borrowed for the life of the server. */
  const char *const *origins;
  /* Pairing token (at most 64 bytes), or NULL / "" for no pairing. Borrowed. */
  const char *token;
  /* The port the server listens on (httpd_config_t.server_port, 80 on the Nano). */
  uint16_t port;
  /* hello.device: model ("BLEShark Nano"), firmware version, Bluetooth address "aa:bb:cc:dd:ee:ff".
   * Borrowed for the life of the server. */
  const char *model, *firmware, *address;
  /* Start the default scan at once (as the simulator does), instead of waiting for scan-start. */
  bool scan_on_start;
} bsk_idf_config_t;

/*
 * Adjusts an httpd_config_t (start from HTTPD_DEFAULT_CONFIG()) for the glue: wildcard URI matching for
 * the page table, max_open_sockets = BLESHARK_NANO_MAX_CLIENTS + 3 (live clients, a page load, and one
 * spare to refuse a client over the limit with 1013; LWIP_MAX_SOCKETS must be >= this + 3),
 * max_resp_headers >= 10 (the security headers, ETag, Cache-Control, Vary, Content-Encoding),
 * send_wait_timeout 2 s (a send blocks the httpd task until the peer's TCP window has room: this bounds
 * what one stuck client costs every other), lru_purge_enable, and a 6 KB task stack (the core's filter
 * needs about 1.2 KB on top of httpd's own; not yet measured on the chip). Cost O(1).
 */
void bsk_idf_tune_httpd(httpd_config_t *config);

/*
 * Starts the glue on a running server (httpd_start with a config passed through bsk_idf_tune_httpd):
 * initialises the core (static storage), registers BLESHARK_ENDPOINT_PATH (WebSocket) and the wildcard path "/" "*" (the
 * packed files) and starts the pump timer. Call it once, after NimBLE has synced (e.g. from
 * ble_hs_cfg.sync_cb). `config` is copied; the strings it points to are borrowed. Returns ESP_OK,
 * ESP_ERR_INVALID_ARG (no hosts), ESP_ERR_INVALID_STATE (already started) or the SDK's error.
 * Cost O(BLESHARK_NANO_MAX_DEVICES) (core init); memory: static only.
 */
esp_err_t bsk_idf_start(httpd_handle_t server, const bsk_idf_config_t *config);

#ifdef __cplusplus
}
#endif

#endif
