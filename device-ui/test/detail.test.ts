// The detail view and locate mode live in detail.js, loaded when a device is first opened: the built page
// in real Chromium against a real simulator on port 0, with and without that asset.
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

const skip = skipReason();

describe.skipIf(skip)('the detail view, loaded on first open', () => {
  let sim: RunningSimulator;
  let b: Launched;

  beforeAll(async () => {
    requireBuild();
    sim = await startSimulator({
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 7,
      devices: 20,
      rate: 100,
      logLevel: 'warn',
      log: () => {},
    });
    b = await launch();
  }, 30000);

  afterAll(async () => {
    await b?.close();
    await sim?.close();
  });

  /** A page with rows on screen; `requests` collects the paths it fetched. */
  async function open(requests: string[]): Promise<Page> {
    const page = await b.context.newPage();
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(sim.url, { timeout: 10000 });
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 5, null, { timeout: 15000 });
    return page;
  }

  it('fetches detail.js only when a device is first opened', async () => {
    const requests: string[] = [];
    const page = await open(requests);
    try {
      expect(requests).not.toContain('/detail.js');
      await page.click('.tr');
      await page.waitForSelector('.dlg', { timeout: 15000 });
      expect(requests.filter((p) => p === '/detail.js')).toHaveLength(1);
      expect(await page.textContent('.dlg')).toContain('Address');
      await page.click('button:text("Locate")');
      await page.waitForSelector('.dlg.loc', { timeout: 15000 });
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.waitForSelector('.dlg', { state: 'detached', timeout: 15000 });
    } finally {
      await page.close();
    }
  });

  it('says details are unavailable when detail.js cannot be loaded, and the list keeps working', async () => {
    const requests: string[] = [];
    await b.context.route('**/detail.js', (r) => r.abort());
    const page = await open(requests);
    try {
      await page.click('.tr');
      const alert = await page.waitForSelector('.ban.er', { timeout: 15000 });
      expect(await alert.textContent()).toContain('Details unavailable');
      await page.click('.ban.er button');
      await page.waitForSelector('.ban.er', { state: 'detached', timeout: 15000 });
      expect(await page.$$('.tr')).not.toHaveLength(0);
      // Opening again tries again: with the asset back, the details open.
      await b.context.unroute('**/detail.js');
      await page.click('.tr');
      await page.waitForSelector('.dlg', { timeout: 15000 });
    } finally {
      await page.close();
    }
  });

  it('stays open, "not heard", with its history when the device filter drops the device', async () => {
    const page = await open([]);
    try {
      await page.click('.tr');
      await page.waitForSelector('.dlg', { timeout: 15000 });
      const address = await page.textContent('.dlg #Address');
      // Above every device's RSSI: the device stops sending them all.
      await page.$eval('input[type=range]', (el) => {
        const i = el as HTMLInputElement;
        i.value = i.max;
        i.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForSelector('.dlg #heard', { timeout: 15000 });
      await page.waitForFunction(() => !document.querySelector('.tr'), null, { timeout: 15000 });
      expect(await page.textContent('.dlg #heard')).toMatch(/Not heard for/);
      expect(await page.textContent('.dlg #Address')).toBe(address);
      expect(await page.getAttribute('.dlg .chart polyline', 'points')).not.toBe('');
    } finally {
      await page.close();
    }
  });
});
