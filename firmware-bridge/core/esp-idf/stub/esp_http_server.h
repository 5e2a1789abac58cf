/*
 * Stub of ESP-IDF's esp_http_server.h (components/esp_http_server/include), v6.0.2: the types and the
 * functions the BLEShark glue uses, with the SDK's signatures, field names and field types, and the
 * same #if guards on the WebSocket members. Written for compiling the glue on the host; nothing here is
 * implemented (see README.md).
 */
#ifndef BSK_STUB_ESP_HTTP_SERVER_H
#define BSK_STUB_ESP_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h> /* ssize_t, as newlib provides it on the chip */

#include "esp_err.h"
#include "freertos/FreeRTOS.h"
#include "http_parser.h"
#include "sdkconfig.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ESP_ERR_HTTPD_BASE (0xb000)
#define ESP_ERR_HTTPD_RESULT_TRUNC (ESP_ERR_HTTPD_BASE + 4)

#define HTTPD_RESP_USE_STRLEN -1

/* ---- server, configuration ---- */

typedef void *httpd_handle_t;
typedef enum http_method httpd_method_t;
typedef void (*httpd_free_ctx_fn_t)(void *ctx);
typedef esp_err_t (*httpd_open_func_t)(httpd_handle_t hd, int sockfd);
typedef void (*httpd_close_func_t)(httpd_handle_t hd, int sockfd);
typedef bool (*httpd_uri_match_func_t)(const char *reference_uri, const char *uri_to_match, size_t match_upto);

typedef struct httpd_config {
  unsigned task_priority;
  size_t stack_size;
  BaseType_t core_id;
  uint32_t task_caps;
  size_t max_req_hdr_len;
  size_t max_uri_len;
  uint16_t server_port;
  uint16_t ctrl_port;
  uint16_t max_open_sockets;
  uint16_t max_uri_handlers;
  uint16_t max_resp_headers;
  uint16_t backlog_conn;
  bool lru_purge_enable;
  uint16_t recv_wait_timeout;
  uint16_t send_wait_timeout;
  void *global_user_ctx;
  httpd_free_ctx_fn_t global_user_ctx_free_fn;
  void *global_transport_ctx;
  httpd_free_ctx_fn_t global_transport_ctx_free_fn;
  bool enable_so_linger;
  int linger_timeout;
  bool keep_alive_enable;
  int keep_alive_idle;
  int keep_alive_interval;
  int keep_alive_count;
  httpd_open_func_t open_fn;
  httpd_close_func_t close_fn;
  httpd_uri_match_func_t uri_match_fn;
} httpd_config_t;

/* ---- requests, URI handlers ---- */

typedef struct httpd_req {
  httpd_handle_t handle;
  int method;
  const char uri[CONFIG_HTTPD_MAX_URI_LEN + 1];
  size_t content_len;
  void *aux;
  void *user_ctx;
  void *sess_ctx;
  httpd_free_ctx_fn_t free_ctx;
  bool ignore_sess_ctx_changes;
} httpd_req_t;

typedef struct httpd_uri {
  const char *uri;
  httpd_method_t method;
  esp_err_t (*handler)(httpd_req_t *r);
  void *user_ctx;
#if CONFIG_HTTPD_WS_SUPPORT
  bool is_websocket;
  bool handle_ws_control_frames;
  const char *supported_subprotocol;
#if CONFIG_HTTPD_WS_PRE_HANDSHAKE_CB_SUPPORT
  esp_err_t (*ws_pre_handshake_cb)(httpd_req_t *req);
#endif
#if CONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT
  esp_err_t (*ws_post_handshake_cb)(httpd_req_t *req);
#endif
#endif
} httpd_uri_t;

esp_err_t httpd_register_uri_handler(httpd_handle_t handle, const httpd_uri_t *uri_handler);
bool httpd_uri_match_wildcard(const char *uri_template, const char *uri_to_match, size_t match_upto);

int httpd_req_to_sockfd(httpd_req_t *r);
esp_err_t httpd_req_get_hdr_value_str(httpd_req_t *r, const char *field, char *val, size_t val_size);
esp_err_t httpd_req_get_url_query_str(httpd_req_t *r, char *buf, size_t buf_len);
esp_err_t httpd_query_key_value(const char *qry, const char *key, char *val, size_t val_size);
esp_err_t httpd_req_get_cookie_val(httpd_req_t *req, const char *cookie_name, char *val, size_t *val_size);

esp_err_t httpd_resp_send(httpd_req_t *r, const char *buf, ssize_t buf_len);
esp_err_t httpd_resp_set_status(httpd_req_t *r, const char *status);
esp_err_t httpd_resp_set_type(httpd_req_t *r, const char *type);
esp_err_t httpd_resp_set_hdr(httpd_req_t *r, const char *field, const char *value);

/* ---- sessions, work queue ---- */

esp_err_t httpd_sess_trigger_close(httpd_handle_t handle, int sockfd);

typedef void (*httpd_work_fn_t)(void *arg);
esp_err_t httpd_queue_work(httpd_handle_t handle, httpd_work_fn_t work, void *arg);

/* ---- WebSocket ---- */

#if CONFIG_HTTPD_WS_SUPPORT
typedef enum {
  HTTPD_WS_TYPE_CONTINUE = 0x0,
  HTTPD_WS_TYPE_TEXT = 0x1,
  HTTPD_WS_TYPE_BINARY = 0x2,
  HTTPD_WS_TYPE_CLOSE = 0x8,
  HTTPD_WS_TYPE_PING = 0x9,
  HTTPD_WS_TYPE_PONG = 0xA
} httpd_ws_type_t;

typedef enum {
  HTTPD_WS_CLIENT_INVALID = 0x0,
  HTTPD_WS_CLIENT_HTTP = 0x1,
  HTTPD_WS_CLIENT_WEBSOCKET = 0x2
} httpd_ws_client_info_t;

typedef struct httpd_ws_frame {
  bool final;
  bool fragmented;
  httpd_ws_type_t type;
  uint8_t *payload;
  size_t len;
} httpd_ws_frame_t;

esp_err_t httpd_ws_recv_frame(httpd_req_t *req, httpd_ws_frame_t *pkt, size_t max_len);
esp_err_t httpd_ws_send_frame_async(httpd_handle_t hd, int fd, httpd_ws_frame_t *frame);
httpd_ws_client_info_t httpd_ws_get_fd_info(httpd_handle_t hd, int fd);
#endif

#ifdef __cplusplus
}
#endif

#endif
