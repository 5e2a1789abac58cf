// gzip whose bytes depend only on the input (and the zlib that Node bundles): level 9, fixed window and
// memory settings, and a fixed header. Node's zlib already writes no file name and an mtime of 0; the OS
// byte is the one field that depends on the host (3 on Unix builds of zlib, 10 on Windows builds), so it
// is overwritten with 255 ("unknown", RFC 1952 2.3.1). The header has no CRC (FHCRC unset), so patching
// the byte is safe and every decoder accepts it.
import { gzipSync } from 'node:zlib';

/** Gzip header byte 9 as written by this tool: RFC 1952 "unknown" operating system. */
export const GZIP_OS_UNKNOWN = 0xff;

/** The settings the deflate stream is made with (changing one changes every ETag). */
export const GZIP_OPTIONS = { level: 9, windowBits: 15, memLevel: 9 } as const;

/** Gzips `bytes` deterministically; throws if zlib ever writes a header this tool does not expect. */
export function deterministicGzip(bytes: Uint8Array): Uint8Array {
  const gz = new Uint8Array(gzipSync(bytes, GZIP_OPTIONS));
  const header = gz.subarray(0, 10);
  const fixed =
    header[0] === 0x1f &&
    header[1] === 0x8b &&
    header[2] === 0x08 && // deflate
    header[3] === 0x00 && // no FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT
    header[4] === 0 &&
    header[5] === 0 &&
    header[6] === 0 &&
    header[7] === 0; // mtime 0
  if (!fixed) throw new Error(`unexpected gzip header from zlib: ${Buffer.from(header).toString('hex')}`);
  gz[9] = GZIP_OS_UNKNOWN;
  return gz;
}
