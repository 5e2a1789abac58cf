// Generated asset `decode.js`: the advertisement decoders (src/decode.ts) as a separate ES module that the
// page imports lazily after its first paint. Built by a nested Vite build without the page's plugins, so
// it holds only the decoders (no Preact) and index.html does not pay for them.
import { build, defaultClientConditions, type Plugin } from 'vite';

export function decodersAsset(entry: string): Plugin {
  return {
    name: 'bleshark-decoders',
    apply: 'build',
    async generateBundle() {
      const out = await build({
        configFile: false,
        logLevel: 'warn',
        resolve: { conditions: ['source', ...defaultClientConditions] },
        build: {
          write: false,
          target: 'esnext',
          modulePreload: false,
          reportCompressedSize: false,
          rolldownOptions: {
            input: entry,
            preserveEntrySignatures: 'strict',
            output: { format: 'es', entryFileNames: 'decode.js', codeSplitting: false },
          },
        },
      });
      const [result] = Array.isArray(out) ? out : [out];
      const chunk = 'output' in result ? result.output.find((f) => f.type === 'chunk') : undefined;
      if (!chunk) throw new Error('decode.js: the decoders build produced no chunk');
      this.emitFile({ type: 'asset', fileName: 'decode.js', source: chunk.code });
    },
  };
}
