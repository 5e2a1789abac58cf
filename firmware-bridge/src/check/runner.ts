// Runs the checks: a probe connection first (the baseline epoch and limits), then the shared-state-safe
// checks with limited concurrency (kept below the device's maxClients), then the exclusive ones alone.
// After every negative case it reconnects and compares hello.epoch with the baseline.
import type { HelloMessage } from '@bleshark/shared-protocol';
import { createContext } from './context.js';
import type { Target } from './target.js';
import { type Check, CheckFailure, type CheckResult, CheckSkip } from './types.js';

export type RunOptions = {
  target: Target;
  timeoutMs: number;
  /** Upper bound on checks in flight (further capped at maxClients - 1). Default 4. */
  concurrency?: number;
  /** Called once per result, in the order of `checks`. */
  onResult?: (r: CheckResult) => void;
};

export type RunReport = {
  baseline: HelloMessage | undefined;
  probeError: string | undefined;
  results: CheckResult[];
  ms: number;
};

async function probe(target: Target, timeoutMs: number): Promise<{ hello?: HelloMessage; error?: string }> {
  const ctx = createContext(target, timeoutMs, undefined);
  try {
    const s = await ctx.session();
    return s.hello ? { hello: s.hello } : { error: 'the first message was not hello' };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    await ctx.dispose();
  }
}

/** Reconnects and reads hello.epoch; an epoch change means the device restarted. */
async function confirmEpoch(target: Target, timeoutMs: number, baseline: HelloMessage | undefined) {
  const ctx = createContext(target, timeoutMs, baseline);
  try {
    const s = await ctx.session();
    const after = s.hello?.epoch;
    return { before: baseline?.epoch, after, unchanged: after !== undefined && after === baseline?.epoch };
  } catch (e) {
    return {
      before: baseline?.epoch,
      after: undefined,
      unchanged: false,
      error: e instanceof Error ? e.message : String(e),
    };
  } finally {
    await ctx.dispose();
  }
}

async function runOne(
  check: Check,
  opts: RunOptions,
  baseline: HelloMessage | undefined,
): Promise<CheckResult> {
  const started = Date.now();
  const ctx = createContext(opts.target, opts.timeoutMs, baseline);
  const budget = 8 * opts.timeoutMs + (baseline?.limits.statusIntervalMs ?? 2000);
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailure(`did not finish within ${budget} ms`)), budget);
  });
  const base = { id: check.id, title: check.title, expect: check.expect, ref: check.ref };
  let result: CheckResult;
  try {
    const detail = await Promise.race([check.run(ctx), guard]);
    result = { ...base, status: 'pass', detail: detail ?? check.title, ms: 0 };
  } catch (e) {
    const status = e instanceof CheckSkip ? 'skip' : 'fail';
    const msg = e instanceof Error ? e.message : String(e);
    result = {
      ...base,
      status,
      detail: e instanceof CheckFailure || e instanceof CheckSkip ? msg : `error: ${msg}`,
      ms: 0,
    };
  } finally {
    clearTimeout(timer);
  }
  const violations = await ctx.dispose();
  if (violations.length) result.violations = violations;
  if (check.negative && result.status !== 'skip') {
    const ep = await confirmEpoch(opts.target, opts.timeoutMs, baseline);
    result.epoch = { before: ep.before, after: ep.after, unchanged: ep.unchanged };
    if (!ep.unchanged && result.status === 'pass') {
      result.status = 'fail';
      result.detail =
        'error' in ep
          ? `device did not accept a new connection afterwards: ${ep.error}`
          : `device restarted (epoch ${ep.before} -> ${ep.after})`;
    }
  }
  if (ctx.notes.length) result.notes = ctx.notes;
  result.ms = Date.now() - started;
  return result;
}

export async function runChecks(checks: Check[], opts: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const p = await probe(opts.target, opts.timeoutMs);
  const baseline = p.hello;
  const maxClients = baseline?.limits.maxClients ?? 4;
  const width = Math.max(1, Math.min(opts.concurrency ?? 4, maxClients - 1));
  const results: (CheckResult | undefined)[] = new Array(checks.length);
  let flushed = 0;
  const flush = () => {
    while (flushed < checks.length && results[flushed]) {
      const r = results[flushed]!;
      flushed++;
      opts.onResult?.(r);
    }
  };
  const order = checks.map((c, i) => ({ c, i }));
  const shared = order.filter((x) => !x.c.exclusive);
  const exclusive = order.filter((x) => x.c.exclusive);
  let cursor = 0;
  const worker = async () => {
    while (cursor < shared.length) {
      const { c, i } = shared[cursor++]!;
      results[i] = await runOne(c, opts, baseline);
      flush();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  for (const { c, i } of exclusive) {
    results[i] = await runOne(c, opts, baseline);
    flush();
  }
  return { baseline, probeError: p.error, results: results as CheckResult[], ms: Date.now() - started };
}
