// The page's lazily loaded views (besides decode.js and names.json): `detail.js` (details and locate mode,
// src/lazy/detail.tsx), `diag.js` (the diagnostics' figures, src/lazy/diag.tsx) and `panel.js` (the filter
// panel, src/lazy/panel.tsx), each fetched on first
// use. The page works without either: a view whose asset failed says so, and the next use tries again.
import type * as DetailChunk from '../lazy/detail.tsx';
import type * as DiagChunk from '../lazy/diag.tsx';
import type * as PanelChunk from '../lazy/panel.tsx';
import { bump } from './store.ts';

type Chunks = { detail: typeof DetailChunk; diag: typeof DiagChunk; panel: typeof PanelChunk };
export type ChunkName = keyof Chunks;

/** Each chunk once loaded; null after a failed load (until the next `need` tries again). */
export const mods: { [K in ChunkName]?: Chunks[K] | null } = {};
const busy: { [K in ChunkName]?: boolean } = {};

/** Loads a chunk unless it is loaded or loading; `then` gets the module (or null), then the page re-renders. */
export function need<K extends ChunkName>(name: K, then?: (m: Chunks[K] | null) => void): void {
  if (mods[name] || busy[name]) return;
  busy[name] = true;
  import(/* @vite-ignore */ import.meta.env.DEV ? `/src/lazy/${name}.tsx` : `./${name}.js`)
    .then(
      (m: Chunks[K]) => m,
      () => null,
    )
    .then((m) => {
      mods[name] = m;
      busy[name] = false;
      then?.(m);
      bump();
    });
}
