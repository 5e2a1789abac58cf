import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../../test-support/fixtures.js';
import { scanTimingProblem } from './up.js';

const LAUNCH = { interval: 100, window: 50 };

describe('scanTimingProblem', () => {
  it('refuses a window alone over the interval in effect, naming the valid range (the golden answer)', () => {
    const { up, down } = loadFixtures();
    const start = up.find((f) => f.name === 'scan-start-window-only')?.message;
    const answer = down.find((f) => f.name === 'error-invalid-field-window-over-interval')?.message;
    expect(start?.type).toBe('scan-start');
    expect(answer?.type).toBe('error');
    if (start?.type !== 'scan-start' || answer?.type !== 'error') return;
    expect(scanTimingProblem(start, LAUNCH)).toBe(answer.message);
  });

  it('refuses an interval alone under the window in effect', () => {
    expect(scanTimingProblem({ interval: 20 }, LAUNCH)).toBe(
      'interval: 20 ms is under the window in effect (50 ms); send an interval of 50..10240, or a window with it',
    );
  });

  it('accepts values that fit the scan in effect, and pairs the parser already checked', () => {
    expect(scanTimingProblem({}, LAUNCH)).toBeUndefined();
    expect(scanTimingProblem({ window: 100 }, LAUNCH)).toBeUndefined();
    expect(scanTimingProblem({ interval: 50 }, LAUNCH)).toBeUndefined();
    expect(scanTimingProblem({ interval: 20, window: 10 }, LAUNCH)).toBeUndefined();
    expect(scanTimingProblem({ interval: 10240, window: 10240 }, LAUNCH)).toBeUndefined();
  });
});
