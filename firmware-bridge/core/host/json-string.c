/*
 * bleshark-core-json-string: reads bytes from stdin (up to 64 KB) and prints them as one JSON string
 * through bsk_json_str, then a newline. The test compares JSON.parse of it with TextDecoder. Exit 2 when
 * stdin cannot be read or the output does not fit.
 */
#include <stdio.h>

#include "bleshark_core.h"

int main(void) {
  static uint8_t in[65536];
  static char out[65536 * 3 + 3];
  bsk_json_t w;
  size_t n = fread(in, 1, sizeof in, stdin);
  if (ferror(stdin)) return 2;
  bsk_json_init(&w, out, sizeof out);
  if (!bsk_json_str(&w, in, n, 0) || !bsk_json_raw(&w, "\n", 1)) return 2;
  fwrite(out, 1, w.len, stdout);
  return 0;
}
