// manifest.json: what was packed, for humans, CI and the size bench. No timestamps, fixed key order.
import { COMPRESSOR } from './flash-recipe.js';
import type { WebBundle } from './web-bundle.js';

export const MANIFEST_FILE = 'manifest.json';

/** Where a file's gzip copy goes for LittleFS (`data/index.html.gz`). */
export const dataPathOf = (file: string): string => `data/${file}.gz`;

export function emitManifest(b: WebBundle): string {
  const manifest = {
    generator: 'bleshark-bridge pack',
    compressor: COMPRESSOR,
    protocolVersion: b.protocol.version,
    schemaHash: b.protocol.schemaHash,
    source: b.source,
    page: b.page.path,
    budget: b.budget,
    files: b.assets.map((a) => ({
      path: a.path,
      file: a.file,
      data: dataPathOf(a.file),
      contentType: a.contentType,
      rawBytes: a.raw.length,
      gzipBytes: a.gzip.length,
      sha256: a.sha256,
      gzipSha256: a.gzipSha256,
      etag: a.etag,
    })),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
