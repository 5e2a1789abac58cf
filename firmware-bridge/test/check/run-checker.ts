// Runs the check command in-process and returns its JSON report (test helper).
import { checkCommand } from '../../src/check/command.js';
import type { CheckResult } from '../../src/check/types.js';

export type Report = { passed: number; failed: number; skipped: number; ms: number; results: CheckResult[] };

export async function runChecker(args: string[]): Promise<{ code: number; report: Report; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await checkCommand([...args, '--json'], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, report: JSON.parse(out.join('\n')) as Report, err };
}

/** `id: detail` for every result with the status, for readable assertion messages. */
export const withStatus = (r: Report, status: CheckResult['status']): string[] =>
  r.results.filter((x) => x.status === status).map((x) => `${x.id}: ${x.detail}`);

export const idsWithStatus = (r: Report, status: CheckResult['status']): string[] =>
  r.results.filter((x) => x.status === status).map((x) => x.id);
