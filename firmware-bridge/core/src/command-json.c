/* A parsed command written back as JSON (what parseUp returns with unknown keys dropped): tests and logs. */
#include "bleshark_core.h"

static void key(bsk_json_t *w, const char *name) {
  bsk_json_raw(w, ",\"", 2);
  bsk_json_lit(w, name);
  bsk_json_raw(w, "\":", 2);
}

static void boolean(bsk_json_t *w, const char *name, bool v) {
  key(w, name);
  bsk_json_lit(w, v ? "true" : "false");
}

static void filter(bsk_json_t *w, const bsk_filter_t *f) {
  size_t mark = w->len;
  uint8_t i;
  bsk_json_raw(w, "{", 1);
  if (f->has_text) {
    key(w, BLESHARK_FIELD_TEXT);
    bsk_json_str(w, (const uint8_t *)f->text, f->text_len, BSK_JSON_WTF8);
  }
  if (f->has_min_rssi) {
    key(w, BLESHARK_FIELD_MIN_RSSI);
    bsk_json_int(w, f->min_rssi);
  }
  if (f->has_company) {
    key(w, BLESHARK_FIELD_COMPANY);
    bsk_json_int(w, f->company);
  }
  if (f->has_service) {
    key(w, BLESHARK_FIELD_SERVICE);
    bsk_json_str(w, (const uint8_t *)f->service, f->service_len, 0);
  }
  if (f->has_connectable) boolean(w, BLESHARK_FIELD_CONNECTABLE, f->connectable);
  if (f->has_named) boolean(w, BLESHARK_FIELD_NAMED, f->named);
  if (f->has_exclude) {
    key(w, BLESHARK_FIELD_EXCLUDE);
    bsk_json_raw(w, "[", 1);
    for (i = 0; i < f->exclude_count; i++) {
      if (i > 0) bsk_json_raw(w, ",", 1);
      bsk_json_int(w, f->exclude[i]);
    }
    bsk_json_raw(w, "]", 1);
  }
  /* Every member was written with a leading comma: the first one's becomes the brace. */
  if (w->len > mark + 1 && !w->truncated) {
    size_t i2;
    for (i2 = mark + 1; i2 + 1 < w->len; i2++) w->buf[i2] = w->buf[i2 + 1];
    w->len--;
  }
  bsk_json_raw(w, "}", 1);
}

bool bsk_json_command(bsk_json_t *w, const bsk_cmd_t *cmd) {
  static const char *const NAMES[] = {"", BLESHARK_MSG_SCAN_START, BLESHARK_MSG_SCAN_STOP, BLESHARK_MSG_FILTER,
                                      BLESHARK_MSG_SNAPSHOT_REQUEST, BLESHARK_MSG_CLEAR};
  bsk_json_lit(w, "{\"" BLESHARK_FIELD_TYPE "\":\"");
  bsk_json_lit(w, NAMES[cmd->type]);
  bsk_json_raw(w, "\"", 1);
  if (cmd->has_id) {
    key(w, BLESHARK_FIELD_ID);
    bsk_json_str(w, (const uint8_t *)cmd->id, cmd->id_len, BSK_JSON_WTF8);
  }
  if (cmd->type == BSK_CMD_SCAN_START) {
    if (cmd->has_mode) {
      key(w, BLESHARK_FIELD_MODE);
      bsk_json_lit(w, cmd->passive ? "\"passive\"" : "\"active\"");
    }
    if (cmd->has_interval) {
      key(w, BLESHARK_FIELD_INTERVAL);
      bsk_json_int(w, cmd->interval);
    }
    if (cmd->has_window) {
      key(w, BLESHARK_FIELD_WINDOW);
      bsk_json_int(w, cmd->window);
    }
    if (cmd->has_duration) {
      key(w, BLESHARK_FIELD_DURATION);
      bsk_json_int(w, cmd->duration);
    }
    if (cmd->has_duplicates) boolean(w, BLESHARK_FIELD_DUPLICATES, cmd->duplicates);
  }
  if (cmd->type == BSK_CMD_FILTER) {
    key(w, BLESHARK_FIELD_FILTER);
    filter(w, &cmd->filter);
  }
  bsk_json_raw(w, "}", 1);
  return !w->truncated;
}
