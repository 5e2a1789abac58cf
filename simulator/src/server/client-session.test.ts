import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PROTOCOL, PROTOCOL_VERSION, parseDown, SCHEMA_HASH } from '@bleshark/shared-protocol';
import { loadFixtures } from '@bleshark/shared-protocol/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { advertFor } from '../../test/fake-source.js';
import { type Harness, startHarness } from '../../test/harness.js';
import { LiveClient, PageTable } from '../../test/live-client.js';

let h: Harness | undefined;
const clients: LiveClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h?.close();
  h = undefined;
});
const connect = async (url: string) => {
  const c = await LiveClient.connect(url);
  clients.push(c);
  return c;
};

describe('a /scan/live session', () => {
  it('sends hello, then a connect snapshot, then batches with contiguous seq and status', async () => {
    h = await startHarness();
    h.source.advert(advertFor(1, -50, { name: 'Kitchen' }));
    const c = await connect(h.wsUrl);
    const hello = await c.next();
    expect(hello).toMatchObject({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      schema: SCHEMA_HASH,
      device: { model: 'BLEShark Nano (simulator)', source: 'demo', demo: true },
      epoch: 'testepoch',
      client: 1,
      limits: { maxClients: 4, maxInboundBytes: 1024 },
      scan: { scanning: true, mode: 'active', duplicates: true },
    });
    expect(hello.caps).toContain('filter');
    const snap = await c.next();
    expect(snap).toMatchObject({ type: 'snapshot', seq: 1, reason: 'connect', total: 1, more: false });
    expect(snap.d[0]).toMatchObject({
      id: 1,
      addr: 'c0:ff:ee:00:00:01',
      name: 'Kitchen',
      rssi: -50,
      count: 1,
    });

    h.source.advert(advertFor(2, -70));
    const b1 = await c.nextOf('batch');
    expect(b1.seq).toBe(2);
    expect(b1.d).toHaveLength(1);
    expect(b1.d[0]).toMatchObject({ id: 2, rssi: -70 });

    // Three sightings of device 1 between ticks coalesce into one update [id, rssi, seen].
    h.source.advert(advertFor(1, -51, { name: 'Kitchen' }));
    h.source.advert(advertFor(1, -52, { name: 'Kitchen' }));
    h.source.advert(advertFor(1, -53, { name: 'Kitchen' }));
    const b2 = await c.nextOf('batch');
    expect(b2).toMatchObject({ seq: 3, u: [[1, -53, 3]] });
    expect(b2.d).toBeUndefined();

    // A change beyond rssi (the name) sends the whole record again.
    h.source.advert(advertFor(1, -54, { name: 'Kitchen 2' }));
    const b3 = await c.nextOf('batch');
    expect(b3).toMatchObject({ seq: 4, d: [{ id: 1, name: 'Kitchen 2', count: 5 }] });

    const st = await c.nextOf('status');
    expect(st).toMatchObject({
      devices: 2,
      shown: 2,
      coalesced: 2,
      clients: 1,
      seq: 4,
      scan: { scanning: true },
    });
  });

  it('answers commands with an id by ack, and bad ones by error with the same id', async () => {
    h = await startHarness();
    const c = await connect(h.wsUrl);
    await c.nextOf('snapshot');
    c.send({ type: 'snapshot-request', id: 'r1' });
    expect(await c.nextOf('ack')).toEqual({ type: 'ack', id: 'r1', command: 'snapshot-request' });
    expect(await c.nextOf('snapshot')).toMatchObject({ reason: 'request', seq: 2, more: false });
    c.send({ type: 'scan-start', id: 's1', interval: 50, window: 100 });
    expect(await c.nextOf('error')).toMatchObject({ code: 'invalid-field', id: 's1' });
  });

  it('keeps, applies and echoes only the known filter fields (golden fixture filter-unknown-key)', async () => {
    h = await startHarness();
    const c = await connect(h.wsUrl);
    await c.nextOf('snapshot');
    const { message } = loadFixtures().up.find((f) => f.name === 'filter-unknown-key')!;
    c.send(message);
    await c.nextOf('ack', (m) => m.id === 'f2');
    const st = await c.nextOf('status');
    expect(st.filter).toEqual({ minRssi: -70 });
    expect(c.raw.find((r) => r.includes('colour'))).toBeUndefined();
  });

  it('answers a window over the interval in effect with invalid-field and changes nothing (golden fixtures)', async () => {
    h = await startHarness();
    const c = await connect(h.wsUrl);
    await c.nextOf('snapshot');
    const { up, down } = loadFixtures();
    const starts = h.source.starts.length;
    c.send(up.find((f) => f.name === 'scan-start-window-only')!.message);
    expect(await c.nextOf('error')).toEqual(
      down.find((f) => f.name === 'error-invalid-field-window-over-interval')!.message,
    );
    c.send(up.find((f) => f.name === 'scan-start-interval-only')!.message);
    expect(await c.nextOf('error')).toMatchObject({
      code: 'invalid-field',
      id: 'i1',
      message: /50\.\.10240/,
    });
    expect(h.engine.state).toMatchObject({ interval: 100, window: 50 });
    expect(h.source.starts).toHaveLength(starts);
    // A window that fits is applied as sent.
    c.send({ type: 'scan-start', id: 'w2', window: 100 });
    await c.nextOf('ack', (m) => m.id === 'w2');
    expect(h.engine.state).toMatchObject({ interval: 100, window: 100 });
  });

  it('applies a filter per connection: snapshot reason filter, only matching devices, x when one stops matching', async () => {
    h = await startHarness();
    for (let i = 1; i <= 4; i++) h.source.advert(advertFor(i, i <= 2 ? -40 : -90));
    const a = await connect(h.wsUrl);
    const b = await connect(h.wsUrl);
    await a.nextOf('snapshot');
    await b.nextOf('snapshot');
    a.send({ type: 'filter', id: 'f1', filter: { minRssi: -60 } });
    await a.nextOf('ack', (m) => m.id === 'f1');
    const snap = await a.nextOf('snapshot');
    expect(snap).toMatchObject({ reason: 'filter', total: 2 });
    expect(snap.d.map((d: { id: number }) => d.id).sort()).toEqual([1, 2]);
    h.source.advert(advertFor(3, -95));
    h.source.advert(advertFor(1, -80)); // falls under the filter
    const batch = await a.nextOf('batch');
    expect(batch.x).toEqual([1]);
    expect(batch.d).toBeUndefined();
    expect(batch.u).toBeUndefined();
    // The other client has no filter and sees both.
    const other = await b.nextOf('batch');
    expect(other.u).toEqual([
      [3, -95],
      [1, -80],
    ]);
    const st = await a.nextOf('status');
    expect(st).toMatchObject({ filter: { minRssi: -60 }, devices: 4, shown: 1 });
  });

  it('starts and stops idempotently and broadcasts the scan state to every client', async () => {
    h = await startHarness();
    const a = await connect(h.wsUrl);
    const b = await connect(h.wsUrl);
    await a.nextOf('snapshot');
    await b.nextOf('snapshot');
    h.source.advert(advertFor(1));
    a.send({ type: 'scan-stop', id: 'x1' });
    await a.nextOf('ack', (m) => m.id === 'x1');
    for (const c of [a, b]) {
      expect(await c.nextOf('status', (m) => !m.scan.scanning)).toBeTruthy();
      expect(await c.nextOf('scan-complete')).toMatchObject({ reason: 'stopped', adverts: 1, devices: 1 });
    }
    b.send({ type: 'scan-stop', id: 'x2' });
    await b.nextOf('ack', (m) => m.id === 'x2');
    b.send({ type: 'scan-start', id: 'y1', mode: 'passive' });
    await b.nextOf('ack', (m) => m.id === 'y1');
    for (const c of [a, b]) await c.nextOf('status', (m) => m.scan.scanning && m.scan.mode === 'passive');
    a.send({ type: 'scan-start', id: 'y2', mode: 'passive' });
    await a.nextOf('ack', (m) => m.id === 'y2');
    expect(h.source.starts).toHaveLength(2); // launch + the passive start; the repeat changed nothing
    expect(a.messages.filter((m) => m.type === 'scan-complete')).toHaveLength(1);
  });

  it('ends a scan with a duration as scan-complete reason duration', async () => {
    h = await startHarness();
    const c = await connect(h.wsUrl);
    await c.nextOf('snapshot');
    await h.engine.stop();
    c.send({ type: 'scan-start', id: 'd', duration: 1 });
    await c.nextOf('ack', (m) => m.id === 'd');
    const done = await c.nextOf('scan-complete', (m) => m.reason === 'duration', 3000);
    expect(done.ms).toBeGreaterThanOrEqual(990);
  });

  it('clears the shared table: every client gets an empty snapshot reason clear', async () => {
    h = await startHarness();
    h.source.advert(advertFor(1));
    const a = await connect(h.wsUrl);
    const b = await connect(h.wsUrl);
    await a.nextOf('snapshot');
    await b.nextOf('snapshot');
    a.send({ type: 'clear', id: 'c1' });
    await a.nextOf('ack');
    for (const c of [a, b])
      expect(await c.nextOf('snapshot')).toMatchObject({ reason: 'clear', total: 0, d: [] });
    expect(h.engine.table.size).toBe(0);
  });

  it('sends ids of evicted devices in x and counts evictions', async () => {
    h = await startHarness({ maxDevices: 3 });
    const c = await connect(h.wsUrl);
    await c.nextOf('snapshot');
    for (let i = 1; i <= 3; i++) h.source.advert(advertFor(i));
    await c.nextOf('batch', (m) => m.d?.length === 3);
    h.source.advert(advertFor(4));
    const b = await c.nextOf('batch');
    expect(b.x).toEqual([1]);
    expect(b.d[0].id).toBe(4);
    expect(await c.nextOf('status')).toMatchObject({ evicted: 1, devices: 3 });
  });

  it('cuts snapshots into parts within the item and byte limits and trims an oversized record', async () => {
    h = await startHarness();
    for (let i = 1; i <= 300; i++) h.source.advert(advertFor(i, -60, { name: `device number ${i}` }));
    const huge = 'ab'.repeat(255);
    h.source.advert(
      advertFor(999, -60, {
        name: '\u0001'.repeat(248),
        adv: huge,
        rsp: huge,
        mfr: Array.from({ length: 8 }, (_, k) => [k, huge] as [number, string]),
      }),
    );
    const c = await connect(h.wsUrl);
    await c.nextOf('snapshot', (m) => !m.more);
    const parts = c.raw.filter((r) => r.startsWith('{"type":"snapshot"'));
    expect(parts.length).toBeGreaterThan(2);
    let n = 0;
    for (const p of parts) {
      const m = JSON.parse(p);
      n += m.d.length;
      expect(m.d.length).toBeLessThanOrEqual(h.limits.maxBatchItems);
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(h.limits.maxFrameBytes);
      if (m.d.length > 1) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(PROTOCOL.batchTargetBytes);
    }
    expect(n).toBe(301);
    const big = parts
      .map((p) => JSON.parse(p))
      .flatMap((m) => m.d)
      .find((d: { addr: string }) => d.addr.endsWith('03:e7'));
    expect(big.adv).toBeUndefined();
    expect(big.rsp).toBeUndefined();
  });

  it('keeps a page table identical to the engine across many batches', async () => {
    h = await startHarness();
    const c = await connect(h.wsUrl);
    const table = new PageTable();
    await c.nextOf('snapshot');
    for (let round = 0; round < 5; round++) {
      for (let i = 1; i <= 200; i++) h.source.advert(advertFor(i, -40 - ((i + round) % 50)));
      await new Promise((r) => setTimeout(r, 30));
    }
    await new Promise((r) => setTimeout(r, 150));
    for (const m of c.messages) table.apply(m);
    expect(table.gaps).toBe(0);
    // Every frame the page got is a valid protocol message within the frame limit.
    for (const text of c.raw) expect(parseDown(text, h.limits.maxFrameBytes)).toMatchObject({ ok: true });
    expect(table.devices.size).toBe(200);
    for (const e of h.engine.table.values()) {
      const d = table.devices.get(e.rec.id);
      expect({ rssi: d.rssi, count: d.count }).toEqual({ rssi: e.rec.rssi, count: e.rec.count });
    }
  });
});

describe('a client that stops reading', () => {
  it('costs memory bounded by the device count, and resyncs to the latest state after it resumes', async () => {
    h = await startHarness({ profile: 'open', timing: { batchIntervalMs: 20, stuckClientMs: 120_000 } });
    // A reading client that only counts what it gets (so the test process does not retain its frames).
    const fast = new WebSocket(h.wsUrl);
    let fastFrames = 0;
    let fastBytes = 0;
    fast.on('message', (d: Buffer) => {
      fastFrames++;
      fastBytes += d.length;
    });
    await new Promise((r) => fast.once('open', r));
    const slow = await connect(h.wsUrl);
    await slow.nextOf('snapshot');
    const sock = (slow.ws as unknown as { _socket: import('node:net').Socket })._socket;
    sock.pause();
    const session = [...h.server.sessions].find((s) => s.client === 2)!;
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const DEVICES = 10_000;
    const ROUNDS = 6;
    let maxBuffered = 0;
    let maxPending = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < DEVICES; i += 500) {
        for (let k = i; k < i + 500; k++)
          h.source.advert(advertFor(k, -30 - ((k + round) % 90), { name: `dev ${k} r${round % 2}` }));
        await new Promise((r) => setTimeout(r, 5));
        maxBuffered = Math.max(maxBuffered, session.ws.bufferedAmount);
        maxPending = Math.max(maxPending, session.pendingCount);
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    gc();
    const growthMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    fast.terminate();
    console.log(
      `slow client: heap growth ${growthMb.toFixed(1)} MB, max server buffer ${maxBuffered} B, max pending ${maxPending}; ` +
        `fast client got ${fastFrames} frames / ${fastBytes} bytes for ${DEVICES * ROUNDS} adverts`,
    );
    expect(growthMb).toBeLessThan(64);
    expect(maxPending).toBeLessThanOrEqual(DEVICES);
    expect(maxBuffered).toBeLessThan(4 * 2 ** 20);

    sock.resume();
    slow.send({ type: 'snapshot-request', id: 'resync' });
    await slow.nextOf('ack', (m) => m.id === 'resync', 10_000);
    const table = new Map<number, { rssi: number; count: number; name: string }>();
    for (;;) {
      const part = await slow.nextOf('snapshot', (m) => m.reason === 'request', 10_000);
      for (const d of part.d) table.set(d.id, d);
      if (!part.more) break;
    }
    expect(table.size).toBe(DEVICES);
    for (const e of h.engine.table.values()) {
      const d = table.get(e.rec.id);
      expect(d && { rssi: d.rssi, count: d.count, name: d.name }).toEqual({
        rssi: e.rec.rssi,
        count: e.rec.count,
        name: e.rec.name,
      });
    }
  }, 30_000);
});
