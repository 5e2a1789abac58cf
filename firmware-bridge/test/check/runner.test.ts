// The runner cancels what it gives up on: a check past its timeout or the run's deadline has its sockets
// destroyed and can open nothing more, so nothing keeps running behind the report.
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_RUN, runChecks } from '../../src/check/runner.js';
import { parseTarget, type Target } from '../../src/check/target.js';
import type { Check } from '../../src/check/types.js';
import { type RawDevice, startRawDevice } from './fixtures/raw-device.js';

let device: RawDevice | undefined;

afterEach(async () => {
  await device?.close();
  device = undefined;
});

const target = (url: string): Target => {
  const t = parseTarget(url);
  if (typeof t === 'string') throw new Error(t);
  return t;
};

const check = (id: string, run: Check['run']): Check => ({ id, title: id, expect: 'x', ref: 'test', run });

/** Opens a connection every 20 ms, forever (a plain timer: only the cancelled open stops it). */
const opener = (id: string) =>
  check(id, async (ctx) => {
    for (;;) {
      await ctx.open();
      await new Promise((r) => setTimeout(r, 20));
    }
  });

/** Waits and returns how many connections the device accepted in that time. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Connections the device accepts in `ms`, counted once everything the cancelled checks held is closed and a
 * settling second has passed: on a busy machine a connect issued just before the cancel may still be
 * accepted a little later; a check that keeps opening connections shows up however long the wait.
 */
const acceptedAfterSettling = async (d: RawDevice, ms: number): Promise<number> => {
  await expect.poll(() => d.open, { timeout: 10_000 }).toBe(0);
  await sleep(1000);
  const before = d.connections;
  await sleep(ms);
  return d.connections - before;
};

describe('runChecks', () => {
  it('cancels a check that runs past --check-timeout: it fails, and opens and holds nothing afterwards', async () => {
    device = await startRawDevice('silent');
    const reading = check('test.reads-forever', async (ctx) => {
      const s = await ctx.session();
      await s.next(60_000);
      return 'read';
    });
    const run = await runChecks([opener('test.opens-forever'), reading], {
      target: target(device.url),
      timeoutMs: 300,
      checkTimeoutMs: 800,
      deadlineMs: 20_000,
    });
    expect(run.results.map((r) => `${r.id}: ${r.status}: ${r.detail}`)).toEqual([
      'probe: fail: no message within 300 ms after the 101',
      'test.opens-forever: fail: did not finish within 800 ms (cancelled)',
      'test.reads-forever: fail: did not finish within 800 ms (cancelled)',
    ]);
    expect(run.stopped).toBeUndefined();
    expect(await acceptedAfterSettling(device, 1000)).toBe(0);
    expect(device.open).toBe(0);
  }, 20_000);

  it('at the deadline cancels the checks in flight and reports them and the rest as not run', async () => {
    device = await startRawDevice('silent');
    const checks = Array.from({ length: 6 }, (_, i) => opener(`test.opener-${i}`));
    const run = await runChecks(checks, {
      target: target(device.url),
      timeoutMs: 300,
      checkTimeoutMs: 60_000,
      deadlineMs: 1500,
      concurrency: 2,
    });
    expect(run.stopped).toBe('deadline');
    expect(run.results.map((r) => r.id)).toEqual(['probe', ...checks.map((c) => c.id)]);
    const notRun = run.results.filter((r) => r.detail.startsWith(NOT_RUN));
    expect(notRun.map((r) => r.status)).toEqual(Array(6).fill('skip'));
    expect(run.notRun).toBe(6);
    expect(await acceptedAfterSettling(device, 1000)).toBe(0);
    expect(device.open).toBe(0);
  }, 20_000);
});
