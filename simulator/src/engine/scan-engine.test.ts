import { afterEach, describe, expect, it } from 'vitest';
import { advertFor, FakeSource } from '../../test/fake-source.js';
import { SourceError } from '../sources/scan-source.js';
import type { EngineListener } from './scan-engine.js';
import { ScanEngine } from './scan-engine.js';

const engines: ScanEngine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

function setup(maxDevices = 512) {
  const source = new FakeSource();
  let now = 1000;
  const engine = new ScanEngine({ source, maxDevices, now: () => now });
  engines.push(engine);
  const events: [string, unknown][] = [];
  const listener: EngineListener = {
    sighting: (e, change) => events.push(['sighting', [e.rec.id, change]]),
    removed: (id) => events.push(['removed', id]),
    cleared: () => events.push(['cleared', null]),
    scanState: (s) => events.push(['state', s.scanning]),
    scanComplete: (m) => events.push(['complete', m]),
  };
  engine.subscribe(listener);
  return { source, engine, events, tick: (ms: number) => (now += ms) };
}

describe('ScanEngine', () => {
  it('dedupes by address, tracks first / last seen and counts, and bumps rev only on non-rssi changes', async () => {
    const { source, engine, events, tick } = setup();
    await engine.start();
    source.advert(advertFor(1, -50));
    tick(100);
    source.advert(advertFor(1, -60));
    tick(100);
    source.advert(advertFor(1, -61, { name: 'Tag' }));
    const e = engine.table.get(1)!;
    expect(engine.table.size).toBe(1);
    expect(e.rec).toMatchObject({ first: 1000, last: 1200, count: 3, rssi: -61, name: 'Tag' });
    expect(e.rev).toBe(1);
    expect(events.filter(([k]) => k === 'sighting').map(([, v]) => v)).toEqual([
      [1, 'new'],
      [1, 'seen'],
      [1, 'changed'],
    ]);
  });

  it('dedupes by platform id when the address is not a real one', async () => {
    const { source, engine } = setup();
    await engine.start();
    source.advert({ addr: 'opaque-a', addrType: 'unknown', rssi: -40, conn: false, pid: 'p1' });
    source.advert({ addr: 'opaque-b', addrType: 'unknown', rssi: -41, conn: false, pid: 'p1' });
    source.advert({ addr: 'opaque-b', addrType: 'unknown', rssi: -41, conn: false, pid: 'p2' });
    expect(engine.table.size).toBe(2);
  });

  it('evicts the stalest device beyond maxDevices and counts it', async () => {
    const { source, engine, events, tick } = setup(2);
    await engine.start();
    source.advert(advertFor(1));
    tick(1);
    source.advert(advertFor(2));
    tick(1);
    source.advert(advertFor(1)); // device 2 is now the stalest
    tick(1);
    source.advert(advertFor(3));
    expect(engine.table.evicted).toBe(1);
    expect(engine.table.get(2)).toBeUndefined();
    expect(events).toContainEqual(['removed', 2]);
  });

  it('passes on each device once per scan with duplicates off, whatever the source delivers', async () => {
    const { source, engine, events } = setup();
    await engine.start({ duplicates: false });
    source.advert(advertFor(1, -50));
    source.advert(advertFor(1, -40));
    source.advert(advertFor(2));
    source.advert({ addr: 'opaque-a', addrType: 'unknown', rssi: -40, conn: false, pid: 'p1' });
    source.advert({ addr: 'opaque-b', addrType: 'unknown', rssi: -40, conn: false, pid: 'p1' });
    expect(events.filter(([k]) => k === 'sighting')).toHaveLength(3);
    expect(engine.table.get(1)?.rec).toMatchObject({ rssi: -50, count: 1 });
    expect(engine.adverts).toBe(3);
    await engine.stop();
    await engine.start(); // a new scan, duplicates still off
    source.advert(advertFor(1, -30));
    expect(engine.table.get(1)?.rec).toMatchObject({ rssi: -30, count: 2 });
    source.advert(advertFor(1, -20));
    expect(engine.table.get(1)?.rec.count).toBe(2);
    expect(source.starts.map((p) => p.duplicates)).toEqual([false, false]);
  });

  it('passes on every repeat with duplicates on', async () => {
    const { source, engine } = setup();
    await engine.start();
    for (let i = 0; i < 3; i++) source.advert(advertFor(1));
    expect(engine.table.get(1)?.rec.count).toBe(3);
  });

  it('counts unusable adverts and adverts heard while stopped as drops', async () => {
    const { source, engine } = setup();
    source.advert(advertFor(1));
    await engine.start();
    source.advert({ addr: 'NOT VALID!', addrType: 'public', rssi: -50, conn: false });
    expect(engine.drops).toBe(2);
    expect(engine.table.size).toBe(0);
  });

  it('starts and stops idempotently and reports scan-complete with the scan totals', async () => {
    const { source, engine, events, tick } = setup();
    await engine.start();
    await engine.start();
    expect(source.starts).toHaveLength(1);
    source.advert(advertFor(1));
    source.advert(advertFor(1));
    source.advert(advertFor(2));
    tick(500);
    await engine.stop();
    await engine.stop();
    const completes = events.filter(([k]) => k === 'complete');
    expect(completes).toHaveLength(1);
    expect(completes[0]?.[1]).toMatchObject({ reason: 'stopped', adverts: 3, devices: 2, ms: 500 });
    expect(engine.state.scanning).toBe(false);
    expect(engine.state.since).toBeUndefined();
  });

  it('re-applies changed parameters without ending the scan', async () => {
    const { source, engine, events } = setup();
    await engine.start();
    await engine.start({ mode: 'passive', window: 500 });
    expect(source.starts.at(-1)).toEqual({ mode: 'passive', interval: 100, window: 100, duplicates: true });
    expect(events.filter(([k]) => k === 'complete')).toHaveLength(0);
    expect(engine.state).toMatchObject({ scanning: true, mode: 'passive', since: 1000 });
  });

  it('reports a source failure as scan-complete reason error with its message', async () => {
    const { source, engine, events } = setup();
    await engine.start();
    source.fail(new SourceError('adapter-off', 'the adapter was switched off'));
    await new Promise((r) => setTimeout(r, 0));
    expect(events.find(([k]) => k === 'complete')?.[1]).toMatchObject({
      reason: 'error',
      message: 'the adapter was switched off',
    });
  });

  it('ends the scan when a finite source ends', async () => {
    const { source, engine, events } = setup();
    await engine.start();
    source.emit('end');
    await new Promise((r) => setTimeout(r, 0));
    expect(events.find(([k]) => k === 'complete')?.[1]).toMatchObject({ reason: 'stopped' });
  });

  it('rejects a start the source refuses and stays stopped', async () => {
    const { source, engine } = setup();
    source.failStart = new SourceError('no-adapter', 'no adapter');
    await expect(engine.start()).rejects.toThrow('no adapter');
    expect(engine.state.scanning).toBe(false);
  });

  it('passes a cleared device on again with duplicates off (clear forgets what this scan passed on)', async () => {
    const { source, engine } = setup();
    await engine.start({ duplicates: false });
    source.advert(advertFor(1, -50));
    source.advert(advertFor(1, -40));
    expect(engine.table.size).toBe(1);
    engine.clear();
    source.advert(advertFor(1, -30));
    expect([...engine.table.values()].map((e) => e.rec.rssi)).toEqual([-30]);
    source.advert(advertFor(1, -20));
    expect([...engine.table.values()][0]?.rec.count).toBe(1);
  });

  it('clears the table without reusing ids', async () => {
    const { source, engine, events } = setup();
    await engine.start();
    source.advert(advertFor(1));
    engine.clear();
    expect(engine.table.size).toBe(0);
    expect(events).toContainEqual(['cleared', null]);
    source.advert(advertFor(1));
    expect([...engine.table.values()][0]?.rec.id).toBe(2);
  });
});
