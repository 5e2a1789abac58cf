// Serves the built page exactly as the firmware will: every file gzipped with the same zopfli recipe as
// `bleshark-bridge pack` (so the bytes and ETag here are the bytes and ETag flashed), cached until it
// changes on disk, a quoted ETag from the content hash, `Cache-Control: no-cache` and 304 on a match.
//
// zopfli is slow (about 0.1 s for the page, 0.25 s for names.json) and runs on this thread, so the server
// listens first and `warm()` compresses every file in the background, one at a time. A request for a file
// whose compression is under way waits for that same promise; an entry is cached only once complete.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadZopfli } from './zopfli.js';

type Cached = {
  mtimeMs: number;
  size: number;
  gz: Buffer;
  etag: string;
  type: string;
  /** CSP hash sources of the inline scripts (html files only; empty otherwise). */
  scripts: string[];
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Only plain names are served: no dot files, no traversal, no odd characters. */
const SAFE_PATH = /^\/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The first 10 bytes of every gzip made here: deflate, no flags, mtime 0, max compression, OS unknown. */
const GZIP_HEADER = '1f8b08000000000002ff';

/**
 * THE gzip recipe, identical to firmware-bridge's `deterministicGzip` (firmware-bridge's
 * test/same-bytes.test.ts holds the two together; the simulator must not import the bridge): zopfli with
 * 15 iterations, the OS byte set to 255, the header checked and the output checked to gunzip to the input.
 */
export async function zopfliGzip(bytes: Uint8Array): Promise<Buffer> {
  const { gzipAsync } = await loadZopfli();
  const gz = Buffer.from(await gzipAsync(bytes, { numiterations: 15 }));
  if (gz.length < 18) throw new Error(`zopfli wrote ${gz.length} bytes, too few for a gzip member`);
  gz[9] = 0xff;
  const header = gz.subarray(0, 10).toString('hex');
  if (header !== GZIP_HEADER)
    throw new Error(`unexpected gzip header from zopfli: ${header} (expected ${GZIP_HEADER})`);
  if (!gunzipSync(gz).equals(bytes)) throw new Error('zopfli output does not gunzip to its input');
  return gz;
}

/** The ETag of some gzipped bytes: sha256, first 16 hex digits, quoted. */
export const etagOf = (gz: Buffer): string =>
  `"${createHash('sha256').update(gz).digest('hex').slice(0, 16)}"`;

/**
 * The CSP hash source (`'sha256-…'`) of every inline script of an html page, in order: the page is one file
 * with its code inlined, so the policy allows exactly those scripts instead of `'unsafe-inline'`. The hash is
 * over the element's text as written (the build escapes `</script` inside code, so the first close tag ends
 * it); a `<script src>` is covered by `'self'` and skipped.
 */
export function inlineScriptHashes(html: string): string[] {
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
 * Headers EVERY response carries, errors and 304 included. `wsHost` is the validated Host, so connect-src
 * names it exactly; `scripts` are the page's inline script hashes (inlineScriptHashes), none for anything
 * that is not the page.
 */
export function securityHeaders(
  wsHost: string | undefined,
  scripts: readonly string[] = [],
): Record<string, string> {
  const ws = wsHost ? ` ws://${wsHost} wss://${wsHost}` : '';
  const js = ["'self'", ...scripts].join(' ');
  return {
    'Content-Security-Policy':
      `default-src 'none'; script-src ${js}; style-src 'self' 'unsafe-inline'; ` +
      `img-src 'self' data:; connect-src 'self'${ws}; manifest-src 'self'; base-uri 'none'; ` +
      `form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}

/** RFC 9110 13.1.2: `*` matches any current representation; otherwise a (weakly compared) list of tags. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === etag || tag === `W/${etag}`;
  });
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>BLEShark simulator: page not built</title>
<body style="font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;line-height:1.5">
<h1>The page has not been built yet</h1>
<p>The simulator is running and <code>/scan/live</code> works, but <code>device-ui/dist/index.html</code> is missing.</p>
<p>Build it with <code>npm run build</code> at the repository root (or run <code>npm start</code>, which builds first), then reload.</p>
</body></html>
`;

/** The file a URL path names inside `dir`, or undefined when the path is not servable. */
function fileOf(dir: string, urlPath: string): string | undefined {
  const path = urlPath === '/' ? '/index.html' : urlPath;
  if (!SAFE_PATH.test(path) || path.includes('..')) return undefined;
  const file = join(dir, ...path.slice(1).split('/'));
  return file.startsWith(dir + sep) ? file : undefined;
}

const isMissing = (err: unknown) =>
  err instanceof Error && 'code' in err && (err.code === 'ENOENT' || err.code === 'ENOTDIR');

export class StaticFiles {
  /** The directory served (device-ui/dist). */
  readonly dir: string;
  /** Complete entries only. */
  #cache = new Map<string, Cached>();
  /** Compressions under way, keyed by file, with the stat they started from. */
  #pending = new Map<string, { mtimeMs: number; size: number; entry: Promise<Cached | undefined> }>();
  #stopped = false;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /**
   * The gzipped file for a URL path, recomputed when its size or mtime changed; undefined when absent.
   * Concurrent calls for the same unchanged file share one compression. Rejects only when compressing fails.
   */
  async lookup(urlPath: string): Promise<Cached | undefined> {
    const file = fileOf(this.dir, urlPath);
    if (file === undefined) return undefined;
    let st: Stats;
    try {
      st = await stat(file);
    } catch {
      this.#cache.delete(file);
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const hit = this.#cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const running = this.#pending.get(file);
    if (running && running.mtimeMs === st.mtimeMs && running.size === st.size) return running.entry;
    const entry = this.#compress(file, st.mtimeMs, st.size);
    const job = { mtimeMs: st.mtimeMs, size: st.size, entry };
    this.#pending.set(file, job);
    const settle = () => {
      if (this.#pending.get(file) === job) this.#pending.delete(file);
    };
    entry.then((e) => {
      // A newer compression of the same file (it changed meanwhile) owns the slot; do not overwrite it.
      if (this.#pending.get(file) !== job) return;
      if (e) this.#cache.set(file, e);
      else this.#cache.delete(file);
      settle();
    }, settle);
    return entry;
  }

  async #compress(file: string, mtimeMs: number, size: number): Promise<Cached | undefined> {
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    const gz = await zopfliGzip(raw);
    const ext = extname(file).toLowerCase();
    return {
      mtimeMs,
      size,
      gz,
      etag: etagOf(gz),
      type: TYPES[ext] ?? 'application/octet-stream',
      scripts: ext === '.html' ? inlineScriptHashes(raw.toString('utf8')) : [],
    };
  }

  /**
   * Compresses every servable file, the page first, one at a time, so the first requests find them ready.
   * Never rejects; stops early after `stop()`.
   */
  async warm(): Promise<void> {
    const paths: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const path = `${prefix}/${e.name}`;
        if (e.isDirectory()) await walk(join(dir, e.name), path);
        else if (e.isFile() && fileOf(this.dir, path) !== undefined) paths.push(path);
      }
    };
    await walk(this.dir, '');
    paths.sort((a, b) => (a === '/index.html' ? -1 : b === '/index.html' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    for (const path of paths) {
      if (this.#stopped) return;
      await this.lookup(path).catch(() => undefined);
    }
  }

  /** Stops `warm()` after the file under way (the server is closing). */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * Answers a GET/HEAD for a file, waiting for its compression when it is under way. Resolves false when
   * no file matches (the caller sends 404); never rejects (a failed compression is a 500).
   */
  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    urlPath: string,
    wsHost: string | undefined,
  ): Promise<boolean> {
    const head = req.method === 'HEAD';
    let f: Cached | undefined;
    try {
      f = await this.lookup(urlPath);
    } catch (err) {
      const body = `Could not gzip ${urlPath}: ${err instanceof Error ? err.message : String(err)}\n`;
      res.writeHead(500, {
        ...securityHeaders(wsHost),
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(head ? undefined : body);
      return true;
    }
    if (!f) {
      if (urlPath !== '/' && urlPath !== '/index.html') return false;
      res.writeHead(503, {
        ...securityHeaders(wsHost),
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Retry-After': '10',
        'Content-Length': Buffer.byteLength(NOT_BUILT),
      });
      res.end(head ? undefined : NOT_BUILT);
      return true;
    }
    const validators = { ETag: f.etag, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' };
    const security = securityHeaders(wsHost, f.scripts);
    if (noneMatch(req.headers['if-none-match'], f.etag)) {
      res.writeHead(304, { ...security, ...validators });
      res.end();
      return true;
    }
    const headers = { ...security, 'Content-Type': f.type, 'Content-Encoding': 'gzip', ...validators };
    res.writeHead(200, { ...headers, 'Content-Length': f.gz.length });
    res.end(head ? undefined : f.gz);
    return true;
  }
}
