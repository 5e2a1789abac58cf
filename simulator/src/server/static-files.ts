// Serves the built page exactly as the firmware will: every file gzipped once (level 9) and cached until it
// changes on disk, a quoted ETag from the content hash, `Cache-Control: no-cache` and 304 on a match.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

type Cached = { mtimeMs: number; size: number; gz: Buffer; etag: string; type: string };

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

/** The ETag of some gzipped bytes: sha256, first 16 hex digits, quoted. */
export const etagOf = (gz: Buffer): string =>
  `"${createHash('sha256').update(gz).digest('hex').slice(0, 16)}"`;

/** Headers every page response carries. `wsHost` is the validated Host, so connect-src names it exactly. */
export function securityHeaders(wsHost: string | undefined): Record<string, string> {
  const ws = wsHost ? ` ws://${wsHost} wss://${wsHost}` : '';
  return {
    'Content-Security-Policy':
      `default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; ` +
      `img-src 'self' data:; connect-src 'self'${ws}; manifest-src 'self'; base-uri 'none'; ` +
      `form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>BLEShark simulator: page not built</title>
<body style="font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;line-height:1.5">
<h1>The page has not been built yet</h1>
<p>The simulator is running and <code>/scan/live</code> works, but <code>device-ui/dist/index.html</code> is missing.</p>
<p>Build it with <code>npm run build</code> at the repository root (or run <code>npm start</code>, which builds first), then reload.</p>
</body></html>
`;

export class StaticFiles {
  /** The directory served (device-ui/dist). */
  readonly dir: string;
  #cache = new Map<string, Cached>();

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** The gzipped file for a URL path, recomputed when its size or mtime changed; undefined when absent. */
  lookup(urlPath: string): Cached | undefined {
    const path = urlPath === '/' ? '/index.html' : urlPath;
    if (!SAFE_PATH.test(path) || path.includes('..')) return undefined;
    const file = join(this.dir, ...path.slice(1).split('/'));
    if (!file.startsWith(this.dir + sep)) return undefined;
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(file);
    } catch {
      this.#cache.delete(file);
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const hit = this.#cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const gz = gzipSync(readFileSync(file), { level: 9 });
    const entry: Cached = {
      mtimeMs: st.mtimeMs,
      size: st.size,
      gz,
      etag: etagOf(gz),
      type: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    };
    this.#cache.set(file, entry);
    return entry;
  }

  /** Answers a GET/HEAD for a file. Returns false when no file matches (the caller sends 404). */
  serve(req: IncomingMessage, res: ServerResponse, urlPath: string, wsHost: string | undefined): boolean {
    const f = this.lookup(urlPath);
    const head = req.method === 'HEAD';
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
    const headers = {
      ...securityHeaders(wsHost),
      'Content-Type': f.type,
      'Content-Encoding': 'gzip',
      ETag: f.etag,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
    };
    const inm = req.headers['if-none-match'];
    if (inm?.split(',').some((t) => t.trim() === f.etag || t.trim() === `W/${f.etag}`)) {
      res.writeHead(304, { ETag: f.etag, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' });
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'Content-Length': f.gz.length });
    res.end(head ? undefined : f.gz);
    return true;
  }
}
