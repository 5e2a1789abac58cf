// Serves the built page exactly as the firmware will: every file gzipped, tagged and typed by the flash
// recipe of `bleshark-bridge pack` (@bleshark/firmware-bridge/flash, so the bytes and ETag here are the bytes
// and ETag flashed), cached until it changes on disk, `Cache-Control: no-cache` and 304 on a match.
//
// zopfli is slow (about 0.1 s for the page, 0.25 s for names.json) and runs on this thread, so the server
// listens first and `warm()` compresses every file in the background, one at a time. A request for a file
// whose compression is under way waits for that same promise; an entry is cached only once complete.
import type { Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, extname, join, resolve, sep } from 'node:path';
import {
  contentTypeFor,
  etagOf,
  flashGzip,
  inlineScriptHashes,
  pageCsp,
} from '@bleshark/firmware-bridge/flash';

type Cached = {
  mtimeMs: number;
  size: number;
  gz: Buffer;
  etag: string;
  type: string;
  /** CSP hash sources of the inline scripts (html files only; empty otherwise). */
  scripts: string[];
};

/** Only plain names are served: no dot files, no traversal, no odd characters. */
const SAFE_PATH = /^\/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Headers EVERY response carries, errors and 304 included. `wsHost` is the validated Host, so connect-src
 * names it exactly; `scripts` are the page's inline script hashes (inlineScriptHashes), none for anything
 * that is not the page. The policy and the hashes come from the flash recipe, so pack writes the same ones
 * into bleshark_web_ui.h for the firmware.
 */
export function securityHeaders(
  wsHost: string | undefined,
  scripts: readonly string[] = [],
): Record<string, string> {
  return {
    'Content-Security-Policy': pageCsp(scripts, wsHost),
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
    const gz = await flashGzip(raw);
    return {
      mtimeMs,
      size,
      gz,
      etag: etagOf(gz),
      type: contentTypeFor(basename(file)),
      scripts: extname(file).toLowerCase() === '.html' ? inlineScriptHashes(raw) : [],
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
