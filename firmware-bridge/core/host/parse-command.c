/*
 * bleshark-core-parse: reads one inbound frame from stdin (all of it, up to twice maxInboundBytes) and
 * prints one JSON line: {"ok":true,"msg":{...}} or {"ok":false,"code":"...","close":N[,"id":"..."]}.
 * The differential test feeds it every golden fixture and compares with parseUp. Exit 0 either way;
 * 2 when stdin cannot be read.
 */
#include <stdio.h>
#include <string.h>

#include "bleshark_core.h"

int main(void) {
  static uint8_t in[BLESHARK_NANO_MAX_INBOUND_BYTES * 2 + 1];
  static char out[4096];
  size_t n = fread(in, 1, sizeof in, stdin);
  bsk_cmd_t cmd;
  bsk_cmd_error_t err;
  bsk_json_t w;
  if (ferror(stdin)) {
    fputs("bleshark-core-parse: cannot read stdin\n", stderr);
    return 2;
  }
  bsk_json_init(&w, out, sizeof out);
  if (bsk_parse_command(in, n, &cmd, &err)) {
    bsk_json_lit(&w, "{\"ok\":true,\"msg\":");
    bsk_json_command(&w, &cmd);
  } else {
    bsk_json_lit(&w, "{\"ok\":false,\"code\":\"");
    bsk_json_lit(&w, err.code);
    bsk_json_lit(&w, "\",\"message\":");
    bsk_json_str(&w, (const uint8_t *)err.message, strlen(err.message), 0);
    bsk_json_lit(&w, ",\"close\":");
    bsk_json_int(&w, err.close);
    if (cmd.has_id) {
      bsk_json_lit(&w, ",\"id\":");
      bsk_json_str(&w, (const uint8_t *)cmd.id, cmd.id_len, BSK_JSON_WTF8);
    }
  }
  bsk_json_raw(&w, "}\n", 2);
  fwrite(out, 1, w.len, stdout);
  return w.truncated ? 2 : 0;
}
