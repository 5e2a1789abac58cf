import { describe, expect, it } from 'vitest';
import { DeviceTable } from '../engine/device-table.js';
import { type BatchClock, Batcher } from './batcher.js';

/** A clock that moves only when told to, running due timers in order. */
class FakeClock implements BatchClock {
  t = 1000;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #id = 0;
  now(): number {
    return this.t;
  }
  schedule(fn: () => void, ms: number): unknown {
    const id = ++this.#id;
    this.#timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  cancel(handle: unknown): void {
    this.#timers = this.#timers.filter((x) => x.id !== handle);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.#timers[0];
      if (!next || next.at > end) break;
      this.#timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

const INTERVAL = 100;

function setup(o: { maxItems?: number } = {}) {
  const clock = new FakeClock();
  const table = new DeviceTable({ maxDevices: 100 });
  const frames: { at: number; msg: Record<string, unknown> }[] = [];
  const batcher = new Batcher({
    table,
    uptime: () => clock.t,
    intervalMs: INTERVAL,
    maxItems: o.maxItems ?? 64,
    targetBytes: 1400,
    send: (text) => frames.push({ at: clock.t, msg: JSON.parse(text) }),
    ready: () => true,
    filter: () => ({}),
    clock,
  });
  /** One advertisement of device n through the table, as the engine does it. */
  const advert = (n: number, rssi: number, name?: string) => {
    const { entry } = table.upsert(
      {
        addr: `c0:ff:ee:00:00:${n.toString(16).padStart(2, '0')}`,
        addrType: 'public',
        rssi,
        conn: false,
        ...(name !== undefined ? { name } : {}),
      },
      undefined,
      clock.t,
    );
    batcher.sighting(entry);
    return entry.rec.id;
  };
  const batches = () => frames.filter((f) => f.msg.type === 'batch');
  return { clock, table, batcher, frames, batches, advert };
}

describe('the batcher', () => {
  it('sends an item that arrives after a quiet interval at once (leading edge)', () => {
    const { clock, batcher, batches, advert } = setup();
    batcher.snapshot('connect');
    clock.advance(INTERVAL);
    const id = advert(1, -50);
    clock.advance(0);
    expect(batches()).toHaveLength(1);
    expect(batches()[0]).toMatchObject({ at: 1100, msg: { seq: 2, d: [{ id, rssi: -50 }] } });
    // A long quiet spell later, the next item also leaves at once.
    clock.advance(5000);
    advert(1, -60);
    clock.advance(0);
    expect(batches()[1]).toMatchObject({ at: 6100, msg: { seq: 3, u: [[id, -60]] } });
  });

  it('puts the items of one turn in one leading-edge frame', () => {
    const { clock, batches, advert } = setup();
    advert(1, -50);
    advert(2, -51);
    advert(1, -52);
    clock.advance(0);
    expect(batches()).toHaveLength(1);
    expect((batches()[0]!.msg.d as unknown[]).length).toBe(2);
  });

  it('coalesces items arriving within the interval after a send and sends them when it ends', () => {
    const { clock, batches, advert } = setup();
    const a = advert(1, -50);
    clock.advance(0);
    expect(batches()).toHaveLength(1);
    clock.advance(10);
    advert(1, -51);
    clock.advance(30);
    advert(1, -52);
    const b = advert(2, -70);
    clock.advance(40);
    advert(1, -53);
    clock.advance(19); // 99 ms after the first frame: still waiting
    expect(batches()).toHaveLength(1);
    clock.advance(1);
    expect(batches()).toHaveLength(2);
    expect(batches()[1]).toMatchObject({
      at: 1100,
      msg: { u: [[a, -53, 3]], d: [{ id: b, rssi: -70 }] },
    });
    // Right after that trailing frame the interval starts again.
    clock.advance(1);
    advert(2, -71);
    clock.advance(98);
    expect(batches()).toHaveLength(2);
    clock.advance(1);
    expect(batches()[2]).toMatchObject({ at: 1200, msg: { u: [[b, -71]] } });
  });

  it('counts the snapshot as the previous frame: items right after it wait for the interval', () => {
    const { clock, batcher, batches, advert } = setup();
    batcher.snapshot('connect');
    clock.advance(30);
    advert(1, -50);
    clock.advance(69);
    expect(batches()).toHaveLength(0);
    clock.advance(1);
    expect(batches()).toHaveLength(1);
  });

  it('sends new and changed records before RSSI-only updates when a frame is cut', () => {
    const { clock, batches, advert } = setup({ maxItems: 3 });
    const ids = [1, 2, 3, 4].map((n) => advert(n, -50));
    clock.advance(0);
    expect(batches()).toHaveLength(2); // 4 records in frames of 3
    clock.advance(INTERVAL);
    // Updates of 1..3 arrive first, then a new device and a renamed one.
    advert(1, -51);
    advert(2, -52);
    advert(3, -53);
    const fresh = advert(5, -60);
    advert(4, -54, 'Renamed');
    clock.advance(0);
    const first = batches()[2]!.msg;
    expect(first.d).toEqual([
      expect.objectContaining({ id: fresh }),
      expect.objectContaining({ id: ids[3], name: 'Renamed' }),
    ]);
    expect(first.u).toEqual([[ids[0], -51]]);
    // The rest of the updates follow in the next frame of the same flush, in arrival order.
    expect(batches()[3]!.msg.u).toEqual([
      [ids[1], -52],
      [ids[2], -53],
    ]);
  });

  it('waits while the socket is not ready and sends everything pending on the next flush', () => {
    const clock = new FakeClock();
    const table = new DeviceTable({ maxDevices: 10 });
    let ready = false;
    const sent: string[] = [];
    const batcher = new Batcher({
      table,
      uptime: () => clock.t,
      intervalMs: INTERVAL,
      maxItems: 64,
      targetBytes: 1400,
      send: (t) => sent.push(t),
      ready: () => ready,
      filter: () => ({}),
      clock,
    });
    const { entry } = table.upsert(
      { addr: 'c0:ff:ee:00:00:01', addrType: 'public', rssi: -50, conn: false },
      undefined,
      clock.t,
    );
    batcher.sighting(entry);
    clock.advance(500);
    expect(sent).toHaveLength(0);
    expect(batcher.pendingCount).toBe(1);
    ready = true;
    batcher.flush();
    expect(sent).toHaveLength(1);
    expect(batcher.pendingCount).toBe(0);
  });

  it('stops its timer on dispose', () => {
    const { clock, batcher, batches, advert } = setup();
    advert(1, -50);
    batcher.dispose();
    clock.advance(1000);
    expect(batches()).toHaveLength(0);
  });
});
