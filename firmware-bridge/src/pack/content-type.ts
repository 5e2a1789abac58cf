// The Content-Type each packed file is served with, by extension. Text types carry charset=utf-8 because
// the page and its tables are UTF-8 and the firmware sends the header verbatim.

const TYPES: Readonly<Record<string, string>> = {
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

/** The fallback for unknown extensions. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The Content-Type for a file name or URL path (matched on the lowercase extension). */
export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  const ext = dot > path.lastIndexOf('/') ? path.slice(dot).toLowerCase() : '';
  return TYPES[ext] ?? DEFAULT_CONTENT_TYPE;
}
