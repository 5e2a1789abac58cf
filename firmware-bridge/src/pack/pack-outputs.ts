// Every file pack writes, as `path relative to --out -> bytes`: emitted from the bundle model only.
import { dataPathOf, emitManifest, MANIFEST_FILE } from './emit-manifest.js';
import { emitWebUiHeader, WEB_UI_HEADER_FILE } from './emit-web-ui-header.js';
import { emitWebUiSource, WEB_UI_SOURCE_FILE } from './emit-web-ui-source.js';
import type { WebBundle } from './web-bundle.js';

/** The LittleFS image folder under --out (PlatformIO's `data_dir` / mklittlefs input). */
export const DATA_DIR = 'data';

export function packOutputs(b: WebBundle): Map<string, Uint8Array> {
  const text = (s: string) => new TextEncoder().encode(s);
  const out = new Map<string, Uint8Array>([
    [WEB_UI_HEADER_FILE, text(emitWebUiHeader(b))],
    [WEB_UI_SOURCE_FILE, text(emitWebUiSource(b))],
    [MANIFEST_FILE, text(emitManifest(b))],
  ]);
  for (const a of b.assets) out.set(dataPathOf(a.file), a.gzip);
  return out;
}
