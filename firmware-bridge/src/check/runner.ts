// Runs the checks: a probe connection first (the baseline epoch and limits), then the shared-state-safe
// checks with limited concurrency (kept below the device's maxClients), then the exclusive ones alone.
// After every negative case it reconnects and compares hello.epoch with the baseline. Every check runs
// under its own timeout and the whole run under a deadline; either cancels what is still running.
import { setMaxListeners } from 'node:events';
import type { HelloMessage } from '@bleshark/shared-protocol';
import { CHECKER_BOUNDS, DEFAULT_DEADLINE_MS, defaultCheckTimeoutMs } from './bounds.js';
import { createContext } from './context.js';
import { printable } from './printable.js';
import type { Target } from './target.js';
import { type Check, CheckFailure, type CheckResult, CheckSkip } from './types.js';

export type RunOptions = {
  target: Target;
  /** Per-step timeout in ms (--timeout). */
  timeoutMs: number;
  /** A check still running after this many ms is cancelled and fails. Default defaultCheckTimeoutMs(timeoutMs). */
  checkTimeoutMs?: number;
  /** The whole run stops after this many ms; checks not finished by then are reported as not run. Default 60,000. */
  deadlineMs?: number;
  /** Upper bound on checks in flight (further capped at maxClients - 1). Default 4. */
  concurrency?: number;
  /** Called once per result, in the order of `checks` (a failed probe first). */
  onResult?: (r: CheckResult) => void;
};

export type RunReport = {
  /** The probe's hello; undefined unless it passed the schema. */
  baseline: HelloMessage | undefined;
  probeError: string | undefined;
  /**
   * Why the run ended early: `unreachable` (the probe could not connect, nothing ran) or `deadline` (the
   * checks that had not finished are in `results` as skipped, `not run: ...`).
   */
  stopped: 'unreachable' | 'deadline' | undefined;
  /** Checks that did not run because of the deadline. */
  notRun: number;
  results: CheckResult[];
  ms: number;
};

/** The id of the result that reports a failed probe connection. */
export const PROBE_ID = 'probe';

/** How the detail of a check that the deadline kept from running (or finishing) starts. */
export const NOT_RUN = 'not run: ';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

type Probe = { hello?: HelloMessage; error?: string; unreachable?: boolean };

async function probe(target: Target, timeoutMs: number, signal: AbortSignal): Promise<Probe> {
  const ctx = createContext(target, timeoutMs, undefined, signal);
  try {
    const s = await ctx.session();
    return s.hello ? { hello: s.hello } : { error: s.helloProblem ?? 'no hello' };
  } catch (e) {
    return { error: message(e), unreachable: ctx.openError !== undefined && !signal.aborted };
  } finally {
    await ctx.dispose();
  }
}

/** Reconnects and reads hello.epoch; an epoch change means the device restarted. */
async function confirmEpoch(
  target: Target,
  timeoutMs: number,
  baseline: HelloMessage | undefined,
  signal: AbortSignal,
) {
  const ctx = createContext(target, timeoutMs, baseline, signal);
  try {
    const s = await ctx.session();
    const after = s.hello?.epoch;
    return { before: baseline?.epoch, after, unchanged: after !== undefined && after === baseline?.epoch };
  } catch (e) {
    return { before: baseline?.epoch, after: undefined, unchanged: false, error: message(e) };
  } finally {
    await ctx.dispose();
  }
}

/** A result's device-controlled text, escaped for printing. */
function escaped(r: CheckResult): CheckResult {
  r.detail = printable(r.detail);
  if (r.notes) r.notes = r.notes.map(printable);
  if (r.violations) r.violations = r.violations.map(printable);
  return r;
}

type Outcome = { ok: true; detail: string | undefined } | { ok: false; error: unknown };

async function runOne(
  check: Check,
  opts: RunOptions,
  baseline: HelloMessage | undefined,
  runSignal: AbortSignal,
): Promise<CheckResult> {
  const started = Date.now();
  const base = { id: check.id, title: check.title, expect: check.expect, ref: check.ref };
  const budget = opts.checkTimeoutMs ?? defaultCheckTimeoutMs(opts.timeoutMs);
  const cancel = new AbortController();
  const onRunAbort = () => cancel.abort();
  runSignal.addEventListener('abort', onRunAbort, { once: true });
  const timer = setTimeout(() => cancel.abort(), budget);
  const ctx = createContext(opts.target, opts.timeoutMs, baseline, cancel.signal);
  // Wrapped so that a check which throws before its first await is caught like any other.
  const running: Promise<Outcome> = (async () => check.run(ctx))().then(
    (detail) => ({ ok: true, detail }),
    (error: unknown) => ({ ok: false, error }),
  );
  const cancelled = new Promise<'cancelled'>((resolve) => {
    if (cancel.signal.aborted) resolve('cancelled');
    cancel.signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
  });
  const outcome = await Promise.race([running, cancelled]);
  clearTimeout(timer);
  runSignal.removeEventListener('abort', onRunAbort);
  if (outcome === 'cancelled') {
    // Its sockets are destroyed and its sleeps cut short, so the check ends promptly; wait one step for it.
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      graceTimer = setTimeout(resolve, opts.timeoutMs);
    });
    await Promise.race([running, grace]);
    clearTimeout(graceTimer);
  }
  let result: CheckResult;
  if (outcome === 'cancelled') {
    result = runSignal.aborted
      ? { ...base, status: 'skip', detail: `${NOT_RUN}cancelled at the run deadline`, ms: 0 }
      : { ...base, status: 'fail', detail: `did not finish within ${budget} ms (cancelled)`, ms: 0 };
  } else if (outcome.ok) {
    result = { ...base, status: 'pass', detail: outcome.detail ?? check.title, ms: 0 };
  } else {
    const e = outcome.error;
    result = {
      ...base,
      status: e instanceof CheckSkip ? 'skip' : 'fail',
      detail: e instanceof CheckFailure || e instanceof CheckSkip ? e.message : `error: ${message(e)}`,
      ms: 0,
    };
  }
  const violations = await ctx.dispose();
  if (violations.length) {
    result.violations = violations;
    // A server frame that broke RFC 6455 fails the check, whatever the check itself looked at.
    if (result.status === 'pass') {
      result.status = 'fail';
      const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
      result.detail = `the server broke RFC 6455: ${violations[0]}${more}`;
    }
  }
  if (check.negative && result.status !== 'skip' && !runSignal.aborted) {
    const ep = await confirmEpoch(opts.target, opts.timeoutMs, baseline, runSignal);
    result.epoch = { before: ep.before, after: ep.after, unchanged: ep.unchanged };
    if (!ep.unchanged && result.status === 'pass' && !runSignal.aborted) {
      result.status = 'fail';
      result.detail =
        'error' in ep
          ? `device did not accept a new connection afterwards: ${ep.error}`
          : `device restarted (epoch ${ep.before} -> ${ep.after})`;
    }
  }
  if (ctx.notes.length) result.notes = ctx.notes;
  result.ms = Date.now() - started;
  return escaped(result);
}

export async function runChecks(checks: Check[], opts: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const run = new AbortController();
  // One listener per check in flight and per epoch confirmation; the default warning threshold is 10.
  setMaxListeners(4 * CHECKER_BOUNDS.maxClients, run.signal);
  const deadline = setTimeout(() => run.abort(), deadlineMs);
  try {
    const p = await probe(opts.target, opts.timeoutMs, run.signal);
    const probeError = p.error === undefined ? undefined : printable(p.error);
    if (p.unreachable)
      return {
        baseline: undefined,
        probeError,
        stopped: 'unreachable',
        notRun: 0,
        results: [],
        ms: Date.now() - started,
      };
    const baseline = p.hello;
    const results: (CheckResult | undefined)[] = new Array(checks.length);
    const order: CheckResult[] = [];
    if (probeError !== undefined) {
      const r: CheckResult = {
        id: PROBE_ID,
        title: 'the first connection gets a hello that passes the schema',
        expect: 'hello passing the schema',
        ref: 'protocol: hello',
        status: 'fail',
        detail: probeError,
        ms: Date.now() - started,
      };
      order.push(r);
      opts.onResult?.(r);
    }
    const maxClients = Math.min(baseline?.limits.maxClients ?? 4, CHECKER_BOUNDS.maxClients);
    const width = Math.max(1, Math.min(opts.concurrency ?? 4, maxClients - 1));
    let flushed = 0;
    const flush = () => {
      while (flushed < checks.length && results[flushed]) {
        opts.onResult?.(results[flushed]!);
        flushed++;
      }
    };
    const indexed = checks.map((c, i) => ({ c, i }));
    const shared = indexed.filter((x) => !x.c.exclusive);
    const exclusive = indexed.filter((x) => x.c.exclusive);
    let cursor = 0;
    const worker = async () => {
      while (cursor < shared.length && !run.signal.aborted) {
        const { c, i } = shared[cursor++]!;
        results[i] = await runOne(c, opts, baseline, run.signal);
        flush();
      }
    };
    await Promise.all(Array.from({ length: width }, worker));
    for (const { c, i } of exclusive) {
      if (run.signal.aborted) break;
      results[i] = await runOne(c, opts, baseline, run.signal);
      flush();
    }
    for (const { c, i } of indexed)
      results[i] ??= {
        id: c.id,
        title: c.title,
        expect: c.expect,
        ref: c.ref,
        status: 'skip',
        detail: `${NOT_RUN}the run reached its deadline of ${deadlineMs} ms`,
        ms: 0,
      };
    flush();
    const notRun = results.filter((r) => r?.status === 'skip' && r.detail.startsWith(NOT_RUN)).length;
    order.push(...(results as CheckResult[]));
    return {
      baseline,
      probeError,
      stopped: run.signal.aborted ? 'deadline' : undefined,
      notRun,
      results: order,
      ms: Date.now() - started,
    };
  } finally {
    clearTimeout(deadline);
  }
}
