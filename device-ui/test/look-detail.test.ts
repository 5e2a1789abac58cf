// The details and locate mode (issue 13: wall-clock times, one spelling of service UUIDs, the Flags byte
// decoded, copy buttons, an alias field that updates do not reset, locate made for walking): the built page
// in real Chromium against a real simulator on port 0.
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

const skip = skipReason();
const T = { timeout: 15000 };

describe.skipIf(skip)('the details', () => {
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
      devices: 40,
      rate: 200,
      logLevel: 'warn',
      log: () => {},
    });
    b = await launch();
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sim.url });
  }, 30000);

  afterAll(async () => {
    await b?.close();
    await sim?.close();
  });

  /** The page with the details of the first device the search finds open (decode.js loaded). */
  async function details(search: string): Promise<Page> {
    const page = await b.context.newPage();
    await page.goto(sim.url, { timeout: 10000 });
    await page.waitForSelector('.pill.live', T);
    await page.waitForSelector('#flt .chip', T); // decode.js is in: kinds are known
    await page.fill('input[type=search]', search);
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 1, null, T);
    await page.click('.tr');
    await page.waitForSelector('.dlg', T);
    return page;
  }

  it('writes service UUIDs one way, decodes Flags, and shows times as "ago · hh:mm"', async () => {
    const page = await details('Eddystone-UID');
    try {
      expect(await page.textContent('.dlg #Services')).toContain('feaa');
      await page.waitForSelector('.dlg li', T);
      const items = await page.$$eval('.dlg li', (l) => l.map((e) => e.textContent ?? ''));
      const list = items.find((t) => t.startsWith('0x03'));
      expect(list).toContain('feaa');
      expect(list).not.toContain('aafe');
      expect(items.find((t) => t.startsWith('0x16'))).toMatch(/: feaa [0-9a-f]+$/);
      expect(await page.textContent('.dlg #Flags')).toMatch(/^0x[0-9a-f]{2}: .*LE General Discoverable/);
      for (const id of ['First seen', 'Last seen'])
        expect(await page.textContent(`.dlg [id="${id}"]`)).toMatch(
          /^(now|\d+ s ago|\d+ min ago|\d+ h ago) · \d\d:\d\d$/,
        );
      expect(await page.textContent('.dlg')).not.toContain('uptime');
    } finally {
      await page.close();
    }
  });

  it('copies the address, keeps what is typed as alias while the device updates', async () => {
    const page = await details('Nearby Info');
    try {
      const addr = (await page.textContent('.dlg #Address'))?.split(' ')[0];
      await page.click('.dlg [aria-label="Copy address"]');
      await page.waitForFunction(
        () => document.querySelector('.dlg [aria-label="Copy address"]')?.textContent === 'Copied',
        null,
        T,
      );
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(addr);

      const sightings = await page.textContent('.dlg #Sightings');
      await page.click('.dlg label:has-text("Alias") input');
      await page.keyboard.type('Kitchen');
      // Several updates of the device later, what was typed is still there.
      await page.waitForFunction(
        (s) => Number(document.getElementById('Sightings')?.textContent) >= Number(s) + 3,
        sightings,
        T,
      );
      expect(await page.inputValue('.dlg label:has-text("Alias") input')).toBe('Kitchen');
      await page.keyboard.press('Enter'); // change: saved
      await page.click('.dlg [aria-label="Copy Advertising data"]');
      await page.waitForFunction(
        () => document.querySelector('.dlg [aria-label="Copy Advertising data"]')?.textContent === 'Copied',
        null,
        T,
      );
      expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^[0-9a-f]+$/);
    } finally {
      await page.close();
    }
  });

  it('locates for walking: smoothed value coloured by strength, peak, trend and the address', async () => {
    const page = await details('Nearby Info');
    try {
      const addr = (await page.textContent('.dlg #Address'))?.replace(/ ?Copy$/, '');
      await page.click('.dlg button:text("Locate")');
      await page.waitForSelector('.dlg.loc', T);
      expect(await page.textContent('.dlg.loc .mono')).toBe(addr);
      expect(await page.getAttribute('#smooth', 'class')).toMatch(/^big (live|wa|er)$/);
      expect(await page.textContent('#smooth')).toMatch(/^-\d+ dBm$/);
      expect(await page.textContent('#trend')).toMatch(/^(▲ Warmer|▼ Colder|● Steady)$/);
      expect(await page.textContent('#peak')).toMatch(/^Peak -\d+ dBm · now -\d+ dBm$/);
    } finally {
      await page.close();
    }
  });
});
