// Generated asset `decode.js`: the advertisement decoders (src/decode.ts) as a separate ES module that the
// page imports lazily after its first paint. Built by a nested Vite build without the page's plugins, so
// it holds only the decoders (no Preact) and index.html does not pay for them.
import type { Plugin } from 'vite';
import { standaloneChunkAsset } from './standalone-chunk.ts';

export function decodersAsset(entry: string): Plugin {
  return standaloneChunkAsset({ name: 'bleshark-decoders', entry, fileName: 'decode.js' });
}
