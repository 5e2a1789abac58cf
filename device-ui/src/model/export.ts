// Session export as CSV and JSON. CSV text cells are neutralised against formula injection (a cell that
// starts with = + - @ tab CR or LF gets a leading apostrophe) and always quoted; numbers stay numbers.

import { type Dev, history, intervalMs } from './device-table.ts';
import { companyName } from './names.ts';

export type Cell = string | number | boolean | undefined | null;

/** One CSV cell: empty, a bare number, or a quoted, neutralised string. */
export function csvCell(v: Cell): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  let s = String(v);
  if (/^[=+\-@\t\r\n]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export const csvRow = (cells: readonly Cell[]): string => cells.map(csvCell).join(',');

export type ExportContext = {
  alias: (addr: string) => string | undefined;
  pinned: (addr: string) => boolean;
  label: (d: Dev) => string | undefined;
};

const HEAD =
  'address type name alias label rssi tx connectable companies first_ms last_ms count interval_ms pinned rssi_history'.split(
    ' ',
  );

/** The session as CSV (RFC 4180, CRLF line ends); the RSSI history is one space-separated cell. */
export function toCsv(devs: readonly Dev[], c: ExportContext): string {
  const rows = devs.map((d) => {
    const r = d.r;
    return csvRow([
      r.addr,
      r.addrType,
      r.name,
      c.alias(r.addr),
      c.label(d),
      r.rssi,
      r.tx,
      r.conn,
      r.mfr?.map((m) => companyName(m[0]) ?? m[0]).join(' '),
      r.first,
      r.last,
      r.count,
      intervalMs(d),
      c.pinned(r.addr),
      history(d)
        .map((v) => v ?? '')
        .join(' '),
    ]);
  });
  return `${[csvRow(HEAD), ...rows].join('\r\n')}\r\n`;
}

/** The session as JSON: every record as received plus alias, pin, label and RSSI history per second. */
export const toJson = (devs: readonly Dev[], c: ExportContext, meta: object): string =>
  JSON.stringify(
    {
      ...meta,
      devices: devs.map((d) => ({
        ...d.r,
        alias: c.alias(d.r.addr),
        pinned: c.pinned(d.r.addr),
        label: c.label(d),
        intervalMs: intervalMs(d),
        history: history(d),
      })),
    },
    null,
    1,
  );
