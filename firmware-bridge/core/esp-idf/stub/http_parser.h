/* Stub of the http_parser.h that esp_http_server uses: the methods the BLEShark glue names, with the
 * library's values. Host compile only (see README.md). */
#ifndef BSK_STUB_HTTP_PARSER_H
#define BSK_STUB_HTTP_PARSER_H

enum http_method {
  HTTP_DELETE = 0,
  HTTP_GET = 1,
  HTTP_HEAD = 2,
  HTTP_POST = 3,
  HTTP_PUT = 4
};

#endif
