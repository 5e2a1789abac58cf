// Faults: a server restart under a connected page, peers that vanish without a close, and a client paused
// under a flood (memory bound, then every device's latest state after it resumes). Each test waits for the
// event it is about with a generous bound and logs how long it took; speed is bench/'s business.
import { startSimulator } from '@bleshark/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { launchBrowser } from '../lib/browser.mjs';
import { rawUpgrade } from '../lib/raw-ws.mjs';
import {
  browserGate,
  FixedSource,
  GroundTruthSource,
  heapAfterGc,
  sleep,
  TableClient,
  until,
} from './helpers.ts';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
const quiet = { logLevel: 'error' as const, log: () => {} };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

const skipBrowser = browserGate();

/** Devices of the restart test: few enough that every row is in the DOM of a 1280x1400 viewport. */
const DEVICES = 15;
/** How long a test waits for an event before it fails: generous, for a busy 2-core machine. */
const EVENT_BOUND_MS = 20_000;

describe('server restart under a connected page', () => {
  it.skipIf(skipBrowser)(
    'shows reconnecting, is live again and resyncs to the new table without duplicates',
    async () => {
      let sim: Sim = await startSimulator({ source: new FixedSource(DEVICES, 60), port: 0, ...quiet });
      const port = sim.port;
      cleanups.push(() => sim.close());
      const b = await launchBrowser({ width: 1280, height: 1400 });
      cleanups.push(() => b.close());
      const { page } = b;
      await page.goto(sim.url);
      await page.waitForFunction(
        () => document.querySelector('[role=status]')?.textContent?.startsWith('Live'),
        null,
        {
          timeout: EVENT_BOUND_MS,
        },
      );
      await page.waitForFunction((n) => document.querySelectorAll('[data-id]').length === n, DEVICES, {
        timeout: EVENT_BOUND_MS,
      });
      // Record in the page when the connection pill changes (the page and Node share the machine's clock).
      await page.evaluate(() => {
        const w = window as unknown as { __pill: { text: string; at: number }[] };
        w.__pill = [];
        const el = document.querySelector('[role=status]')!;
        const note = () => w.__pill.push({ text: el.textContent ?? '', at: Date.now() });
        new MutationObserver(note).observe(el, { childList: true, characterData: true, subtree: true });
      });

      await sim.close();
      await page.waitForFunction(
        () => /^Reconnecting|^Connecting/.test(document.querySelector('[role=status]')?.textContent ?? ''),
        null,
        {
          timeout: EVENT_BOUND_MS,
        },
      );
      await sleep(700);
      // The same port, a new source with the same addresses: a new epoch and new ids.
      sim = await startSimulator({ source: new FixedSource(DEVICES, 60), port, ...quiet });
      const back = Date.now();
      await page.waitForFunction(
        () => document.querySelector('[role=status]')?.textContent?.startsWith('Live'),
        null,
        {
          timeout: EVENT_BOUND_MS,
        },
      );
      const pills = await page.evaluate(
        () => (window as unknown as { __pill: { text: string; at: number }[] }).__pill,
      );
      expect(pills.some((p) => p.text.startsWith('Reconnecting'))).toBe(true);
      const liveAt = pills.find((p) => p.at >= back && p.text.startsWith('Live'))?.at ?? Date.now();
      console.info(`restart -> page live: ${liveAt - back} ms (the page's backoff cap is 2 s)`);

      // Resync: the page's rows are exactly the simulator's new table (new ids), each address once.
      const probe = new TableClient(sim.wsUrl);
      cleanups.push(() => probe.close());
      await until(() => probe.table.size === DEVICES, 'the whole table for the probe client');
      const want = [...probe.table.values()].map((d) => `${d.id} ${d.addr}`).sort();
      await page
        .waitForFunction(
          (w) => {
            const got = [...document.querySelectorAll<HTMLElement>('[data-id]')].map(
              (e) => `${e.dataset.id} ${e.querySelector('.c-a')?.firstChild?.textContent?.trim() ?? ''}`,
            );
            return got.length === w.length && got.sort().every((g, i) => g === w[i]);
          },
          want,
          { timeout: EVENT_BOUND_MS },
        )
        .catch(() => {}); // the assertions below say what differs
      const rows = await page.$$eval('[data-id]', (els) =>
        els.map((e) => ({
          id: Number((e as HTMLElement).dataset.id),
          addr: e.querySelector('.c-a')?.firstChild?.textContent?.trim() ?? '',
        })),
      );
      // The header's "N shown" count (every row, in view or not).
      const rowCount = await page.evaluate(() =>
        Number(/(\d+)\s*shown/.exec(document.querySelector('header')?.textContent ?? '')?.[1]),
      );
      const got = rows.map((r) => `${r.id} ${r.addr}`).sort();
      expect(rowCount).toBe(DEVICES);
      expect(rows.length).toBe(DEVICES);
      expect(new Set(rows.map((r) => r.addr)).size).toBe(rows.length);
      expect(got).toEqual(want);
    },
  );
});

describe('peers that vanish without a close', () => {
  // The pong timeout is long enough that a stalled event loop (a busy machine; server and clients share this
  // process) never makes the server drop the healthy client, whose pong is then still unread in its socket.
  const timing = { pingIntervalMs: 250, pongTimeoutMs: 3000, statusIntervalMs: 50 };
  /** The server checks every ping interval, so it notices within pongTimeout + 2 ping intervals. */
  const EXPECTED_MS = timing.pongTimeoutMs + 2 * timing.pingIntervalMs;

  it('terminates a raw socket that completed the upgrade and then went silent', async () => {
    const sim = await startSimulator({ source: new FixedSource(5, 50), port: 0, timing, ...quiet });
    cleanups.push(() => sim.close());
    const c = await rawUpgrade(sim.port);
    expect(c.status).toBe(101);
    const t0 = Date.now();
    c.socket.on('data', () => {}); // reads and discards everything, never answers a ping
    const gone = await new Promise<number>((resolve) => {
      c.socket.once('close', () => resolve(Date.now() - t0));
      setTimeout(() => resolve(-1), EVENT_BOUND_MS).unref();
    });
    console.info(`silent raw peer terminated after ${gone} ms (expected about ${EXPECTED_MS} ms)`);
    expect(gone).toBeGreaterThan(0);
  });

  it('terminates a ws client whose socket is paused (a frozen process) and keeps serving the others', async () => {
    const sim = await startSimulator({ source: new FixedSource(5, 50), port: 0, timing, ...quiet });
    cleanups.push(() => sim.close());
    const frozen = new TableClient(sim.wsUrl);
    const healthy = new TableClient(sim.wsUrl);
    cleanups.push(
      () => frozen.close(),
      () => healthy.close(),
    );
    await Promise.all([frozen.opened, healthy.opened]);
    await until(() => healthy.status?.clients === 2, 'both clients counted');
    const t0 = Date.now();
    // ws.pause(), not a pause of the raw socket: ws resumes its socket whenever its receiver drains, so a
    // raw pause taken while the receiver is backed up (a busy machine) comes undone and the pongs go out.
    frozen.ws.pause();
    // The paused socket cannot see the server's FIN; the healthy client's status shows the drop.
    await until(
      () => healthy.status?.clients === 1,
      'the server to drop the frozen client',
      EVENT_BOUND_MS,
      5,
    );
    console.info(
      `paused ws client terminated after ${Date.now() - t0} ms (expected about ${EXPECTED_MS} ms)`,
    );
    const before = healthy.frames;
    await until(() => healthy.frames > before, 'more frames for the healthy client', EVENT_BOUND_MS);
    expect(healthy.ws.readyState).toBe(healthy.ws.OPEN);
    expect(healthy.gaps).toEqual([]);
  });
});

describe('a client paused for a long period under a flood', () => {
  /** Heap growth allowed while one client stays paused (bounded by the device count, not by time). */
  const HEAP_BOUND_MB = 48;
  const PAUSE_MS = 12_000;

  it(`keeps server heap growth under ${HEAP_BOUND_MB} MB and then holds every device's latest state`, {
    timeout: 90_000,
  }, async () => {
    const source = new GroundTruthSource({ seed: 7, rate: 5000, devices: 3000 });
    const sim = await startSimulator({
      source,
      port: 0,
      profile: 'open',
      timing: { stuckClientMs: 120_000, pingIntervalMs: 60_000, pongTimeoutMs: 120_000 },
      ...quiet,
    });
    cleanups.push(() => sim.close());
    const paused = new TableClient(sim.wsUrl);
    cleanups.push(() => paused.close());
    await until(() => paused.snapshots.length > 0, 'the first snapshot');
    await sleep(1000); // warm-up: the table fills
    paused.ws.pause(); // see the frozen client above: ws.pause() holds, a raw socket pause may not
    const heap0 = heapAfterGc();
    let peak = heap0;
    const end = Date.now() + PAUSE_MS;
    while (Date.now() < end) {
      await sleep(2000);
      peak = Math.max(peak, heapAfterGc());
    }
    const growthMb = (peak - heap0) / 2 ** 20;
    console.info(
      `paused ${PAUSE_MS} ms at 5,000 adverts/s (${source.forwarded} adverts, ${sim.engine.table.size} devices): heap growth ${growthMb.toFixed(1)} MB (bound ${HEAP_BOUND_MB} MB)`,
    );
    expect(growthMb).toBeLessThan(HEAP_BOUND_MB);

    // Freeze the ground truth, resume, ask for a snapshot and let the batches drain.
    source.freeze();
    await sleep(200);
    paused.ws.resume();
    await until(
      () => paused.hello !== undefined && paused.ws.readyState === paused.ws.OPEN,
      'the client to be open',
    );
    const snapshotsBefore = paused.snapshots.length;
    paused.send({ type: 'snapshot-request', id: 'resync' });
    await until(() => paused.snapshots.length > snapshotsBefore, 'the requested snapshot', EVENT_BOUND_MS);

    const compare = () => {
      const byAddr = new Map([...paused.table.values()].map((d) => [d.addr, d]));
      let missing = 0;
      let stale = 0;
      for (const [addr, ad] of source.last) {
        const d = byAddr.get(addr);
        if (!d) missing++;
        else if (d.rssi !== ad.rssi) stale++;
      }
      return { missing, stale, byAddr };
    };
    // Batches queued before the snapshot may still be draining: wait for the table to settle.
    await until(() => compare().missing + compare().stale === 0, 'the latest state', EVENT_BOUND_MS).catch(
      () => {}, // the assertions below say what differs
    );
    expect(paused.closeCode).toBeUndefined();
    expect(paused.gaps).toEqual([]);
    expect(sim.engine.table.evicted).toBe(0);
    const { missing, stale, byAddr } = compare();
    expect(byAddr.size).toBe(paused.table.size);
    expect({ missing, stale, devices: source.last.size }).toEqual({
      missing: 0,
      stale: 0,
      devices: byAddr.size,
    });
  });
});
