// One lazily loaded asset of the page (decode.js, detail.js): a nested Vite build of one entry into one ES
// module, without the page's plugins, emitted beside index.html. The callers add only what differs.
import { build, defaultClientConditions, type InlineConfig, type Plugin } from 'vite';

export type StandaloneChunk = {
  /** The plugin's name (shown by Vite). */
  name: string;
  /** Absolute path of the entry module. */
  entry: string;
  /** The asset's file name in dist/. */
  fileName: string;
  /** Extra JSX settings for the nested build (detail.js). */
  oxc?: InlineConfig['oxc'];
  /** Extra plugins for the nested build (detail.js's import rewriting). */
  plugins?: InlineConfig['plugins'];
  /** Property names to shorten in the nested build (the lazy views: the names they share with the page). */
  mangleProps?: { include: RegExp; cache: Record<string, string> };
};

export function standaloneChunkAsset(o: StandaloneChunk): Plugin {
  return {
    name: o.name,
    apply: 'build',
    async generateBundle() {
      const out = await build({
        configFile: false,
        logLevel: 'warn',
        resolve: { conditions: ['source', ...defaultClientConditions] },
        ...(o.oxc ? { oxc: o.oxc } : {}),
        ...(o.plugins ? { plugins: o.plugins } : {}),
        build: {
          write: false,
          target: 'esnext',
          modulePreload: false,
          reportCompressedSize: false,
          rolldownOptions: {
            input: o.entry,
            preserveEntrySignatures: 'strict',
            output: {
              format: 'es',
              entryFileNames: o.fileName,
              codeSplitting: false,
              ...(o.mangleProps ? { minify: { mangleProps: o.mangleProps } } : {}),
            },
          },
        },
      });
      const [result] = Array.isArray(out) ? out : [out];
      const chunk = 'output' in result ? result.output.find((f) => f.type === 'chunk') : undefined;
      if (!chunk) throw new Error(`${o.fileName}: the build produced no chunk`);
      this.emitFile({ type: 'asset', fileName: o.fileName, source: chunk.code });
    },
  };
}
