// Turns results into the human lines and the JSON report.
import { PROTOCOL_VERSION, SCHEMA_HASH } from '@bleshark/shared-protocol';
import { printable } from './printable.js';
import type { RunReport } from './runner.js';
import type { CheckResult } from './types.js';

/** `pass  handshake.accept-key  Sec-WebSocket-Accept matches (RFC 6455 4.2.2)` */
export function formatLine(r: CheckResult): string {
  const ref = r.status === 'skip' ? '' : ` (${r.ref})`;
  return `${r.status.padEnd(4)}  ${r.id}  ${r.detail}${ref}`;
}

export type Totals = { passed: number; failed: number; skipped: number };

export const totals = (results: CheckResult[]): Totals => ({
  passed: results.filter((r) => r.status === 'pass').length,
  failed: results.filter((r) => r.status === 'fail').length,
  skipped: results.filter((r) => r.status === 'skip').length,
});

/** `N passed, M failed` plus `, K skipped` when K > 0. */
export function summaryLine(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`;
}

export function jsonReport(url: string, run: RunReport): string {
  const h = run.baseline;
  return JSON.stringify(
    {
      url: printable(url),
      checker: { protocol: PROTOCOL_VERSION, schema: SCHEMA_HASH },
      device: h
        ? {
            model: printable(h.device.model),
            firmware: printable(h.device.firmware),
            protocol: h.protocol,
            schema: h.schema,
            epoch: h.epoch,
            limits: h.limits,
          }
        : null,
      probeError: run.probeError ?? null,
      stopped: run.stopped ?? null,
      ...totals(run.results),
      notRun: run.notRun,
      ms: run.ms,
      results: run.results,
    },
    null,
    2,
  );
}
