import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { describeSourceContract } from '../../test/source-contract.js';
import { recordTimeoutDelays } from '../../test/timeout-delays.js';
import { MAX_TIMEOUT_MS } from './long-timeout.js';
import { ReplaySource } from './replay-source.js';
import type { Advertisement, ScanParams, SourceOptions } from './scan-source.js';

const dir = mkdtempSync(join(tmpdir(), 'bleshark-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HEADER = '{"bleshark":"recording","version":1,"source":"demo","started":"2025-01-01T00:00:00.000Z"}';
const PARAMS: ScanParams = { mode: 'active', interval: 100, window: 100, duplicates: true };

/** Writes a recording of `count` adverts `every` ms apart from `devices` addresses; returns its path. */
function recording(name: string, count: number, every: number, devices = 4): string {
  const lines = [HEADER];
  for (let i = 0; i < count; i++) {
    const addr = `c0:00:00:00:00:${(i % devices).toString(16).padStart(2, '0')}`;
    lines.push(
      JSON.stringify({
        t: 1000 + i * every,
        addr,
        addrType: 'random',
        rssi: -40 - (i % 50),
        conn: true,
        name: `<b>${i}</b>`,
      }),
    );
  }
  const f = join(dir, name);
  writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

const SHORT = recording('short.jsonl', 50, 20);
const CORRUPT = join(dir, 'corrupt.jsonl');
writeFileSync(
  CORRUPT,
  `${HEADER}\n{"t":1,"addr":"aa:bb:cc:dd:ee:ff","addrType":"random","rssi":-60,"conn":true}\n{oops\n`,
);

describeSourceContract('replay', async () => new ReplaySource({ file: SHORT, loop: true, speed: 4 }), {
  failures: [
    {
      what: 'the file is missing',
      make: async () => new ReplaySource({ file: join(dir, 'missing.jsonl') }),
      code: 'recording-unreadable',
      message: /cannot read the recording .*missing\.jsonl: no such file/,
    },
    {
      what: 'a line is corrupt',
      make: async () => new ReplaySource({ file: CORRUPT }),
      code: 'recording-invalid',
      message: /corrupt\.jsonl:3: not valid JSON/,
    },
  ],
});

/** Plays `options` until `end` (or `ms`) and returns the adverts with the time each arrived. */
async function play(options: SourceOptions, params = PARAMS, ms = 5000) {
  const source = new ReplaySource(options);
  const got: { ad: Advertisement; ms: number }[] = [];
  const events: string[] = [];
  const t0 = performance.now();
  source.on('advert', (ad) => got.push({ ad, ms: performance.now() - t0 }));
  source.on('state', (s) => events.push(s));
  const ended = new Promise<void>((resolve) =>
    source.on('end', () => {
      events.push('end');
      resolve();
    }),
  );
  await source.start(params);
  await Promise.race([ended, new Promise((r) => setTimeout(r, ms))]);
  await source.close();
  return { got, events, elapsed: performance.now() - t0 };
}

/**
 * Plays `options` on a fake clock for `runMs` and returns when each advert came (fake ms after start): the
 * timing is then exact however busy the machine is. The file is read with real I/O while the clock stands.
 */
async function playOnFakeClock(options: SourceOptions, runMs: number) {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance', 'Date'],
  });
  try {
    const source = new ReplaySource(options);
    const at: number[] = [];
    const events: string[] = [];
    source.on('advert', () => at.push(performance.now()));
    source.on('state', (s) => events.push(s));
    source.on('end', () => events.push('end'));
    await source.start(PARAMS);
    const t0 = performance.now();
    await vi.advanceTimersByTimeAsync(runMs);
    await source.close();
    return { at: at.map((t) => t - t0), events };
  } finally {
    vi.useRealTimers();
  }
}

describe('ReplaySource', () => {
  it('plays every advertisement in order, never faster than recorded, then ends', async () => {
    const { got, events, elapsed } = await play({ file: SHORT });
    expect(got.map((g) => g.ad.name)).toEqual(Array.from({ length: 50 }, (_, i) => `<b>${i}</b>`));
    expect(events).toEqual(['scanning', 'end', 'stopped']);
    // 49 gaps of 20 ms: at least 980 ms however busy the machine (a slow one only makes it later).
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(got.every((g) => typeof g.ad.at === 'number')).toBe(true);
  });

  it('keeps the recorded gaps: the first advert at once, then one every 20 ms', async () => {
    const { at, events } = await playOnFakeClock({ file: SHORT }, 2000);
    expect(at).toEqual(Array.from({ length: 50 }, (_, i) => i * 20));
    expect(events).toEqual(['scanning', 'end', 'stopped']);
  });

  it('scales the timing with speed', async () => {
    const { at } = await playOnFakeClock({ file: SHORT, speed: 4 }, 2000);
    // Gaps of 5 ms, under the 10 ms timer tick: each advert comes in the first tick at or after its time.
    expect(at.length).toBe(50);
    expect(at.filter((t, i) => t < i * 5 || t >= i * 5 + 10)).toEqual([]);
    expect(at.at(-1)).toBe(250);
  });

  it('plays as fast as possible at speed 0 without blocking the event loop', async () => {
    const big = recording('big.jsonl', 20_000, 1000);
    const source = new ReplaySource({ file: big, speed: 0 });
    let n = 0;
    let ticks = 0;
    source.on('advert', () => n++);
    const ended = new Promise((r) => source.once('end', () => r(undefined)));
    const timer = setInterval(() => ticks++, 1);
    await source.start(PARAMS);
    await ended;
    clearInterval(timer);
    expect(n).toBe(20_000);
    expect(ticks).toBeGreaterThan(0);
  });

  it('loops instead of ending', async () => {
    const { got, events } = await play({ file: SHORT, speed: 10, loop: true }, PARAMS, 400);
    expect(got.length).toBeGreaterThan(50);
    expect(got[50]!.ad.name).toBe('<b>0</b>');
    expect(events).toEqual(['scanning', 'stopped']);
  });

  it('continues where it stopped, and starts over after the end', async () => {
    const source = new ReplaySource({ file: SHORT, speed: 0 });
    const names: string[] = [];
    source.on('advert', (ad) => {
      names.push(ad.name!);
      if (names.length === 10) void source.stop();
    });
    await source.start(PARAMS);
    await new Promise((r) => setTimeout(r, 20));
    expect(names.length).toBe(10);
    const ended = new Promise((r) => source.once('end', () => r(undefined)));
    await source.start(PARAMS);
    await ended;
    expect(names.length).toBe(50);
    expect(names[10]).toBe('<b>10</b>');
    await source.start(PARAMS);
    await new Promise((r) => setTimeout(r, 20));
    expect(names[50]).toBe('<b>0</b>');
    await source.close();
  });

  it('plays every advertisement, repeats included, even with duplicates off (the scan engine drops them)', async () => {
    const all = await play({ file: SHORT, speed: 0 }, PARAMS);
    const { got } = await play({ file: SHORT, speed: 0 }, { ...PARAMS, duplicates: false });
    expect(got.map((g) => g.ad.addr)).toEqual(all.got.map((g) => g.ad.addr));
    expect(new Set(got.map((g) => g.ad.addr)).size).toBe(4);
    expect(got.length).toBeGreaterThan(4);
  });

  it('ends at once on a recording without advertisements, even when looping', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, `${HEADER}\n`);
    const { got, events } = await play({ file: empty, loop: true, log: () => {} }, PARAMS, 1000);
    expect(got).toEqual([]);
    expect(events).toEqual(['scanning', 'end', 'stopped']);
  });

  describe('a gap longer than setTimeout allows (a clock jump, a tiny --speed)', () => {
    const JUMP = 3_000_000_000;
    const gap = join(dir, 'gap.jsonl');
    const line = (t: number, i: number) =>
      JSON.stringify({ t, addr: `c0:00:00:00:00:0${i}`, addrType: 'random', rssi: -50, conn: true });
    writeFileSync(gap, `${[HEADER, line(1000, 1), line(1000 + JUMP, 2), line(1010 + JUMP, 3)].join('\n')}\n`);
    let source: ReplaySource | undefined;
    afterEach(async () => {
      vi.restoreAllMocks();
      vi.useRealTimers();
      await source?.close();
      source = undefined;
    });

    it('emits no TimeoutOverflowWarning and does not spin while it waits', async () => {
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.name);
      process.on('warning', onWarning);
      try {
        for (const options of [{ file: gap }, { file: SHORT, speed: 1e-9 }]) {
          source = new ReplaySource(options);
          let n = 0;
          source.on('advert', () => n++);
          await source.start(PARAMS);
          await new Promise((r) => setTimeout(r, 200));
          await source.close();
          expect(n).toBe(1);
        }
      } finally {
        process.off('warning', onWarning);
      }
      expect(warnings.filter((w) => w === 'TimeoutOverflowWarning')).toEqual([]);
    });

    it('waits in steps no longer than setTimeout allows and still plays the next records in order', async () => {
      vi.useFakeTimers({
        toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance', 'Date'],
      });
      const delays = recordTimeoutDelays();
      source = new ReplaySource({ file: gap });
      const addrs: string[] = [];
      source.on('advert', (ad) => addrs.push(ad.addr));
      await source.start(PARAMS);
      vi.advanceTimersByTime(1);
      expect(addrs).toEqual(['c0:00:00:00:00:01']);
      // Checked before advancing: an overflowing delay would re-arm every 1 ms for the whole gap.
      expect(delays.length).toBeGreaterThan(0);
      expect(delays.every((d) => d <= MAX_TIMEOUT_MS)).toBe(true);
      vi.advanceTimersByTime(JUMP - 100);
      expect(addrs).toHaveLength(1);
      vi.advanceTimersByTime(200);
      expect(addrs).toEqual(['c0:00:00:00:00:01', 'c0:00:00:00:00:02', 'c0:00:00:00:00:03']);
    });
  });

  it('needs a file and a sane speed', () => {
    expect(() => new ReplaySource({})).toThrow(/--replay FILE/);
    expect(() => new ReplaySource({ file: SHORT, speed: -1 })).toThrow(/--speed/);
  });
});
