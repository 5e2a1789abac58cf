// The list you can trust (issue 13 bugs 5, 6, 7 and Clear): the built page in real Chromium against a real
// simulator on port 0. Every wait is for an event, with a generous bound; nothing is timed.
import { createServer, type Server, type Socket, connect as tcp } from 'node:net';
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

const skip = skipReason();

/**
 * A TCP proxy on 127.0.0.1 that passes the page's requests on at once and the answers at `bytesPerSec`
 * (a slow phone link): the snapshot of a large scene then takes seconds to arrive. Stops with `close()`.
 */
async function slowProxy(
  port: () => number,
  bytesPerSec: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  const server: Server = createServer((client) => {
    const up = tcp(port(), '127.0.0.1');
    sockets.add(client).add(up);
    const queue: Buffer[] = [];
    const tick = setInterval(() => {
      let budget = bytesPerSec / 20;
      while (budget > 0 && queue[0]) {
        const b = queue[0];
        const n = Math.min(b.length, budget);
        client.write(b.subarray(0, n));
        if (n === b.length) queue.shift();
        else queue[0] = b.subarray(n);
        budget -= n;
      }
      if (queue.length < 16) up.resume();
    }, 50);
    timers.add(tick);
    up.on('data', (b) => {
      queue.push(b);
      if (queue.length > 64) up.pause();
    });
    // The device checks the Host it is asked for (DNS rebinding): requests name the simulator's own.
    client.on('data', (b) =>
      up.write(b.toString('latin1').replace(/^(Host: 127\.0\.0\.1:)\d+/im, `$1${port()}`), 'latin1'),
    );
    const end = () => {
      clearInterval(tick);
      timers.delete(tick);
      client.destroy();
      up.destroy();
    };
    client.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: own } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${own}/`,
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The RSSI the visible rows show, top to bottom. */
const shownRssi = (page: Page) =>
  page.$$eval('.tr', (rows) =>
    rows
      .map((r) => [
        Number.parseFloat((r as HTMLElement).style.top),
        Number(r.querySelector('.c-r b')?.textContent),
      ])
      .sort((a, b) => a[0]! - b[0]!)
      .map((x) => x[1]!),
  );

describe.skipIf(skip)('the list you can trust', () => {
  let b: Launched;

  beforeAll(async () => {
    requireBuild();
    b = await launch({ width: 1280, height: 900 });
  }, 30000);

  afterAll(async () => {
    await b?.close();
  });

  it('lists a large scene part by part with progress on a slow link, never "No devices yet" meanwhile', async () => {
    let simPort = 0;
    // The page comes through the proxy: the simulator allows the proxy's origin for its socket.
    const proxy = await slowProxy(() => simPort, 120_000);
    const sim = await startSimulator({
      allowOrigins: [proxy.url.replace(/\/$/, '')],
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 11,
      devices: 1750,
      rate: 5000,
      profile: 'open',
      logLevel: 'warn',
      log: () => {},
    });
    // (Nearly) every device heard before the page connects, so its first snapshot holds them all.
    await expect.poll(() => sim.engine.table.size, { timeout: 30000, interval: 200 }).toBeGreaterThan(1500);
    await sim.engine.stop();
    const total = sim.engine.table.size;
    const of = `of ${total.toLocaleString('en-US')}`;
    simPort = sim.port;
    const page = await b.context.newPage();
    try {
      // Notes every "Loading N of M" and whether "No devices yet" showed while some row was listed.
      await page.addInitScript(() => {
        const w = window as unknown as { seen: string[]; emptyWithRows: boolean };
        w.seen = [];
        w.emptyWithRows = false;
        new MutationObserver(() => {
          const t = document.getElementById('app')?.textContent ?? '';
          const m = t.match(/Loading [\d,]+ of [\d,]+/);
          if (m && document.querySelector('.tr')) w.seen.push(m[0]);
          if (t.includes('No devices yet') && w.seen.length) w.emptyWithRows = true;
        }).observe(document, { subtree: true, childList: true, characterData: true });
      });
      await page.goto(proxy.url, { timeout: 15000 });
      await page.waitForFunction(
        (n) => Number(document.querySelector('#shown b')?.textContent) === n,
        total,
        {
          timeout: 90000,
        },
      );
      const { seen, emptyWithRows } = await page.evaluate(() => {
        const w = window as unknown as { seen: string[]; emptyWithRows: boolean };
        return { seen: w.seen, emptyWithRows: w.emptyWithRows };
      });
      // Rows were on screen while the snapshot was still arriving, with its progress.
      const partial = seen.filter(
        (s) => s.endsWith(of) && s !== `Loading ${total.toLocaleString('en-US')} ${of}`,
      );
      expect(partial.length, seen.slice(0, 5).join(' | ')).toBeGreaterThan(0);
      expect(emptyWithRows).toBe(false);
      expect(await page.textContent('#app')).not.toMatch(/Loading [\d,]+ of/);
    } finally {
      await page.close();
      await proxy.close();
      await sim.close();
    }
  }, 150000);

  describe('a busy scene', () => {
    let sim: RunningSimulator;
    let page: Page;

    beforeAll(async () => {
      sim = await startSimulator({
        source: 'demo',
        port: 0,
        host: '127.0.0.1',
        uiDir: DIST,
        seed: 5,
        devices: 200,
        rate: 1000,
        logLevel: 'warn',
        log: () => {},
      });
      page = await b.context.newPage();
      await page.goto(sim.url, { timeout: 10000 });
      await page.mouse.move(5, 5);
      await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 15, null, {
        timeout: 15000,
      });
    }, 30000);

    afterAll(async () => {
      await page?.close();
      await sim?.close();
    });

    it('keeps an honest order: >= 95 % of adjacent visible rows in order by the RSSI they show', async () => {
      let pairs = 0;
      let inOrder = 0;
      // Ten looks spread over a few re-sorts (the list re-sorts once a second while not frozen).
      for (let i = 0; i < 10; i++) {
        await page.evaluate(() => new Promise((r) => setTimeout(r, 350)));
        const v = await shownRssi(page);
        for (let k = 1; k < v.length; k++) {
          pairs++;
          inOrder += +(v[k - 1]! >= v[k]!);
        }
      }
      expect(pairs).toBeGreaterThan(100);
      expect(inOrder / pairs, `${inOrder} of ${pairs} adjacent pairs in order`).toBeGreaterThanOrEqual(0.95);
    });

    it('says when the order is frozen (pointer on the list) and re-sorts on a tap', async () => {
      expect(await page.textContent('#app')).not.toContain('Order frozen');
      await page.hover('.tr');
      const frozen = await page.waitForSelector('button:text("Order frozen · tap to re-sort")', {
        timeout: 15000,
      });
      await frozen.click();
      await page.mouse.move(5, 5);
      await page.waitForFunction(
        () => !document.getElementById('app')?.textContent?.includes('Order frozen'),
        null,
        {
          timeout: 15000,
        },
      );
    });

    it('counts the devices new since the baseline, shows its time, and resets it', async () => {
      await page.click('button:text("Mark baseline")');
      const label = await page.waitForSelector('text=/Baseline \\d\\d:\\d\\d/', { timeout: 15000 });
      expect(await label.textContent()).toMatch(/^Baseline \d\d:\d\d \([\d,]+ new\)/);
      // With "New since baseline" on, the list shows exactly the devices counted as new.
      await page.waitForFunction(
        () =>
          document.getElementById('app')?.textContent?.match(/Baseline \d\d:\d\d \((\d+) new\)/)?.[1] ===
          document.querySelector('#shown b')?.textContent,
        null,
        { timeout: 15000 },
      );
      await page.click('.lbar button:text-is("Reset")');
      await page.waitForFunction(
        () => !/Baseline \d\d:\d\d/.test(document.getElementById('app')?.textContent ?? ''),
        null,
        {
          timeout: 15000,
        },
      );
    });

    it('clears the device after a confirmation, and the list fills again as devices are heard', async () => {
      const asked: string[] = [];
      page.once('dialog', (d) => {
        asked.push(d.message());
        void d.dismiss();
      });
      await page.click('.lbar button:text-is("Clear")');
      await expect.poll(() => asked.length, { timeout: 15000 }).toBe(1);
      expect(asked[0]).toMatch(/^Clear the device's list of \d+ devices/);
      expect(sim.engine.table.size).toBeGreaterThan(100);
      // Stopped first, so the demo does not refill the table at once.
      await sim.engine.stop();
      page.once('dialog', (d) => void d.accept());
      await page.click('.lbar button:text-is("Clear")');
      await expect.poll(() => sim.engine.table.size, { timeout: 15000 }).toBe(0);
      await page.waitForFunction(
        () => document.getElementById('app')?.textContent?.includes('No devices yet'),
        null,
        {
          timeout: 15000,
        },
      );
      await sim.engine.start();
      await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 5, null, {
        timeout: 15000,
      });
    });
  });
});
