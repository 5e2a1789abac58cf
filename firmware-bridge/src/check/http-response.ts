// Parses the server's answer to the opening handshake: the status line and the header fields. Header
// names are lowercased; repeated fields are joined with ", " (RFC 9110 5.3).

export type HttpResponse = {
  status: number;
  statusText: string;
  headers: Map<string, string>;
  /** Raw header block, for messages. */
  head: string;
};

/** Largest response head the checker reads before giving up. */
export const MAX_RESPONSE_HEAD = 16 * 1024;

/** Where the head ends (index just past the blank line), or -1 when more bytes are needed. */
export const headEnd = (buf: Buffer): number => {
  const i = buf.indexOf('\r\n\r\n');
  return i < 0 ? -1 : i + 4;
};

/** Parses a complete head, or returns a message saying what is wrong with it. */
export function parseResponseHead(head: string): HttpResponse | string {
  const lines = head.split('\r\n').filter((l) => l.length > 0);
  const statusLine = lines.shift() ?? '';
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!m) return `not an HTTP/1.1 status line: ${JSON.stringify(statusLine.slice(0, 80))}`;
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `malformed header line: ${JSON.stringify(line.slice(0, 80))}`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
  }
  return { status: Number(m[1]), statusText: m[2] ?? '', headers, head };
}

/** True when a comma-separated header holds the token (case-insensitive). */
export const headerHasToken = (value: string | undefined, token: string): boolean =>
  (value ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .includes(token.toLowerCase());
