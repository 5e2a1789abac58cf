// The lazily loaded chunks (detail.js, diag.js, panel.js) are fetched on first use only, and the page keeps
// working when one cannot be loaded: the built page in real Chromium against a real simulator on port 0.
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

const skip = skipReason();

describe.skipIf(skip)('the lazy chunks', () => {
  let sim: RunningSimulator;
  let b: Launched;

  beforeAll(async () => {
    requireBuild();
    sim = await startSimulator({
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 3,
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

  async function open(requests: string[]): Promise<Page> {
    const page = await b.context.newPage();
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(sim.url, { timeout: 10000 });
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 5, null, { timeout: 15000 });
    return page;
  }

  it('fetches diag.js when the diagnostics are first opened, then shows their figures', async () => {
    const requests: string[] = [];
    const page = await open(requests);
    try {
      expect(requests).not.toContain('/diag.js');
      await page.click('.diag summary');
      await page.waitForSelector('.diag [id=Frames]', { timeout: 15000 });
      expect(requests.filter((p) => p === '/diag.js')).toHaveLength(1);
      await page.waitForFunction(() => Number(document.getElementById('Frames')?.textContent) > 0, null, {
        timeout: 15000,
      });
    } finally {
      await page.close();
    }
  });

  it('keeps the list, the filters and the details working when diag.js cannot be loaded', async () => {
    await b.context.route('**/diag.js', (r) => r.abort());
    const page = await open([]);
    try {
      await page.click('.diag summary');
      await page.waitForFunction(
        () => document.querySelector('.diag')?.textContent?.includes('diag.js unavailable'),
        null,
        { timeout: 15000 },
      );
      // The rest of the page still works: rows update, details open.
      await page.click('.tr');
      await page.waitForSelector('.dlg', { timeout: 15000 });
      await page.keyboard.press('Escape');
      await page.waitForSelector('.dlg', { state: 'detached', timeout: 15000 });
      // Closing and opening the diagnostics again tries again: with the asset back, the figures come.
      await b.context.unroute('**/diag.js');
      await page.click('.diag summary');
      await page.click('.diag summary');
      await page.waitForSelector('.diag [id=Frames]', { timeout: 15000 });
    } finally {
      await page.close();
    }
  });

  it('keeps the list and the diagnostics working when detail.js and decode.js cannot be loaded', async () => {
    await b.context.route(/\/(detail|decode)\.js$/, (r) => r.abort());
    const page = await open([]);
    try {
      await page.click('.tr');
      await page.waitForSelector('.ban.er', { timeout: 15000 });
      await page.click('.ban.er button');
      await page.click('.diag summary');
      await page.waitForSelector('.diag [id=Frames]', { timeout: 15000 });
      expect(await page.$$('.tr')).not.toHaveLength(0);
    } finally {
      await b.context.unroute(/\/(detail|decode)\.js$/);
      await page.close();
    }
  });

  it('keeps the list, the search and the details working when panel.js cannot be loaded, and retries it', async () => {
    await b.context.route('**/panel.js', (r) => r.abort());
    // Wide: the filter panel starts open, so panel.js is fetched at once.
    const page = await open([]);
    try {
      await page.waitForFunction(
        () => document.querySelector('.ban.er')?.textContent?.startsWith('Filters unavailable (panel.js'),
        null,
        { timeout: 15000 },
      );
      expect(await page.$('#flt')).toBeNull();
      // The search filters the list without the panel.
      const addr = await page.$eval('.tr .c-a', (e) => e.firstChild?.textContent?.trim() ?? '');
      await page.fill('input[type=search]', addr);
      await page.waitForFunction(
        (a) => {
          const rows = [...document.querySelectorAll('.tr .c-a')];
          return rows.length === 1 && rows[0]!.textContent!.startsWith(a);
        },
        addr,
        { timeout: 15000 },
      );
      await page.fill('input[type=search]', '');
      await page.click('.tr');
      await page.waitForSelector('.dlg', { timeout: 15000 });
      await page.keyboard.press('Escape');
      await page.waitForSelector('.dlg', { state: 'detached', timeout: 15000 });
      // With the asset back, Retry brings the panel.
      await b.context.unroute('**/panel.js');
      await page.click('.ban.er button:text("Retry")');
      await page.waitForSelector('#flt', { timeout: 15000 });
      expect(await page.$('.ban.er')).toBeNull();
    } finally {
      await b.context.unroute('**/panel.js');
      await page.close();
    }
  });
});
