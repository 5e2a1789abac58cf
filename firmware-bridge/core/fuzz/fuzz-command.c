/*
 * fuzz-command: bsk_parse_command on arbitrary bytes (an inbound text frame from a hostile page).
 *
 * Invariants checked on every input, beyond "no sanitizer report":
 * - the outcome is deterministic and the transport rules hold: over maxInboundBytes -> too-large + 1009;
 *   not UTF-8 (our own decoder, which must agree with bsk_utf8_valid) -> invalid-json + 1007; every
 *   other refusal has close 0 and a code from the documented set, and a non-empty UTF-8 message;
 * - differential on the JSON grammar: the parser says invalid-json exactly when our own RFC 8259
 *   validator finds no JSON object; unknown-type and invalid-field only for valid objects;
 * - an accepted command is within its schema (type, id of 1..32 UTF-16 units, ranges, window <= interval,
 *   filter caps), the fields of other types are zero, and bsk_json_command writes it as valid UTF-8 JSON
 *   that parses back to the same command and writes out byte for byte the same again;
 * - an echoed id on a refusal is 1..32 UTF-16 units of WTF-8.
 */
#include "fuzz-common.h"

#define OUT_CAP 4096

static const char *const CODES[] = {
#define FZ_CODE(c) c,
    BLESHARK_FOR_EACH_ERROR_CODE(FZ_CODE)
#undef FZ_CODE
};

static bool documented_code(const char *code) {
  size_t k;
  for (k = 0; k < sizeof CODES / sizeof CODES[0]; k++)
    if (code && strcmp(code, CODES[k]) == 0) return true;
  return false;
}

/* UTF-16 units of WTF-8 text (already known to decode). */
static size_t utf16_units(const uint8_t *s, size_t n) {
  size_t i = 0, units = 0;
  while (i < n) {
    uint32_t cp;
    size_t k = fz_utf8_decode(s + i, n - i, &cp, true);
    FZ_CHECK(k > 0);
    units += cp >= 0x10000u ? 2u : 1u;
    i += k;
  }
  return units;
}

static bool same_filter(const bsk_filter_t *a, const bsk_filter_t *b) {
  return a->has_text == b->has_text && a->has_min_rssi == b->has_min_rssi && a->has_company == b->has_company &&
         a->has_service == b->has_service && a->has_connectable == b->has_connectable &&
         a->has_named == b->has_named && a->has_exclude == b->has_exclude && a->connectable == b->connectable &&
         a->named == b->named && a->min_rssi == b->min_rssi && a->company == b->company &&
         a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0 &&
         a->service_len == b->service_len && memcmp(a->service, b->service, a->service_len) == 0 &&
         a->exclude_count == b->exclude_count &&
         memcmp(a->exclude, b->exclude, a->exclude_count * sizeof a->exclude[0]) == 0;
}

static bool same_command(const bsk_cmd_t *a, const bsk_cmd_t *b) {
  return a->type == b->type && a->has_id == b->has_id && a->id_len == b->id_len &&
         memcmp(a->id, b->id, a->id_len) == 0 && a->has_mode == b->has_mode && a->passive == b->passive &&
         a->has_interval == b->has_interval && a->interval == b->interval && a->has_window == b->has_window &&
         a->window == b->window && a->has_duration == b->has_duration && a->duration == b->duration &&
         a->has_duplicates == b->has_duplicates && a->duplicates == b->duplicates &&
         same_filter(&a->filter, &b->filter);
}

static bool filter_is_empty(const bsk_filter_t *f) {
  return !f->has_text && !f->has_min_rssi && !f->has_company && !f->has_service && !f->has_connectable &&
         !f->has_named && !f->has_exclude && f->text_len == 0 && f->service_len == 0 && f->exclude_count == 0;
}

static bool service_shape(const char *p, size_t n) {
  size_t k;
  if (n != 4 && n != 8 && n != 36) return false;
  for (k = 0; k < n; k++) {
    bool dash = n == 36 && (k == 8 || k == 13 || k == 18 || k == 23);
    if (dash ? p[k] != '-' : fz_hex((uint8_t)p[k]) < 0) return false;
  }
  return true;
}

static void check_id(const bsk_cmd_t *cmd) {
  size_t units;
  FZ_CHECK(cmd->id_len <= sizeof cmd->id);
  FZ_CHECK(fz_utf8_valid((const uint8_t *)cmd->id, cmd->id_len, true));
  units = utf16_units((const uint8_t *)cmd->id, cmd->id_len);
  FZ_CHECK(units >= 1 && units <= BLESHARK_PROTOCOL_MAX_ID_LENGTH);
}

static void check_schema(const bsk_cmd_t *cmd) {
  const bsk_filter_t *f = &cmd->filter;
  FZ_CHECK(cmd->type >= BSK_CMD_SCAN_START && cmd->type <= BSK_CMD_CLEAR);
  if (cmd->has_id) check_id(cmd);
  else FZ_CHECK(cmd->id_len == 0);
  if (cmd->type == BSK_CMD_SCAN_START) {
    if (cmd->has_interval)
      FZ_CHECK(cmd->interval >= BLESHARK_SCAN_TIMING_MIN_MS && cmd->interval <= BLESHARK_SCAN_TIMING_MAX_MS);
    if (cmd->has_window)
      FZ_CHECK(cmd->window >= BLESHARK_SCAN_TIMING_MIN_MS && cmd->window <= BLESHARK_SCAN_TIMING_MAX_MS);
    if (cmd->has_interval && cmd->has_window) FZ_CHECK(cmd->window <= cmd->interval);
    if (cmd->has_duration) FZ_CHECK(cmd->duration <= BLESHARK_PROTOCOL_MAX_DURATION_S);
    if (!cmd->has_mode) FZ_CHECK(!cmd->passive);
    if (!cmd->has_interval) FZ_CHECK(cmd->interval == 0);
    if (!cmd->has_window) FZ_CHECK(cmd->window == 0);
    if (!cmd->has_duration) FZ_CHECK(cmd->duration == 0);
    if (!cmd->has_duplicates) FZ_CHECK(!cmd->duplicates);
  } else {
    FZ_CHECK(!cmd->has_mode && !cmd->passive && !cmd->has_interval && !cmd->has_window && !cmd->has_duration &&
             !cmd->has_duplicates && !cmd->duplicates && cmd->interval == 0 && cmd->window == 0 &&
             cmd->duration == 0);
  }
  if (cmd->type != BSK_CMD_FILTER) {
    FZ_CHECK(filter_is_empty(f));
    return;
  }
  if (f->has_text) {
    FZ_CHECK(f->text_len <= sizeof f->text);
    FZ_CHECK(fz_utf8_valid((const uint8_t *)f->text, f->text_len, true));
    FZ_CHECK(utf16_units((const uint8_t *)f->text, f->text_len) <= BLESHARK_FILTER_TEXT_MAX_LEN);
  } else {
    FZ_CHECK(f->text_len == 0);
  }
  if (f->has_min_rssi)
    FZ_CHECK(f->min_rssi >= BLESHARK_FILTER_MIN_RSSI_MIN && f->min_rssi <= BLESHARK_FILTER_MIN_RSSI_MAX);
  if (f->has_service) FZ_CHECK(service_shape(f->service, f->service_len));
  else FZ_CHECK(f->service_len == 0);
  FZ_CHECK(f->exclude_count <= BLESHARK_FILTER_EXCLUDE_MAX_ITEMS);
  if (!f->has_exclude) FZ_CHECK(f->exclude_count == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char out[OUT_CAP], again[OUT_CAP];
  bsk_cmd_t cmd, cmd2;
  bsk_cmd_error_t err, err2;
  bsk_json_t w, w2;
  uint8_t first = 0;
  bool ok = bsk_parse_command(data, size, &cmd, &err);
  bool utf8 = fz_utf8_valid(data, size, false);
  bool object = utf8 && fz_json_valid(data, size, &first) && first == '{';

  /* Deterministic, and our UTF-8 decoder agrees with the core's. */
  FZ_CHECK(bsk_parse_command(data, size, &cmd2, &err2) == ok);
  FZ_CHECK(bsk_utf8_valid(data, size) == utf8);

  if (!ok) {
    FZ_CHECK(documented_code(err.code));
    FZ_CHECK(err.message != NULL && err.message[0] != '\0');
    FZ_CHECK(bsk_utf8_valid((const uint8_t *)err.message, strlen(err.message)));
    FZ_CHECK(strcmp(err.code, err2.code) == 0 && err.close == err2.close);
    if (size > BLESHARK_NANO_MAX_INBOUND_BYTES) {
      FZ_CHECK(strcmp(err.code, BLESHARK_ERR_TOO_LARGE) == 0 && err.close == BLESHARK_CLOSE_TOO_BIG);
      return 0;
    }
    if (!utf8) {
      FZ_CHECK(strcmp(err.code, BLESHARK_ERR_INVALID_JSON) == 0 && err.close == BLESHARK_CLOSE_INVALID_PAYLOAD);
      return 0;
    }
    FZ_CHECK(err.close == 0);
    /* Grammar differential: invalid-json exactly when there is no JSON object. */
    FZ_CHECK((strcmp(err.code, BLESHARK_ERR_INVALID_JSON) == 0) == !object);
    FZ_CHECK(strcmp(err.code, BLESHARK_ERR_INVALID_JSON) == 0 || strcmp(err.code, BLESHARK_ERR_UNKNOWN_TYPE) == 0 ||
             strcmp(err.code, BLESHARK_ERR_INVALID_FIELD) == 0);
    if (cmd.has_id) check_id(&cmd);
    return 0;
  }

  FZ_CHECK(size <= BLESHARK_NANO_MAX_INBOUND_BYTES && object);
  FZ_CHECK(same_command(&cmd, &cmd2));
  check_schema(&cmd);

  /* Written back: valid UTF-8 JSON, parses to the same command, and is a fixed point of write(parse()). */
  bsk_json_init(&w, out, sizeof out);
  FZ_CHECK(bsk_json_command(&w, &cmd) && !w.truncated);
  FZ_CHECK(w.len <= BLESHARK_NANO_MAX_INBOUND_BYTES);
  FZ_CHECK(fz_utf8_valid((const uint8_t *)out, w.len, false));
  FZ_CHECK(fz_json_valid((const uint8_t *)out, w.len, &first) && first == '{');
  FZ_CHECK(bsk_parse_command((const uint8_t *)out, w.len, &cmd2, &err2));
  FZ_CHECK(same_command(&cmd, &cmd2));
  bsk_json_init(&w2, again, sizeof again);
  FZ_CHECK(bsk_json_command(&w2, &cmd2));
  FZ_CHECK(w2.len == w.len && memcmp(out, again, w.len) == 0);
  return 0;
}
