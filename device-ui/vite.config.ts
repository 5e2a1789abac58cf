import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { decodersAsset } from './build/decoders.ts';
import { inlineAll } from './build/inline.ts';
import { LAZY_CHUNKS, lazyViewAsset } from './build/lazy.ts';
import { internalProps } from './build/mangle.ts';
import { namesAsset } from './build/names.ts';
import { sizeReport } from './build/size.ts';

/**
 * Where `npm run dev -w device-ui` sends `/scan/live`: the simulator on 127.0.0.1:8080 by default, or a
 * real Nano with `BLESHARK_TARGET=http://192.168.4.1 npm run dev -w device-ui`.
 */
const TARGET = process.env.BLESHARK_TARGET || 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // Vite 8 transforms TS/JSX with Oxc. The classic runtime (h(type, props, ...children)) makes smaller calls
  // than the automatic one; the factory gets a name no source file uses, so no local `h` can shadow it.
  oxc: {
    jsx: { runtime: 'classic', pragma: '$h', pragmaFrag: '$Fragment' },
    jsxInject: "import { h as $h, Fragment as $Fragment } from 'preact'",
  },
  // Workspace packages are consumed from their TypeScript source.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: {
    proxy: {
      // The device (and the simulator) refuse foreign origins, so the proxy presents the target's own.
      '/scan/live': {
        target: TARGET,
        ws: true,
        changeOrigin: true,
        headers: { origin: new URL(TARGET).origin },
      },
      '/names.json': { target: TARGET, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Phones and laptops from the last few years: no legacy CSS/JS fallbacks in the flash image.
    target: 'esnext',
    cssTarget: ['chrome123', 'firefox120', 'safari17.5'],
    modulePreload: false,
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        codeSplitting: false,
        // Shorter names for the page-internal properties (build/mangle.ts); minification otherwise as usual.
        minify: { mangleProps: { include: internalProps() } },
      },
    },
  },
  plugins: [
    inlineAll(),
    decodersAsset(fileURLToPath(new URL('src/decode.ts', import.meta.url))),
    ...LAZY_CHUNKS.map((c) => lazyViewAsset(c.entry, c.fileName, c.own)),
    namesAsset(fileURLToPath(new URL('../../shared/data/assigned-numbers', import.meta.url))),
    sizeReport(),
  ],
});
