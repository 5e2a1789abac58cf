// The model every pack output is emitted from: each file with its URL path, content type, gzip bytes,
// hashes and ETag, the page's inline script hashes (for its Content-Security-Policy), plus the protocol
// identity the page was built against. A pure function of its input
// (async only because the gzip encoder is).
import { contentTypeFor, etagOf, flashGzip, inlineScriptHashes, sha256Hex } from './flash-recipe.js';
import { type InputFile, PAGE_FILE } from './input-files.js';

/** The protocol the page speaks, written into every output so firmware and page cannot drift unnoticed. */
export type ProtocolIdentity = { readonly version: number; readonly schemaHash: string };

export type WebAsset = {
  /** The URL path the device serves it at (`/index.html`, `/names.json`). */
  readonly path: string;
  /** The file it came from, relative to the input folder. */
  readonly file: string;
  readonly contentType: string;
  readonly raw: Uint8Array;
  readonly gzip: Uint8Array;
  /** sha256 of the raw file, hex. */
  readonly sha256: string;
  /** sha256 of the gzip bytes, hex. */
  readonly gzipSha256: string;
  /** Quoted strong ETag: the first 16 hex digits of `gzipSha256`. */
  readonly etag: string;
};

export type WebBundle = {
  /** Where the files came from, as written into banners (`device-ui/dist`); never an absolute path. */
  readonly source: string;
  readonly protocol: ProtocolIdentity;
  readonly budget: number;
  /** The page (`index.html`); also one of `assets`. */
  readonly page: WebAsset;
  /** Every file, the page included, sorted by path. */
  readonly assets: readonly WebAsset[];
  /** The CSP hash sources (`'sha256-…'`) of the page's inline scripts, in order (`inlineScriptHashes`). */
  readonly pageScripts: readonly string[];
};

export async function buildWebBundle(input: {
  readonly source: string;
  readonly files: readonly InputFile[];
  readonly protocol: ProtocolIdentity;
  readonly budget: number;
}): Promise<WebBundle> {
  // One file at a time: the encoder runs on this thread, so starting them together would not be faster.
  const assets: WebAsset[] = [];
  for (const { file, bytes } of input.files) {
    const gzip = await flashGzip(bytes);
    assets.push({
      path: `/${file}`,
      file,
      contentType: contentTypeFor(file),
      raw: bytes,
      gzip,
      sha256: sha256Hex(bytes),
      gzipSha256: sha256Hex(gzip),
      etag: etagOf(gzip),
    });
  }
  assets.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const page = assets.find((a) => a.file === PAGE_FILE);
  if (!page) throw new Error(`the bundle needs ${PAGE_FILE}`);
  return {
    source: input.source,
    protocol: input.protocol,
    budget: input.budget,
    page,
    assets,
    pageScripts: inlineScriptHashes(page.raw),
  };
}

/** The size line pack always prints. */
export const sizeLine = (b: WebBundle): string =>
  `page: ${b.page.raw.length} bytes -> ${b.page.gzip.length} bytes gzipped (budget ${b.budget})`;

/** Undefined when the gzipped page fits the budget, otherwise the message to fail with. */
export function budgetProblem(b: WebBundle): string | undefined {
  const over = b.page.gzip.length - b.budget;
  if (over <= 0) return undefined;
  return (
    `the gzipped page is ${b.page.gzip.length} bytes, ${over} over the budget of ${b.budget} bytes. ` +
    'Shrink the page, or raise --budget if the flash partition allows it.'
  );
}
