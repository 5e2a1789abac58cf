/*
 * fuzz-number: the parser's integer fields against the C library's strtod. The input, when it is one
 * JSON number literal, becomes the value of duration (0..86400), interval (3..10240) and filter.minRssi
 * (-127..20) in an otherwise valid command. JSON.parse rounds the decimal to the nearest double, and
 * the schema then wants an integer in range; the core decides that without floating point, and glibc's
 * strtod rounds correctly (to nearest, ties to even, as JSON.parse), so the two must agree: accepted
 * exactly when strtod gives an integer in range, and then with that value.
 *
 * The one documented approximation of the core (a literal between 1e-324 and 1e-323 that matches
 * 2^-1075 in its first 40 digits) is excluded: in that band only agreement on the answer's range is
 * checked. Inputs that are not a single number literal return at once.
 */
#include <math.h>

#include "fuzz-common.h"

#define FRAME_CAP BLESHARK_NANO_MAX_INBOUND_BYTES

typedef struct {
  const char *head, *tail;
  double min, max;
} field_t;

static const field_t FIELDS[] = {
    {"{\"type\":\"scan-start\",\"duration\":", "}", 0, BLESHARK_PROTOCOL_MAX_DURATION_S},
    {"{\"type\":\"scan-start\",\"interval\":", "}", BLESHARK_SCAN_TIMING_MIN_MS, BLESHARK_SCAN_TIMING_MAX_MS},
    {"{\"type\":\"filter\",\"filter\":{\"minRssi\":", "}}", BLESHARK_FILTER_MIN_RSSI_MIN,
     BLESHARK_FILTER_MIN_RSSI_MAX},
};

static int32_t parsed_value(const bsk_cmd_t *cmd, size_t field) {
  if (field == 0) return (int32_t)cmd->duration;
  if (field == 1) return cmd->interval;
  return cmd->filter.min_rssi;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char literal[FRAME_CAP + 1];
  static uint8_t frame[FRAME_CAP];
  size_t end = 0, k;
  double v;
  long double wide;
  bool tiny;
  if (size == 0 || size > FRAME_CAP - 64 || !fz_json_number(data, size, &end) || end != size) return 0;
  memcpy(literal, data, size);
  literal[size] = '\0';
  v = strtod(literal, NULL);
  wide = strtold(literal, NULL);
  tiny = wide != 0.0L && fabsl(wide) < 1e-323L;
  for (k = 0; k < sizeof FIELDS / sizeof FIELDS[0]; k++) {
    const field_t *f = &FIELDS[k];
    size_t h = strlen(f->head), t = strlen(f->tail), n = h + size + t;
    bsk_cmd_t cmd;
    bsk_cmd_error_t err;
    bool want = isfinite(v) && floor(v) == v && v >= f->min && v <= f->max;
    bool got;
    memcpy(frame, f->head, h);
    memcpy(frame + h, data, size);
    memcpy(frame + h + size, f->tail, t);
    got = bsk_parse_command(frame, n, &cmd, &err);
    if (!got) FZ_CHECK(strcmp(err.code, BLESHARK_ERR_INVALID_FIELD) == 0 && err.close == 0);
    if (tiny && got != want) {
      /* The documented band: a tiny literal read as 0 or as the smallest double, never anything else. */
      FZ_CHECK(!got || parsed_value(&cmd, k) == 0);
      continue;
    }
    if (got != want) fprintf(stderr, "literal %s: strtod %.17g, core %s\n", literal, v, got ? "accepted" : "refused");
    FZ_CHECK(got == want);
    if (got) FZ_CHECK((double)parsed_value(&cmd, k) == v);
  }
  return 0;
}
