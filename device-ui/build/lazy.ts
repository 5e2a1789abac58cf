// Generated asset `detail.js`: the detail view and locate mode (src/views/Detail.tsx), loaded when a device
// is first opened. A nested Vite build like decode.js's, with one twist: the page is inlined into index.html
// and cannot be imported, so every import of the entry (Preact's h and Fragment, the model, the small view
// pieces) becomes a read of `globalThis.$bs`, which the page fills from src/page-api.ts. Only the entry's
// own code is in the chunk.
import type { Plugin } from 'vite';
import { standaloneChunkAsset } from './standalone-chunk.ts';

/** The global the page hands its API over in (main.tsx). */
export const PAGE_GLOBAL = '$bs';

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*["'][^"']+["'];?/g;

/** The value names an ES module's `import { ... } from` statements bring in (type-only ones left out). */
export function importedNames(code: string): string[] {
  return [...code.matchAll(IMPORT)].flatMap(([, specs]) =>
    specs!
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('type '))
      .map((s) => s.split(/\s+as\s+/)[0]!),
  );
}

/** Rewrites each `import { a, b as c } from '...'` into `const { a, b: c } = globalThis.$bs;`. */
export function importsFromPage(code: string): string {
  const out = code.replace(IMPORT, (_, specs: string) => {
    const names = specs
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('type '));
    return names[0]
      ? `const{${names.map((s) => s.replace(/\s+as\s+/, ':')).join(',')}}=globalThis.${PAGE_GLOBAL};`
      : '';
  });
  if (/^\s*import\b/m.test(out)) throw new Error('detail.js: an import that is not `import { ... } from`');
  return out;
}

export function lazyViewAsset(entry: string, fileName: string): Plugin {
  return standaloneChunkAsset({
    name: 'bleshark-lazy-view',
    entry,
    fileName,
    oxc: {
      jsx: { runtime: 'classic', pragma: '$h', pragmaFrag: '$Fragment' },
      jsxInject: "import { h as $h, Fragment as $Fragment } from 'preact'",
    },
    plugins: [
      {
        name: 'bleshark-page-imports',
        enforce: 'post',
        transform(code, id) {
          return id === entry ? importsFromPage(code) : undefined;
        },
      },
    ],
  });
}
