// THE flash recipe: how a file of the page becomes the bytes the Nano keeps in flash and serves, and the
// headers it serves them with. Everything that gzips, tags, types or budgets the page imports this module
// (`@bleshark/firmware-bridge/flash`): `bleshark-bridge pack`, the simulator's static files, the page
// build's size report (device-ui/build/size.ts) and the page-size benchmark. Change it here and all four
// follow; test/same-bytes.test.ts checks that the simulator serves what pack writes. The page's
// Content-Security-Policy (its inline scripts by hash) is here too, so the policy pack writes into
// bleshark_web_ui.h is the one the simulator sends (src/pack/page-csp.test.ts compares them over HTTP).
//
// Node only (node:crypto, node:zlib, a WebAssembly encoder), so not in shared-protocol. It lives in the
// bridge because the bridge owns what is flashed. The simulator depends on the bridge for it; the bridge
// needs the simulator only in its tests (a devDependency, outside its tsconfig), so `tsc -b` has no cycle.
//
// The gzip is zopfli (an exhaustive deflate encoder whose output is ordinary gzip that every browser and the
// ESP32's server pass through untouched) with a fixed iteration count, so its bytes depend only on the input
// and the zopfli version. zopfli writes no file name and an mtime of 0; the OS byte is overwritten with 255
// ("unknown", RFC 1952 2.3.1) so the header does not name the host. The header has no CRC (FHCRC unset), so
// patching the byte is safe and every decoder accepts it.
//
// @gfx/zopfli is loaded on the first compression, not on import: loading it installs emscripten's
// process-wide `uncaughtException` handler (it rethrows, so a crash anywhere prints a line of minified
// zopfli source) and an `unhandledRejection` handler (it aborts the wasm runtime). They are removed as soon
// as the module is in; zopfli needs neither. A process that never compresses (`bleshark-bridge check`,
// a simulator that serves no page) never loads it.
import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { gunzipSync } from 'node:zlib';

/**
 * The most gzip bytes `index.html` may take in the Nano's flash: 14 KiB, the budget issue 5 set for the
 * page. Measured on the flashed form (`flashGzip`). `pack --budget` defaults to it, the page's size test
 * enforces it and the build and the benchmark report against it.
 */
export const PAGE_BUDGET_BYTES = 14 * 1024;

/** The settings the deflate stream is made with (changing one changes every ETag). */
export const ZOPFLI_OPTIONS = { numiterations: 15 } as const;

/** How the manifest names the encoder and its settings. */
export const COMPRESSOR = `zopfli (numiterations ${ZOPFLI_OPTIONS.numiterations})`;

/** Gzip header byte 9 as written here: RFC 1952 "unknown" operating system. */
export const GZIP_OS_UNKNOWN = 0xff;

/** The first 10 bytes of every output: gzip, deflate, no flags, mtime 0, "maximum compression", OS unknown. */
export const GZIP_HEADER = '1f8b08000000000002ff';

type Zopfli = typeof import('@gfx/zopfli');

const INSTALLED_ON_LOAD = ['uncaughtException', 'unhandledRejection'];
let zopfli: Promise<Zopfli> | undefined;

/** The zopfli module; the first call loads it (later calls share that load). */
function loadZopfli(): Promise<Zopfli> {
  zopfli ??= (async () => {
    const proc: EventEmitter = process;
    const before = new Map(INSTALLED_ON_LOAD.map((e) => [e, new Set(proc.listeners(e))]));
    try {
      return await import('@gfx/zopfli');
    } finally {
      for (const event of INSTALLED_ON_LOAD)
        for (const l of proc.listeners(event))
          if (!before.get(event)?.has(l)) proc.off(event, l as (...args: unknown[]) => void);
    }
  })();
  return zopfli;
}

/**
 * The flashed form of a file: gzip made deterministically with zopfli (`ZOPFLI_OPTIONS`, header
 * `GZIP_HEADER`). Throws if the encoder ever writes a header other than `GZIP_HEADER`, or output that does
 * not gunzip back to `bytes`.
 */
export async function flashGzip(bytes: Uint8Array): Promise<Buffer> {
  const { gzipAsync } = await loadZopfli();
  const gz = Buffer.from(await gzipAsync(bytes, ZOPFLI_OPTIONS));
  if (gz.length < 18) throw new Error(`zopfli wrote ${gz.length} bytes, too few for a gzip member`);
  gz[9] = GZIP_OS_UNKNOWN;
  const header = gz.subarray(0, 10).toString('hex');
  if (header !== GZIP_HEADER)
    throw new Error(`unexpected gzip header from zopfli: ${header} (expected ${GZIP_HEADER})`);
  if (!gunzipSync(gz).equals(bytes)) throw new Error('zopfli output does not gunzip to its input');
  return gz;
}

/** sha256 of some bytes, hex. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The quoted strong ETag of some gzip bytes: the first 16 hex digits of their sha256. */
export const etagOf = (gzip: Uint8Array): string => `"${sha256Hex(gzip).slice(0, 16)}"`;

/**
 * The Content-Type each file is served with, by lowercase extension. Text types carry charset=utf-8 because
 * the page and its tables are UTF-8 and the firmware sends the header verbatim.
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/** The Content-Type of a file whose extension `CONTENT_TYPES` does not list. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The Content-Type for a file name or URL path (matched on the lowercase extension). */
export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  const ext = dot > path.lastIndexOf('/') ? path.slice(dot).toLowerCase() : '';
  return CONTENT_TYPES[ext] ?? DEFAULT_CONTENT_TYPE;
}

/**
 * The CSP hash source (`'sha256-<base64>'`) of every inline script of an html page, in document order: the
 * page is one file with its code inlined, so its policy allows exactly those scripts instead of
 * `'unsafe-inline'`. The hash is over the element's text as written, UTF-8 (the page build escapes
 * `</script` inside code, so the first close tag ends the element); a `<script src>` is covered by `'self'`
 * and skipped. Bytes are decoded as UTF-8 first (invalid sequences become U+FFFD, no BOM is stripped), so
 * the simulator, which reads the file, and pack, which holds its bytes, hash the same text.
 */
export function inlineScriptHashes(page: Uint8Array | string): string[] {
  const html = typeof page === 'string' ? page : Buffer.from(page).toString('utf8');
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(m[1] ?? '')) continue;
    out.push(
      `'sha256-${createHash('sha256')
        .update(m[2] ?? '', 'utf8')
        .digest('base64')}'`,
    );
  }
  return out;
}

/**
 * The page's Content-Security-Policy in two halves: `head` ends with `connect-src 'self'` and `tail` starts
 * with `; manifest-src`, and a server that knows its own validated Host puts ` ws://HOST wss://HOST`
 * between them (`pageCsp`). `scripts` are the page's `inlineScriptHashes`; none gives `script-src 'self'`.
 */
export function pageCspParts(scripts: readonly string[]): { head: string; tail: string } {
  const js = ["'self'", ...scripts].join(' ');
  return {
    head:
      `default-src 'none'; script-src ${js}; style-src 'self' 'unsafe-inline'; ` +
      `img-src 'self' data:; connect-src 'self'`,
    tail: `; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  };
}

/**
 * The Content-Security-Policy the page is served with. `wsHost` is the request's Host once validated (the
 * server's own name), so connect-src names the WebSocket endpoint exactly; without one, only `'self'`.
 */
export function pageCsp(scripts: readonly string[], wsHost?: string): string {
  const { head, tail } = pageCspParts(scripts);
  return `${head}${wsHost ? ` ws://${wsHost} wss://${wsHost}` : ''}${tail}`;
}
