// Builds `extras.js`, the page's lazily loaded companion: the shared advertisement decoders and name tables,
// the detail view, locate mode and export. It is bundled on its own (no imports) and reaches the page's
// Preact and model only through the API object the page passes to its `mount` (see src/model/extras.ts).
import { fileURLToPath } from 'node:url';
import { build, defaultClientConditions, type Plugin, type Rolldown } from 'vite';

const src = (p: string) => fileURLToPath(new URL(`../src/${p}`, import.meta.url));

export function extrasAsset(): Plugin {
  return {
    name: 'bleshark-extras',
    apply: 'build',
    async generateBundle() {
      const out = (await build({
        configFile: false,
        logLevel: 'warn',
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        resolve: {
          conditions: ['source', ...defaultClientConditions],
          // JSX in extras.js renders with the page's own Preact (one instance, one diff).
          alias: { 'preact/jsx-runtime': src('extras/jsx-shim.ts') },
        },
        build: {
          write: false,
          target: 'es2020',
          minify: true,
          reportCompressedSize: false,
          lib: { entry: src('extras/index.ts'), formats: ['es'], fileName: () => 'extras.js' },
        },
      })) as Rolldown.RolldownOutput[];
      const chunk = out[0]!.output.find((f) => f.type === 'chunk');
      if (!chunk) throw new Error('extras.js: no output');
      this.emitFile({ type: 'asset', fileName: 'extras.js', source: chunk.code });
    },
  };
}
