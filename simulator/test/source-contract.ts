// The contract every ScanSource passes (demo, replay, noble, hci-replay, wrapped ones): one suite, run by
// each source's own test with a factory. Test support, not runtime code: only *.test.ts files import it.
import { check, isRealAddress } from '@bleshark/shared-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { advertisementSchema } from '../src/sources/recording.js';
import {
  type Advertisement,
  type ScanParams,
  type ScanSource,
  SourceError,
} from '../src/sources/scan-source.js';

export type ContractOptions = {
  /** Scan params for the tests (default: active, duplicates, 100/50 ms). */
  params?: ScanParams;
  /** How long to wait for an event, ms (default 2000). */
  timeoutMs?: number;
  /** How long "no adverts after stop" is watched, ms (default 150). */
  quietMs?: number;
  /** Sources that can be made to fail: each must reject start with a SourceError matching `message`. */
  failures?: { what: string; make: () => Promise<ScanSource>; code?: string; message: RegExp }[];
};

const PARAMS: ScanParams = { mode: 'active', interval: 100, window: 50, duplicates: true };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Problems with one advertisement, as text ('' when it is valid). */
export function advertProblems(ad: Advertisement): string {
  const bad = check(advertisementSchema, ad);
  if (bad) return bad;
  if (ad.addrType !== 'unknown' && !isRealAddress(ad.addr))
    return `addr: ${JSON.stringify(ad.addr)} is not aa:bb:cc:dd:ee:ff`;
  if (ad.at !== undefined && Math.abs(ad.at - Date.now()) > 60_000)
    return `at: ${ad.at} is not a recent Date.now()`;
  return '';
}

/** Resolves with the first `n` adverts, rejects after `ms`. */
function collect(source: ScanSource, n: number, ms: number): Promise<Advertisement[]> {
  return new Promise((resolve, reject) => {
    const got: Advertisement[] = [];
    const timer = setTimeout(() => {
      source.off('advert', on);
      reject(new Error(`${source.name}: only ${got.length} of ${n} adverts within ${ms} ms`));
    }, ms);
    const on = (ad: Advertisement) => {
      got.push(ad);
      if (got.length < n) return;
      clearTimeout(timer);
      source.off('advert', on);
      resolve(got);
    };
    source.on('advert', on);
  });
}

const timers = () =>
  process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'Immediate').length;

export function describeSourceContract(
  name: string,
  makeSource: () => Promise<ScanSource>,
  options: ContractOptions = {},
): void {
  const params = options.params ?? PARAMS;
  const ms = options.timeoutMs ?? 2000;
  const quiet = options.quietMs ?? 150;

  describe(`${name} source contract`, () => {
    const open: ScanSource[] = [];
    const errors: SourceError[] = [];
    const make = async () => {
      const s = await makeSource();
      s.on('error', (e) => errors.push(e));
      open.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
      expect(errors.splice(0)).toEqual([]);
    });

    it('reports scanning and emits valid adverts after start', async () => {
      const s = await make();
      const states: string[] = [];
      s.on('state', (st) => states.push(st));
      const adverts = collect(s, 20, ms);
      await s.start(params);
      for (const ad of await adverts) expect(advertProblems(ad), JSON.stringify(ad)).toBe('');
      expect(states[0]).toBe('scanning');
    });

    it('reports stopped and goes quiet after stop', async () => {
      const s = await make();
      await s.start(params);
      await collect(s, 1, ms);
      const states: string[] = [];
      s.on('state', (st) => states.push(st));
      await s.stop();
      await sleep(10);
      let late = 0;
      s.on('advert', () => late++);
      await sleep(quiet);
      expect(states).toEqual(['stopped']);
      expect(late).toBe(0);
    });

    it('scans again after a stop', async () => {
      const s = await make();
      await s.start(params);
      await collect(s, 1, ms);
      await s.stop();
      const states: string[] = [];
      s.on('state', (st) => states.push(st));
      const again = collect(s, 5, ms);
      await s.start(params);
      expect((await again).length).toBe(5);
      expect(states).toEqual(['scanning']);
    });

    it('resolves stop on an idle source without a state change', async () => {
      const s = await make();
      const states: string[] = [];
      s.on('state', (st) => states.push(st));
      await s.stop();
      await s.stop();
      expect(states).toEqual([]);
    });

    it('accepts start twice and keeps scanning', async () => {
      const s = await make();
      const states: string[] = [];
      s.on('state', (st) => states.push(st));
      await s.start(params);
      await s.start({ ...params, mode: 'passive' });
      await collect(s, 5, ms);
      expect(states.filter((st) => st === 'stopped')).toEqual([]);
      expect(states.length).toBeGreaterThan(0);
    });

    it('releases its timers on close', async () => {
      const before = timers();
      const s = await make();
      await s.start(params);
      await collect(s, 1, ms);
      await s.close();
      let late = 0;
      s.on('advert', () => late++);
      await sleep(quiet);
      expect(late).toBe(0);
      expect(timers()).toBeLessThanOrEqual(before);
    });

    for (const f of options.failures ?? []) {
      it(`rejects start with a SourceError when ${f.what}`, async () => {
        const s = await f.make();
        open.push(s);
        const states: string[] = [];
        s.on('state', (st) => states.push(st));
        const err = await s.start(params).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(SourceError);
        if (f.code) expect((err as SourceError).code).toBe(f.code);
        expect((err as SourceError).message).toMatch(f.message);
        expect(states).not.toContain('scanning');
      });
    }
  });
}
