// Builds the opening handshake by hand so that any header can be missing or wrong on purpose.
import { createHash, randomBytes } from 'node:crypto';
import type { Target } from './target.js';

/** The GUID of RFC 6455 1.3. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The Sec-WebSocket-Accept value a server must send for a key (RFC 6455 4.2.2). */
export const acceptFor = (key: string): string =>
  createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');

export const randomKey = (): string => randomBytes(16).toString('base64');

export type HandshakeOptions = {
  /** Request target; default: the target's path (with the token query when a token is set). */
  path?: string;
  method?: string;
  /** Header overrides by name (case-insensitive); `null` removes a default header. */
  headers?: Record<string, string | null>;
  /** Extra header lines appended as given (for floods). */
  extraLines?: string[];
};

export type HandshakeRequest = { text: string; key: string | undefined };

/** Builds the request text; defaults are what a conformant client sends. */
export function buildHandshake(target: Target, opts: HandshakeOptions = {}): HandshakeRequest {
  const key = randomKey();
  const defaults: [string, string][] = [
    ['Host', target.hostHeader],
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', key],
    ['Sec-WebSocket-Version', '13'],
  ];
  if (target.origin !== undefined) defaults.push(['Origin', target.origin]);
  const overrides = new Map(Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), { k, v }]));
  const lines: string[] = [];
  let sentKey: string | undefined;
  for (const [name, value] of defaults) {
    const o = overrides.get(name.toLowerCase());
    overrides.delete(name.toLowerCase());
    const v = o ? o.v : value;
    if (v === null) continue;
    if (name === 'Sec-WebSocket-Key') sentKey = v;
    lines.push(`${name}: ${v}`);
  }
  for (const { k, v } of overrides.values()) if (v !== null) lines.push(`${k}: ${v}`);
  lines.push(...(opts.extraLines ?? []));
  const text = `${opts.method ?? 'GET'} ${opts.path ?? target.path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
  return { text, key: sentKey };
}
