import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../../test-support/fixtures.js';
import { CAPS } from './down.js';
import { missingCap, scanTimingProblem } from './up.js';

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

describe('missingCap', () => {
  const { up, down } = loadFixtures();
  const fixture = (name: string) => {
    const msg = up.find((f) => f.name === name)?.message;
    if (!msg) throw new Error(`no fixture up/${name}`);
    return msg;
  };

  it('finds every command doable on a device with all the abilities', () => {
    const all = Object.keys(CAPS);
    const nano = down.find((f) => f.name === 'hello-nano')?.message;
    expect(nano?.type === 'hello' && [...nano.caps].sort()).toEqual([...all].sort());
    for (const f of up) expect(missingCap(f.message, all), f.name).toBeUndefined();
  });

  it('names the ability a device without caps lacks (it answers unsupported)', () => {
    const hello = down.find((f) => f.name === 'hello-noble-no-caps')?.message;
    const caps = hello?.type === 'hello' ? hello.caps : ['not a hello'];
    expect(caps).toEqual([]);
    expect(missingCap(fixture('scan-start-passive'), caps)).toBe('passive');
    expect(missingCap(fixture('scan-start-duration'), caps)).toBe('duration');
    expect(missingCap(fixture('filter-empty'), caps)).toBe('filter');
    expect(missingCap(fixture('clear'), caps)).toBe('clear');
    expect(missingCap(fixture('scan-start-until-stopped'), caps)).toBe('duplicates');
  });

  it('needs no ability for the core commands', () => {
    for (const name of ['scan-stop', 'snapshot-request', 'scan-start-no-fields', 'scan-start-interval-only'])
      expect(missingCap(fixture(name), []), name).toBeUndefined();
    expect(missingCap({ type: 'scan-start', mode: 'active', duration: 0 }, [])).toBeUndefined();
  });
});
