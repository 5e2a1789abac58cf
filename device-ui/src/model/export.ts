// Session export as CSV and JSON. CSV text cells show control and bidi characters as the page does (NUL as
// U+2400, ESC as U+241B, RLO as `\u202E`: sanitize.ts), are neutralised against formula injection (a cell
// that starts with = + - @ tab CR or LF gets a leading apostrophe) and always quoted; numbers stay numbers.
// The JSON keeps every string as received, with control and bidi characters written as `\uXXXX` escapes.
// Part of the lazily loaded decode.js (export-file.ts); pure functions of their arguments.
import { type Dev, history, intervalMs } from './device-table.ts';
import { jsonSafe, unhide } from './sanitize.ts';

export type Cell = string | number | boolean | undefined | null;

/** One CSV cell: empty, a bare number or boolean, or a quoted, neutralised string. */
export const csvCell = (v: Cell): string =>
  v == null
    ? ''
    : (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean'
      ? `${v}`
      : `"${unhide(`${v}`.replace(/^[=+\-@\t\r\n]/, "'$&")).replace(/"/g, '""')}"`;

export type ExportContext = {
  alias: (addr: string) => string | undefined;
  pinned: (addr: string) => boolean;
  label: (d: Dev) => string | undefined;
  /** A company's name by its SIG id, if known. */
  company: (id: number) => string | undefined;
  /** Device uptime (ms) as an ISO 8601 wall-clock time, when the clock is known. */
  iso: (uptime: number) => string | undefined;
};

/** The RSSI history as one cell: a value per second, oldest first, empty where not heard ("-61;;-60"). */
const historyCell = (d: Dev): string => history(d).join(';').replace(/^;+/, '');

/**
 * The session as CSV (RFC 4180, CRLF line ends): first and last seen as ISO 8601 times, booleans and numbers
 * bare, the RSSI history one `;`-separated cell.
 */
export const toCsv = (devs: readonly Dev[], c: ExportContext): string =>
  [
    'address type name alias label rssi tx connectable companies first last count interval_ms pinned rssi_history'.split(
      ' ',
    ),
    ...devs.map(({ r }, i) => [
      r.addr,
      r.addrType,
      r.name,
      c.alias(r.addr),
      c.label(devs[i]!),
      r.rssi,
      r.tx,
      r.conn,
      r.mfr?.map((m) => c.company(m[0]) ?? m[0]).join(' '),
      c.iso(r.first),
      c.iso(r.last),
      r.count,
      intervalMs(devs[i]!),
      c.pinned(r.addr),
      historyCell(devs[i]!),
    ]),
    [],
  ]
    .map((row: Cell[]) => row.map(csvCell).join(','))
    .join('\r\n');

/**
 * The session as JSON: every record as received (first / last in device uptime ms) plus alias, pin, label,
 * first and last seen as ISO 8601 times and RSSI history per second. Control
 * and bidi characters are escaped (JSON.stringify leaves DEL, C1 and the bidi controls raw), so the file
 * reads safely in an editor and parses back to the same strings.
 */
export const toJson = (devs: readonly Dev[], c: ExportContext, meta: object): string =>
  jsonSafe(
    JSON.stringify(
      {
        ...meta,
        devices: devs.map((d) => ({
          ...d.r,
          alias: c.alias(d.r.addr),
          pinned: c.pinned(d.r.addr),
          label: c.label(d),
          firstSeen: c.iso(d.r.first),
          lastSeen: c.iso(d.r.last),
          intervalMs: intervalMs(d),
          history: history(d),
        })),
      },
      null,
      1,
    ),
  );
