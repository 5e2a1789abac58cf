// bleshark_web_ui.h: declarations only. The bytes are defined once, in bleshark_web_ui.c.
import { cComment, cInt, cString } from '../c-text.js';
import { pageCsp, pageCspParts } from './flash-recipe.js';
import type { WebBundle } from './web-bundle.js';
import { webUiBanner } from './web-ui-banner.js';

export const WEB_UI_HEADER_FILE = 'bleshark_web_ui.h';

/** The page's Content-Security-Policy macros: the very text the simulator sends (flash-recipe's pageCsp). */
function cspMacros(b: WebBundle): string {
  const n = b.pageScripts.length;
  const csp = pageCspParts(b.pageScripts);
  const scripts =
    n === 0
      ? "the page has no inline scripts, so script-src is 'self' alone and BLESHARK_WEB_UI_SCRIPT_SRC is empty."
      : `its ${n === 1 ? 'inline script is' : `${n} inline scripts are`} allowed by hash, not by ` +
        "'unsafe-inline'; BLESHARK_WEB_UI_SCRIPT_SRC holds the hash sources alone (space-separated, for " +
        "script-src after 'self').";
  return `${cComment(
    `The page's Content-Security-Policy, the text the simulator sends: ${scripts} A server that knows ` +
      'the request\'s Host is its own sends BLESHARK_WEB_UI_CSP_HEAD " ws://HOST wss://HOST" ' +
      'BLESHARK_WEB_UI_CSP_TAIL; otherwise BLESHARK_WEB_UI_CSP (HEAD then TAIL).',
  )}
#define BLESHARK_WEB_UI_SCRIPT_SRC ${cString(b.pageScripts.join(' '))}
#define BLESHARK_WEB_UI_CSP_HEAD ${cString(csp.head)}
#define BLESHARK_WEB_UI_CSP_TAIL ${cString(csp.tail)}
#define BLESHARK_WEB_UI_CSP ${cString(pageCsp(b.pageScripts))}`;
}

export function emitWebUiHeader(b: WebBundle): string {
  const p = b.page;
  return `${webUiBanner(WEB_UI_HEADER_FILE, b)}
#ifndef BLESHARK_WEB_UI_H
#define BLESHARK_WEB_UI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The protocol the page speaks; compare with BLESHARK_PROTOCOL_VERSION in bleshark_protocol.h. */
#define BLESHARK_WEB_UI_PROTOCOL_VERSION ${cInt(b.protocol.version)}
#define BLESHARK_WEB_UI_SCHEMA_HASH ${cString(b.protocol.schemaHash)}

/* Every entry is gzip: send "Content-Encoding: gzip" with it. */
#define BLESHARK_WEB_CONTENT_ENCODING "gzip"
/* Revalidate on every load; answer 304 when If-None-Match equals the ETag. */
#define BLESHARK_WEB_CACHE_CONTROL "no-cache"

${cComment(`The page: ${p.path}, ${p.raw.length} bytes raw, ${p.gzip.length} bytes gzipped.`)}
#define BLESHARK_WEB_UI_PATH ${cString(p.path)}
#define BLESHARK_WEB_UI_RAW_LEN ${p.raw.length}u
#define BLESHARK_WEB_UI_GZ_LEN ${p.gzip.length}u
#define BLESHARK_WEB_UI_CONTENT_TYPE ${cString(p.contentType)}
#define BLESHARK_WEB_UI_CONTENT_ENCODING BLESHARK_WEB_CONTENT_ENCODING
#define BLESHARK_WEB_UI_ETAG ${cString(p.etag)}

${cspMacros(b)}

extern const uint8_t bleshark_web_ui_gz[BLESHARK_WEB_UI_GZ_LEN];
extern const size_t bleshark_web_ui_gz_len;

/* One servable file: URL path, gzip bytes, their length, Content-Type and quoted ETag. */
typedef struct bleshark_web_asset {
  const char *path;
  const uint8_t *bytes;
  size_t length;
  const char *content_type;
  const char *etag;
} bleshark_web_asset_t;

/* Every file (the page included), sorted by path. */
#define BLESHARK_WEB_ASSET_COUNT ${b.assets.length}u
extern const bleshark_web_asset_t BLESHARK_WEB_ASSETS[BLESHARK_WEB_ASSET_COUNT];

/*
 * The entry for a request path, or NULL. A query string or fragment is ignored, and a path ending
 * in '/' finds its index.html ("/" finds "/index.html").
 */
const bleshark_web_asset_t *bleshark_web_find(const char *path);

#ifdef __cplusplus
}
#endif

#endif /* BLESHARK_WEB_UI_H */
`;
}
