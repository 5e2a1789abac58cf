import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { agoText, fileStamp, hhmm, wallOf, wallOffset, when } from './clock.ts';
import { S } from './store.ts';

describe('device uptime and the wall clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    vi.setSystemTime(new Date(2026, 11, 5, 14, 3, 30));
    S.devT = undefined;
  });
  afterEach(() => vi.useRealTimers());

  it('is unknown until a message with the device time arrived', () => {
    expect(wallOffset()).toBeUndefined();
    expect(wallOf(5000)).toBeUndefined();
    expect(when(5000)).toBe('');
  });

  it('maps uptime to the wall clock through the newest message, also as time passes', () => {
    S.devT = 600_000;
    S.devAt = performance.now();
    const now = Date.now();
    expect(wallOf(600_000)).toBe(now);
    expect(wallOf(480_000)).toBe(now - 120_000);
    expect(when(480_000)).toBe('2 min ago · 14:01');
    vi.advanceTimersByTime(60_000);
    expect(wallOf(600_000)).toBe(now);
    expect(when(600_000)).toBe('1 min ago · 14:03');
  });

  it('says how long ago in words and stamps file names with the local date and time', () => {
    expect([0, 999, 12_500, 125_000, 3 * 36e5 + 5, 2 * 864e5].map(agoText)).toEqual([
      'now',
      'now',
      '12 s ago',
      '2 min ago',
      '3 h ago',
      '2 d ago',
    ]);
    expect(hhmm(new Date(2026, 0, 2, 3, 4).getTime())).toBe('03:04');
    expect(fileStamp(new Date(2026, 11, 5, 14, 3).getTime())).toBe('2026-12-05-1403');
  });
});
