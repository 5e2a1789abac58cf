import { classify, decodeAll, fromHex, parseAdvertisement } from '@bleshark/shared-protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { advertProblems, describeSourceContract } from '../../test/source-contract.js';
import { HOSTILE_NAMES } from './demo-kinds.js';
import { DemoScene } from './demo-scene.js';
import { DemoSource } from './demo-source.js';
import type { Advertisement, ScanParams } from './scan-source.js';

const ACTIVE: ScanParams = { mode: 'active', interval: 100, window: 100, duplicates: true };
const strip = ({ at: _at, ...rest }: Advertisement) => rest;

describeSourceContract('demo', async () => new DemoSource({ rate: 400 }));

/** Runs a source under fake timers for `ms` and returns what it emitted. */
async function run(source: DemoSource, params: ScanParams, ms: number): Promise<Advertisement[]> {
  const out: Advertisement[] = [];
  source.on('advert', (ad) => out.push(ad));
  await source.start(params);
  await vi.advanceTimersByTimeAsync(ms);
  await source.close();
  return out;
}

describe('DemoSource', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('emits the same advertisements in the same order for the same seed', async () => {
    vi.useFakeTimers();
    const a = await run(new DemoSource({ seed: 7, rate: 500 }), ACTIVE, 2000);
    const b = await run(new DemoSource({ seed: 7, rate: 500 }), ACTIVE, 2000);
    const c = await run(new DemoSource({ seed: 8, rate: 500 }), ACTIVE, 2000);
    expect(a.length).toBeGreaterThan(900);
    expect(b.map(strip)).toEqual(a.map(strip));
    expect(c.map(strip)).not.toEqual(a.map(strip));
  });

  it('does not depend on how the ticks fall', () => {
    const one = new DemoScene({ seed: 3 });
    const other = new DemoScene({ seed: 3 });
    const a = Array.from({ length: 3000 }, () => one.next(true));
    const b = Array.from({ length: 3000 }, () => other.next(true));
    expect(b).toEqual(a);
  });

  it('emits about `rate` adverts per second', async () => {
    vi.useFakeTimers();
    const got = await run(new DemoSource({ rate: 200 }), ACTIVE, 1000);
    expect(got.length).toBeGreaterThanOrEqual(180);
    expect(got.length).toBeLessThanOrEqual(210);
  });

  it('emits 5,000 adverts/s from 10,000 devices (its speed is measured in bench/, not here)', async () => {
    vi.useFakeTimers();
    const got = await run(new DemoSource({ rate: 5000, devices: 10_000 }), ACTIVE, 1000);
    expect(got.length).toBeGreaterThan(4500);
    expect(new Set(got.map((ad) => ad.addr)).size).toBeGreaterThan(2500);
  });

  it('carries names from scan responses only in active scans', async () => {
    vi.useFakeTimers();
    const active = await run(new DemoSource({ rate: 500 }), ACTIVE, 3000);
    const passive = await run(new DemoSource({ rate: 500 }), { ...ACTIVE, mode: 'passive' }, 3000);
    expect(active.some((ad) => ad.rsp)).toBe(true);
    expect(passive.some((ad) => ad.rsp)).toBe(false);
    const names = (ads: Advertisement[]) => new Set(ads.map((ad) => ad.name).filter(Boolean));
    expect(names(active).has('Pixel Buds Pro')).toBe(true);
    expect(names(passive).has('Pixel Buds Pro')).toBe(false);
    expect(names(passive).has('<script>alert(1)</script>')).toBe(true);
  });

  it('keeps reporting the newest scan response it heard once a scan turns passive, as a scanner does', async () => {
    vi.useFakeTimers();
    const source = new DemoSource({ rate: 500 });
    const got: Advertisement[] = [];
    source.on('advert', (ad) => got.push(ad));
    await source.start(ACTIVE);
    await vi.advanceTimersByTimeAsync(3000);
    const heard = new Map(got.filter((ad) => ad.rsp).map((ad) => [ad.addr, ad.rsp]));
    expect(heard.size).toBeGreaterThan(0);
    got.length = 0;
    await source.start({ ...ACTIVE, mode: 'passive' });
    await vi.advanceTimersByTimeAsync(3000);
    await source.close();
    const again = got.filter((ad) => heard.has(ad.addr));
    expect(again.length).toBeGreaterThan(0);
    for (const ad of again) expect(ad.rsp).toBe(heard.get(ad.addr));
    expect(got.filter((ad) => !heard.has(ad.addr) && ad.rsp)).toEqual([]);
  });

  it('delivers repeats even with duplicates off (the scan engine drops them)', async () => {
    vi.useFakeTimers();
    const source = new DemoSource({ rate: 500 });
    const got = await run(source, { ...ACTIVE, duplicates: false }, 3000);
    const addrs = got.map((ad) => ad.addr);
    expect(new Set(addrs).size).toBeGreaterThan(30);
    expect(new Set(addrs).size).toBeLessThan(addrs.length);
  });

  it('rejects bad options with a SourceError', () => {
    expect(() => new DemoSource({ rate: 0 })).toThrow(/--rate/);
    expect(() => new DemoSource({ devices: 1.5 })).toThrow(/--devices/);
    expect(() => new DemoSource({ seed: Number.NaN })).toThrow(/--seed/);
  });
});

describe('the demo crowd', () => {
  const scene = new DemoScene({ seed: 1 });
  const ads = Array.from({ length: 6000 }, () => scene.next(true)).filter((ad) => ad !== undefined);

  it('is valid on the wire and its fields agree with its own bytes', () => {
    for (const ad of ads) {
      expect(advertProblems(ad)).toBe('');
      const f = parseAdvertisement(fromHex(ad.adv!)!, ...(ad.rsp ? [fromHex(ad.rsp)!] : []));
      expect(f.errors).toEqual([]);
      expect(ad.name).toBe(f.name);
      expect(ad.tx).toBe(f.tx);
      expect(ad.mfr ?? []).toEqual(f.mfr);
      expect(ad.uuids ?? []).toEqual(f.uuids);
      expect(ad.svc ?? []).toEqual(f.svc);
      expect(fromHex(ad.adv!)!.length).toBeLessThanOrEqual(31);
    }
  });

  it('contains every kind of device a real place has', () => {
    const kinds = new Set(ads.flatMap((ad) => decodeAll(ad).map((d) => d.kind)));
    const expected = [
      'nearby-info',
      'handoff',
      'airpods',
      'find-my',
      'ibeacon',
      'eddystone-uid',
      'eddystone-url',
    ];
    expected.push(
      'eddystone-tlm',
      'ms-cdp',
      'fast-pair',
      'bthome',
      'tile',
      'smarttag',
      'exposure-notification',
    );
    for (const k of expected) expect(kinds, k).toContain(k);
    expect(ads.some((ad) => ad.uuids?.includes('180d'))).toBe(true);
    expect(ads.some((ad) => ad.tx !== undefined)).toBe(true);
    expect(ads.some((ad) => ad.conn) && ads.some((ad) => !ad.conn)).toBe(true);
    expect(ads.some((ad) => ad.name) && ads.some((ad) => !ad.name)).toBe(true);
    expect(ads.some((ad) => ad.addrType === 'public') && ads.some((ad) => ad.addrType === 'random')).toBe(
      true,
    );
  });

  it('marks the AirTag as a tracker', () => {
    const tags = ads.filter((ad) => classify(ad)?.kind === 'find-my');
    expect(tags.length).toBeGreaterThan(0);
    expect(classify(tags[0]!)?.tracker).toBe(true);
  });

  it('sends real BTHome v2 temperature, humidity and battery readings', () => {
    const sensor = ads.map((ad) => decodeAll(ad).find((d) => d.kind === 'bthome')).find(Boolean)!;
    const f = Object.fromEntries(sensor.fields);
    expect(f.temperature).toBeGreaterThan(10);
    expect(f.temperature).toBeLessThan(30);
    expect(f.humidity).toBeGreaterThan(5);
    expect(f.humidity).toBeLessThan(96);
    expect(f.battery).toBeGreaterThan(0);
  });

  it('includes every hostile name, the 248-byte one included', () => {
    const names = new Set(ads.map((ad) => ad.name));
    for (const n of HOSTILE_NAMES) expect(names, JSON.stringify(n)).toContain(n);
    expect(new TextEncoder().encode(HOSTILE_NAMES.at(-1)).length).toBe(248);
    expect(HOSTILE_NAMES.some((n) => n.includes('\u202e'))).toBe(true);
  });

  it('lets RSSI drift and fade with distance', () => {
    const byAddr = new Map<string, number[]>();
    for (const ad of ads) byAddr.set(ad.addr, [...(byAddr.get(ad.addr) ?? []), ad.rssi]);
    const spread = [...byAddr.values()]
      .filter((r) => r.length > 20)
      .map((r) => Math.max(...r) - Math.min(...r));
    expect(Math.min(...spread)).toBeGreaterThan(2);
    const all = ads.map((ad) => ad.rssi);
    expect(Math.max(...all) - Math.min(...all)).toBeGreaterThan(25);
  });

  it('rotates private addresses about every 15 minutes and lets people come and go', () => {
    const s = new DemoScene({ seed: 2, rate: 20 });
    const seen = (from: number, to: number) => {
      const out = new Set<string>();
      for (let i = from; i < to; i++) {
        const ad = s.next(true);
        if (ad && classify(ad)?.kind === 'nearby-info') out.add(ad.addr);
      }
      return out;
    };
    const first = seen(0, 20 * 60);
    const present = [s.present];
    seen(0, 20 * 60 * 30);
    present.push(s.present);
    const later = seen(0, 20 * 60);
    expect([...later].filter((a) => first.has(a))).toEqual([]);
    expect(s.composition().iphone).toBeGreaterThan(0);
    expect(present[0]).not.toBe(present[1]);
  });
});
