// The device under test, from the URL on the command line.
import { ENDPOINT_PATH } from '@bleshark/shared-protocol';

export type Target = {
  url: string;
  secure: boolean;
  host: string;
  port: number;
  /** Request target with the token query when a token is set. */
  path: string;
  /** Path without query, for building wrong paths. */
  pathname: string;
  /** The query the checker adds to every request ('' or '?token=...'). */
  query: string;
  /** Host header value as a browser would send it. */
  hostHeader: string;
  /** Origin sent on every connection (undefined: none, like a non-browser tool). */
  origin: string | undefined;
  token: string | undefined;
};

/** Parses ws:// and wss:// URLs; returns a message for anything else. */
export function parseTarget(url: string, opts: { origin?: string; token?: string } = {}): Target | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:')
    return `only ws:// and wss:// URLs are supported, got ${u.protocol}`;
  const secure = u.protocol === 'wss:';
  const port = u.port ? Number(u.port) : secure ? 443 : 80;
  const pathname = u.pathname === '' || u.pathname === '/' ? ENDPOINT_PATH : u.pathname;
  const params = new URLSearchParams(u.search);
  if (opts.token !== undefined) params.set('token', opts.token);
  const qs = params.toString();
  const query = qs ? `?${qs}` : '';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return {
    url,
    secure,
    host,
    port,
    path: pathname + query,
    pathname,
    query,
    hostHeader: u.host,
    origin: opts.origin,
    token: opts.token ?? (params.get('token') || undefined),
  };
}
