// The lazily loaded views of the page: `detail.js` (the detail view, locate mode and what only they use) and
// `diag.js` (the diagnostics' figures), each a nested Vite build like decode.js's, with one twist: the page
// is inlined into index.html and cannot be imported, so every import of a chunk's modules from outside the
// chunk (Preact's h and Fragment, the model, the small view pieces) becomes a read of `globalThis.$bs`,
// which the page fills from src/page-api.ts. The modules a chunk owns (its entry and the ones listed with
// it) are bundled into it; imports between them stay imports.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { chunkMangle, pageMangle } from './mangle.ts';
import { standaloneChunkAsset } from './standalone-chunk.ts';

/** The global the page hands its API over in (main.tsx). */
export const PAGE_GLOBAL = '$bs';

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["'];?/g;

/** The value names of one `{ ... }` import list (type-only ones left out), as written (`a as b` kept). */
const specsOf = (specs: string): string[] =>
  specs
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('type '));

/**
 * The value names an ES module's `import { ... } from` statements bring in (type-only ones left out); with
 * `from`, only the imports whose specifier it accepts.
 */
export function importedNames(code: string, from: (spec: string) => boolean = () => true): string[] {
  return [...code.matchAll(IMPORT)]
    .filter(([, , spec]) => from(spec!))
    .flatMap(([, specs]) => specsOf(specs!).map((s) => s.split(/\s+as\s+/)[0]!));
}

/**
 * Rewrites each `import { a, b as c } from '...'` into `const { a, b: c } = globalThis.$bs;`, except the
 * imports whose specifier `keep` accepts (modules bundled into the same chunk).
 */
export function importsFromPage(code: string, keep: (spec: string) => boolean = () => false): string {
  const out = code.replace(IMPORT, (all, specs: string, spec: string) => {
    if (keep(spec)) return all;
    const names = specsOf(specs);
    return names[0]
      ? `const{${names.map((s) => s.replace(/\s+as\s+/, ':')).join(',')}}=globalThis.${PAGE_GLOBAL};`
      : '';
  });
  for (const m of out.matchAll(/^\s*import\b[^;]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm))
    if (!keep(m[1] ?? m[2] ?? ''))
      throw new Error('lazy chunk: an import from the page that is not `import { ... } from`');
  return out;
}

/**
 * Whether a chunk bundles what `spec` names, imported by its module `id`: only its own modules. Packages
 * come from the page too (Preact must be the page's one copy; shared-protocol's index is not tree-shaken
 * well enough to bundle a piece of it cheaply).
 */
export const bundles = (owned: ReadonlySet<string>, id: string, spec: string): boolean =>
  spec.startsWith('.') && owned.has(resolve(dirname(id), spec));

/**
 * A lazily loaded view chunk: `entry` plus the modules in `own`, the rest read from the page. The names it
 * shares with the page (build/mangle.ts SHARED_PROPS) are shortened in its build and in the page's to the
 * same fixed names: the plugin sets the page's mangleProps itself (outputOptions), so a page built with these
 * chunks can never read or write those properties under other names than the chunks do.
 */
export function lazyViewAsset(entry: string, fileName: string, own: string[] = []): Plugin {
  const owned = new Set([entry, ...own]);
  return {
    ...standaloneChunkAsset({
      name: `bleshark-lazy-${fileName}`,
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
            if (!owned.has(id)) return undefined;
            return importsFromPage(code, (spec) => bundles(owned, id, spec));
          },
        },
      ],
      mangleProps: chunkMangle(),
    }),
    outputOptions(o) {
      if (!o.minify || typeof o.minify !== 'object')
        throw new Error(`${fileName}: the page must be minified with mangleProps (build/mangle.ts)`);
      return { ...o, minify: { ...o.minify, mangleProps: pageMangle() } };
    },
  };
}

const src = (f: string): string => fileURLToPath(new URL(`../src/${f}`, import.meta.url));

/**
 * The page's lazily loaded view chunks: entry, file name and the further modules bundled into each (only
 * modules without state of their own: a bundled copy must behave as the page's).
 */
export const LAZY_CHUNKS = [
  {
    entry: src('lazy/detail.tsx'),
    fileName: 'detail.js',
    own: [
      'views/Detail.tsx',
      'views/Bits.tsx',
      'model/detail-actions.ts',
      'model/follow.ts',
      'model/persist.ts',
      'model/device-table.ts',
    ].map(src),
  },
  {
    entry: src('lazy/diag.tsx'),
    fileName: 'diag.js',
    own: ['views/Bits.tsx', 'model/device-table.ts'].map(src),
  },
  {
    entry: src('lazy/panel.tsx'),
    fileName: 'panel.js',
    own: ['views/FilterBar.tsx', 'views/Bits.tsx', 'model/device-table.ts', 'model/chips.ts'].map(src),
  },
];
