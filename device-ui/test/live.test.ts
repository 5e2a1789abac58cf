// The built page in real Chromium against a real simulator on port 0.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, RESULTS, requireBuild, skipReason } from './browser.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots', import.meta.url));
const skip = skipReason();

/** Device rows currently in the DOM. */
const rowIds = (page: Page) =>
  page.$$eval('.tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.id ?? ''));
/** The text of the "shown" counter. */
const shown = async (page: Page) => Number(await page.textContent('#shown b', { timeout: 2000 }));

describe.skipIf(skip)('the page against the simulator', () => {
  let sim: RunningSimulator;
  let b: Launched;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    requireBuild();
    sim = await startSimulator({
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 7,
      devices: 40,
      rate: 200,
      logLevel: 'warn',
      log: () => {},
    });
    b = await launch();
    page = await b.context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // A payload that runs would call alert(); make that leave a flag too.
    await page.addInitScript(() => {
      (window as unknown as { alert: (s: unknown) => void }).alert = () => {
        (window as unknown as { __pwned: boolean }).__pwned = true;
      };
    });
    await page.goto(sim.url, { timeout: 10000 });
  }, 30000);

  afterAll(async () => {
    await b?.close();
    await sim?.close();
  });

  it('shows live devices from the demo scene', async () => {
    await page.waitForSelector('.pill.live', { timeout: 5000 });
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 10, null, { timeout: 8000 });
    expect(await page.textContent('header')).toContain('DEMO');
    expect(await shown(page)).toBeGreaterThanOrEqual(10);
  });

  it('renders hostile names as inert text', async () => {
    await page.setViewportSize({ width: 1280, height: 1600 }); // every row of the scene in the window
    // Every hostile name of the demo scene has been heard (they advertise at different intervals).
    await page.waitForFunction(
      () =>
        ['<img src=x onerror', '<script>', 'nul\u2400byte', '\u241b[31mRED', '\\u202E'].every((s) =>
          document.querySelector('.list')?.textContent?.includes(s),
        ),
      null,
      { timeout: 10000 },
    );
    const text = await page.textContent('.list');
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('\\u202E'); // the bidi override is shown, not obeyed
    expect(text).toContain('nul\u2400byte'); // NUL as its control picture
    expect(text).toContain('\u241b[31mRED'); // ESC too
    expect(await page.$$eval('img', (e) => e.length)).toBe(0);
    expect(await page.$$eval('script', (e) => e.length)).toBe(1); // the page's own inline module
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('opens the detail view with the keyboard and closes it with Esc', async () => {
    await page.focus('.tr');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.dlg', { timeout: 3000 });
    expect(await page.textContent('.dlg')).toContain('Address');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.dlg', { state: 'detached', timeout: 2000 });
  });

  it('stops and starts the scan on the simulator', async () => {
    await page.click('button:text("Stop")');
    await page.waitForFunction(() => document.getElementById('scan')?.textContent === 'Idle', null, {
      timeout: 5000,
    });
    await page.click('button:text("Start")');
    await page.waitForFunction(
      () => document.getElementById('scan')?.textContent?.startsWith('Scanning'),
      null,
      {
        timeout: 5000,
      },
    );
  });

  it('sends the RSSI filter to the simulator, which then sends fewer devices', async () => {
    await page.$eval('input[type=range]', (el) => {
      const i = el as HTMLInputElement;
      i.value = '-55';
      i.dispatchEvent(new Event('input', { bubbles: true }));
    });
    // The simulator echoes the filter it applies in its status, and its count of devices for us drops.
    await page.waitForFunction(
      () => document.getElementById('Device filter')?.textContent === '{"minRssi":-55}',
      null,
      {
        timeout: 6000,
      },
    );
    const rssi = await page.$$eval('.tr .c-r b', (e) => e.map((b) => Number(b.textContent)));
    expect(rssi.every((r) => r >= -55)).toBe(true);
    await page.waitForFunction(
      () =>
        Number(document.getElementById('Device shown')?.textContent) <
        Number(document.querySelector('#devices b')?.textContent),
      null,
      { timeout: 6000 },
    );
    await page.$eval('input[type=range]', (el) => {
      const i = el as HTMLInputElement;
      i.value = '-110';
      i.dispatchEvent(new Event('input', { bubbles: true }));
    });
  });

  it('saves screenshots of the main view at desktop and phone widths', async () => {
    mkdirSync(RESULTS, { recursive: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.click('.ban button[aria-label=Dismiss]').catch(() => {});
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(4000); // let the sparklines fill a little
    await page.screenshot({ path: join(RESULTS, 'desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(RESULTS, 'phone.png') });
    copyFileSync(join(RESULTS, 'desktop.png'), join(SCREENSHOTS, 'desktop.png'));
    copyFileSync(join(RESULTS, 'phone.png'), join(SCREENSHOTS, 'phone.png'));
  });

  it('reconnects and resyncs without duplicates when the simulator restarts on the same port', async () => {
    await page.setViewportSize({ width: 1280, height: 2000 });
    const port = sim.port;
    await sim.close();
    await page.waitForFunction(() => !document.querySelector('.pill.live[role=status]'), null, {
      timeout: 9000,
    });
    sim = await startSimulator({
      source: 'demo',
      port,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 7,
      devices: 40,
      rate: 200,
      logLevel: 'warn',
      log: () => {},
    });
    const back = Date.now();
    await page.waitForSelector('.pill.live[role=status]', { timeout: 5000 });
    expect(Date.now() - back).toBeLessThan(2500);
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 30, null, { timeout: 8000 });
    const ids = await rowIds(page);
    expect(new Set(ids).size).toBe(ids.length);
    const addrs = await page.$$eval('.tr .c-a', (e) => e.map((x) => x.firstChild?.textContent));
    expect(new Set(addrs).size).toBe(addrs.length);
    expect(await page.textContent('body')).toContain('restarted');
  });
});
