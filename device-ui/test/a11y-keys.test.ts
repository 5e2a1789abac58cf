// Keyboard and accessibility (issue 13, bug 9), as a person with a keyboard, a screen reader or a phone meets
// them: the built page in real Chromium against a real simulator on port 0.
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

const skip = skipReason();
const T = { timeout: 15000 };

/** What has the focus: a row's device id ("row 12"), else a short description of the element. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return 'body';
    if (e.dataset.id) return `row ${e.dataset.id}`;
    return `${e.tagName.toLowerCase()} ${e.getAttribute('aria-label') ?? e.textContent?.trim().slice(0, 20)}`;
  });

/** The focused row: its id, its index in the list, and whether it lies wholly inside the list's window. */
const focusedRow = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement;
    const list = document.querySelector('.list')!.getBoundingClientRect();
    const r = e.getBoundingClientRect();
    return {
      id: e.dataset.id,
      index: Math.round(Number.parseFloat(e.style.top) / r.height),
      inWindow: r.top >= list.top - 1 && r.bottom <= list.bottom + 1,
    };
  });

/** Device ids in list order (the rows in the DOM, by their position). */
const rowCount = (page: Page) => page.$eval('#shown b', (b) => Number(b.textContent));

describe.skipIf(skip)('keyboard and accessibility', () => {
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
      devices: 60,
      rate: 200,
      logLevel: 'warn',
      log: () => {},
    });
    b = await launch({ width: 1280, height: 700 });
  }, 30000);

  afterAll(async () => {
    await b?.close();
    await sim?.close();
  });

  async function open(viewport = { width: 1280, height: 700 }): Promise<Page> {
    const page = await b.context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(sim.url, { timeout: 10000 });
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 10, null, T);
    // Enough devices to need scrolling.
    await page.waitForFunction(() => Number(document.querySelector('#shown b')?.textContent) >= 40, null, T);
    return page;
  }

  it('makes the list one Tab stop; arrows, Home/End and PageUp/PageDown keep the focused row in the window', async () => {
    const page = await open();
    try {
      expect(await page.$$eval('.tr[tabindex="0"]', (e) => e.length)).toBe(1);
      await page.focus('.tr[tabindex="0"]');
      const first = await focusedRow(page);
      expect(first.index).toBe(0);
      // Tab leaves the list at once, Shift+Tab comes back to the same row.
      await page.keyboard.press('Tab');
      expect(await focused(page)).not.toMatch(/^row /);
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).toBe(`row ${first.id}`);

      await page.keyboard.press('ArrowDown');
      await page.waitForFunction(() => (document.activeElement as HTMLElement).style.top !== '0px', null, T);
      expect((await focusedRow(page)).index).toBe(1);
      await page.keyboard.press('ArrowUp');
      await page.waitForFunction(() => (document.activeElement as HTMLElement).style.top === '0px', null, T);

      const n = await rowCount(page);
      await page.keyboard.press('End');
      await page.waitForFunction(
        (n) => {
          const e = document.activeElement as HTMLElement;
          return e.dataset.id && Math.round(Number.parseFloat(e.style.top) / e.offsetHeight) >= n - 1;
        },
        n,
        T,
      );
      expect((await focusedRow(page)).inWindow).toBe(true);
      await page.keyboard.press('PageUp');
      await page.waitForFunction(
        (n) => {
          const e = document.activeElement as HTMLElement;
          return e.dataset.id && Math.round(Number.parseFloat(e.style.top) / e.offsetHeight) < n - 2;
        },
        n,
        T,
      );
      expect((await focusedRow(page)).inWindow).toBe(true);
      await page.keyboard.press('Home');
      await page.waitForFunction(() => (document.activeElement as HTMLElement).style.top === '0px', null, T);
      expect((await focusedRow(page)).inWindow).toBe(true);
      await page.keyboard.press('PageDown');
      await page.waitForFunction(
        () => Number.parseFloat((document.activeElement as HTMLElement).style.top) > 34 * 3,
        null,
        T,
      );
      const down = await focusedRow(page);
      expect(down.inWindow).toBe(true);
      // Still exactly one Tab stop: the row moved to.
      expect(
        await page.$$eval('.tr[tabindex="0"]', (e) => e.map((r) => (r as HTMLElement).dataset.id)),
      ).toEqual([down.id]);
    } finally {
      await page.close();
    }
  });

  it('opens details with Space and Enter, traps the focus in them, and Esc returns it to the row', async () => {
    const page = await open();
    try {
      await page.focus('.tr[tabindex="0"]');
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction(() => (document.activeElement as HTMLElement).style.top !== '0px', null, T);
      const row = await focused(page);
      const scrolled = await page.$eval('.list', (l) => l.scrollTop);
      await page.keyboard.press(' ');
      await page.waitForSelector('.dlg', T);
      expect(await page.$eval('.list', (l) => l.scrollTop)).toBe(scrolled); // Space opened, did not scroll
      // Tab and Shift+Tab cycle inside the dialog.
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press(i % 3 ? 'Tab' : 'Shift+Tab');
        expect(await page.evaluate(() => !!document.activeElement?.closest('.dlg'))).toBe(true);
      }
      await page.keyboard.press('Escape');
      await page.waitForSelector('.dlg', { state: 'detached', ...T });
      await page.waitForFunction(() => document.activeElement !== document.body, null, T);
      expect(await focused(page)).toBe(row);
      await page.keyboard.press('Enter');
      await page.waitForSelector('.dlg', T);
      await page.keyboard.press('Escape');
      await page.waitForSelector('.dlg', { state: 'detached', ...T });
    } finally {
      await page.close();
    }
  });

  it('names the Min RSSI slider and gives checkboxes 24 px targets', async () => {
    const page = await open();
    try {
      expect(await page.getByRole('slider', { name: 'Min RSSI', exact: true }).count()).toBe(1);
      const boxes = await page.$$eval('[type=checkbox]', (e) =>
        e.map((c) => {
          const r = c.getBoundingClientRect();
          return Math.min(r.width, r.height);
        }),
      );
      expect(boxes.length).toBeGreaterThan(3);
      for (const s of boxes) expect(s).toBeGreaterThanOrEqual(24);
    } finally {
      await page.close();
    }
  });

  it('closes locate, then the details with the phone Back button, and stays on the page', async () => {
    const page = await open({ width: 390, height: 844 });
    try {
      const url = page.url();
      await page.click('.tr');
      await page.waitForSelector('.dlg', T);
      await page.click('.dlg button:text("Locate")');
      await page.waitForSelector('.dlg.loc', T);
      await page.goBack({ timeout: 15000 }).catch(() => {}); // same document: no navigation to wait for
      await page.waitForSelector('.dlg:not(.loc)', T);
      await page.goBack({ timeout: 15000 }).catch(() => {});
      await page.waitForSelector('.dlg', { state: 'detached', ...T });
      expect(page.url()).toBe(url);
      expect(await page.$$('.tr')).not.toHaveLength(0);
      // Closed with its button, it leaves no entry behind: opening again and Back closes it again.
      await page.click('.tr');
      await page.waitForSelector('.dlg', T);
      await page.click('.dlg [aria-label=Close]');
      await page.waitForSelector('.dlg', { state: 'detached', ...T });
      await page.click('.tr');
      await page.waitForSelector('.dlg', T);
      await page.goBack({ timeout: 15000 }).catch(() => {});
      await page.waitForSelector('.dlg', { state: 'detached', ...T });
      expect(page.url()).toBe(url);
    } finally {
      await page.close();
    }
  });
});
