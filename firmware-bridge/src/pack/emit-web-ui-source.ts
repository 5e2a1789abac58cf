// bleshark_web_ui.c: the one definition of every array, the asset table and the lookup helper.
import { cByteRows, cComment, cString } from '../c-text.js';
import { WEB_UI_HEADER_FILE } from './emit-web-ui-header.js';
import type { WebAsset, WebBundle } from './web-bundle.js';
import { webUiBanner } from './web-ui-banner.js';

export const WEB_UI_SOURCE_FILE = 'bleshark_web_ui.c';

const describeAsset = (a: WebAsset) =>
  `${a.path}: ${a.raw.length} bytes raw, ${a.gzip.length} bytes gzipped, ${a.contentType}.`;

export function emitWebUiSource(b: WebBundle): string {
  const names = new Map<WebAsset, string>();
  const arrays: string[] = [];
  arrays.push(`${cComment(describeAsset(b.page))}
const uint8_t bleshark_web_ui_gz[BLESHARK_WEB_UI_GZ_LEN] = {
${cByteRows(b.page.gzip)}
};
const size_t bleshark_web_ui_gz_len = sizeof bleshark_web_ui_gz;`);
  names.set(b.page, 'bleshark_web_ui_gz');
  b.assets.forEach((a, i) => {
    if (a === b.page) return;
    const name = `bleshark_web_asset_${i}_gz`;
    names.set(a, name);
    arrays.push(`${cComment(describeAsset(a))}
static const uint8_t ${name}[${a.gzip.length}] = {
${cByteRows(a.gzip)}
};`);
  });
  const rows = b.assets.map(
    (a) =>
      `  {${cString(a.path)}, ${names.get(a)}, sizeof ${names.get(a)}, ${cString(a.contentType)}, ${cString(a.etag)}},`,
  );
  return `${webUiBanner(WEB_UI_SOURCE_FILE, b)}
#include "${WEB_UI_HEADER_FILE}"

#include <string.h>

${arrays.join('\n\n')}

const bleshark_web_asset_t BLESHARK_WEB_ASSETS[BLESHARK_WEB_ASSET_COUNT] = {
${rows.join('\n')}
};

const bleshark_web_asset_t *bleshark_web_find(const char *path) {
  size_t n;
  size_t i;
  if (path == NULL) return NULL;
  n = strcspn(path, "?#");
  for (i = 0; i < BLESHARK_WEB_ASSET_COUNT; i++) {
    const char *p = BLESHARK_WEB_ASSETS[i].path;
    if (strncmp(p, path, n) != 0) continue;
    if (p[n] == '\\0') return &BLESHARK_WEB_ASSETS[i];
    if (n > 0 && path[n - 1] == '/' && strcmp(p + n, "index.html") == 0) return &BLESHARK_WEB_ASSETS[i];
  }
  return NULL;
}
`;
}
