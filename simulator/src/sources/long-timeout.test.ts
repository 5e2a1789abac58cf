import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordTimeoutDelays } from '../../test/timeout-delays.js';
import { MAX_TIMEOUT_MS, setLongTimeout } from './long-timeout.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('setLongTimeout', () => {
  it('waits out a delay longer than setTimeout allows in steps, firing once and not early', () => {
    vi.useFakeTimers();
    const delays = recordTimeoutDelays();
    const fn = vi.fn();
    const ms = 3 * MAX_TIMEOUT_MS + 1234;
    setLongTimeout(fn, ms);
    vi.advanceTimersByTime(ms - 1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([MAX_TIMEOUT_MS, MAX_TIMEOUT_MS, MAX_TIMEOUT_MS, 1234]);
    vi.advanceTimersByTime(10 * MAX_TIMEOUT_MS);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('fires a short delay like setTimeout, and clear() cancels it at any step', () => {
    vi.useFakeTimers();
    const short = vi.fn();
    setLongTimeout(short, 25);
    vi.advanceTimersByTime(25);
    expect(short).toHaveBeenCalledTimes(1);

    const long = vi.fn();
    const t = setLongTimeout(long, 2 * MAX_TIMEOUT_MS);
    vi.advanceTimersByTime(MAX_TIMEOUT_MS + 5);
    t.clear();
    t.clear();
    vi.advanceTimersByTime(2 * MAX_TIMEOUT_MS);
    expect(long).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats a negative or NaN delay as 0 and never fires an infinite one', () => {
    vi.useFakeTimers();
    const fns = [vi.fn(), vi.fn(), vi.fn()];
    setLongTimeout(fns[0]!, -5);
    setLongTimeout(fns[1]!, Number.NaN);
    setLongTimeout(fns[2]!, Number.POSITIVE_INFINITY);
    vi.advanceTimersByTime(1);
    expect(fns.map((f) => f.mock.calls.length)).toEqual([1, 1, 0]);
  });

  it('emits no TimeoutOverflowWarning for a delay of years (real timers)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const fn = vi.fn();
    const t = setLongTimeout(fn, 1e12);
    await new Promise((r) => setTimeout(r, 100));
    t.clear();
    process.off('warning', onWarning);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
    expect(fn).not.toHaveBeenCalled();
  });
});
