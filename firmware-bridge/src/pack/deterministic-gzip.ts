// gzip whose bytes depend only on the input and the zopfli version: zopfli (an exhaustive deflate encoder
// whose output is ordinary gzip that every browser and the ESP32's server pass through untouched) with a
// fixed iteration count. zopfli writes no file name and an mtime of 0; the OS byte is overwritten with 255
// ("unknown", RFC 1952 2.3.1) so the header does not name the host. The header has no CRC (FHCRC unset),
// so patching the byte is safe and every decoder accepts it.
//
// The simulator (simulator/src/server/static-files.ts) applies the same recipe so the bytes it serves are
// the bytes flashed; test/same-bytes.test.ts holds the two to it. Change both or neither.
//
// @gfx/zopfli is loaded on the first compression, not on import: loading it installs emscripten's
// process-wide `uncaughtException` (rethrows, printing a line of minified zopfli source) and
// `unhandledRejection` handlers, which `check` and `protocol-header` must never get. They are removed as
// soon as the module is in; zopfli needs neither.

import type { EventEmitter } from 'node:events';
import { gunzipSync } from 'node:zlib';

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

/** Gzip header byte 9 as written by this tool: RFC 1952 "unknown" operating system. */
export const GZIP_OS_UNKNOWN = 0xff;

/** The settings the deflate stream is made with (changing one changes every ETag). */
export const ZOPFLI_OPTIONS = { numiterations: 15 } as const;

/** How the manifest names the encoder and its settings. */
export const COMPRESSOR = `zopfli (numiterations ${ZOPFLI_OPTIONS.numiterations})`;

/** The first 10 bytes of every output: gzip, deflate, no flags, mtime 0, "maximum compression", OS unknown. */
export const GZIP_HEADER = '1f8b08000000000002ff';

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * Gzips `bytes` deterministically with zopfli. Throws if the encoder ever writes a header this tool does
 * not expect, or output that does not gunzip back to `bytes`.
 */
export async function deterministicGzip(bytes: Uint8Array): Promise<Uint8Array> {
  const { gzipAsync } = await loadZopfli();
  const gz = new Uint8Array(await gzipAsync(bytes, ZOPFLI_OPTIONS));
  if (gz.length < 18) throw new Error(`zopfli wrote ${gz.length} bytes, too few for a gzip member`);
  gz[9] = GZIP_OS_UNKNOWN;
  const header = hex(gz.subarray(0, 10));
  if (header !== GZIP_HEADER)
    throw new Error(`unexpected gzip header from zopfli: ${header} (expected ${GZIP_HEADER})`);
  const back = gunzipSync(gz);
  if (!back.equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)))
    throw new Error('zopfli output does not gunzip to its input');
  return gz;
}
