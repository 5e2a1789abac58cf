// The compact header, the filter panel and the rows' look (issue 13: a compact phone header, filters by
// company and by service UUID, chips with counts, "Hide Apple" saying it hides AirTags, the address type not
// cut, type glyphs in the rows): the built page in real Chromium against a real simulator on port 0.
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

const skip = skipReason();
const T = { timeout: 15000 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(skip)('the header and the filter panel', () => {
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
  }, 30000);

  afterAll(async () => {
    await b?.close();
    await sim?.close();
  });

  async function open(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const page = await b.context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(sim.url, { timeout: 10000 });
    await page.waitForSelector('.pill.live', T);
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 10, null, T);
    return page;
  }

  const headerHeight = (page: Page) => page.$eval('header', (h) => h.getBoundingClientRect().height);

  it('is at most 120 px high on a phone, search in view, and says when collapsed filters are active', async () => {
    const page = await open(PHONE);
    try {
      expect(await headerHeight(page)).toBeLessThanOrEqual(120);
      const search = await page.$eval('input[type=search]', (e) => {
        const r = e.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, width: r.width };
      });
      expect(search.top).toBeGreaterThanOrEqual(0);
      expect(search.bottom).toBeLessThanOrEqual(120);
      expect(search.width).toBeGreaterThan(100);
      expect(await page.$('#flt')).toBeNull(); // collapsed on a phone

      // Three filters in the panel, then collapsed: the header says so, with Clear.
      await page.click('button[aria-controls=flt]');
      await page.waitForSelector('#flt', T);
      await page.check('label:has-text("Connectable") input');
      await page.check('label:has-text("Hide unnamed") input');
      await page.$eval('input[type=range]', (el) => {
        const i = el as HTMLInputElement;
        i.value = '-90';
        i.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.click('button[aria-controls=flt]');
      await page.waitForSelector('#flt', { state: 'detached', ...T });
      expect(await page.textContent('header')).toContain('3 filters active · Clear');
      expect(await headerHeight(page)).toBeLessThanOrEqual(120);
      // Its Clear and the list's (which clears the device's table) are told apart by their accessible names.
      const clears = await page.$$eval('button', (bs) =>
        bs.filter((b) => b.textContent === 'Clear').map((b) => b.getAttribute('aria-label') ?? b.textContent),
      );
      expect(clears).toContain('Clear filters');
      expect(clears).toContain('Clear the device list');
      expect(new Set(clears).size).toBe(clears.length);
      await page.getByRole('button', { name: 'Clear filters', exact: true }).click();
      await page.waitForFunction(
        () => !document.querySelector('header')?.textContent?.includes(' active · '),
        null,
        T,
      );
      await page.click('button[aria-controls=flt]');
      await page.waitForSelector('#flt', T);
      expect(await page.isChecked('label:has-text("Connectable") input')).toBe(false);
      expect(await page.$eval('input[type=range]', (e) => (e as HTMLInputElement).value)).toBe('-110');
    } finally {
      await page.close();
    }
  });

  it('labels "Hide Apple" as hiding AirTags too, and shows the address type whole', async () => {
    for (const viewport of [PHONE, { width: 1280, height: 800 }]) {
      const page = await open(viewport);
      try {
        if (!(await page.$('#flt'))) await page.click('button[aria-controls=flt]');
        await page.waitForSelector('#flt', T);
        expect(await page.textContent('#flt')).toContain('Hide Apple (incl. AirTags)');
        const cut = await page.$$eval('.tr .c-a', (cells) =>
          cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent),
        );
        expect(cut).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it('filters by company with a chip (with its count), and by service UUID', async () => {
    const page = await open();
    try {
      await page.waitForSelector('#flt .chip', T);
      const chip = page.locator('#flt .chip', { hasText: 'Apple, Inc.' }).first();
      const label = (await chip.textContent()) ?? '';
      const n = Number(label.replace(/\D/g, ''));
      expect(n).toBeGreaterThan(0);
      await chip.click();
      expect(await chip.getAttribute('aria-pressed')).toBe('true');
      // Every row is Apple's (the device applies `company` too).
      await page.waitForFunction(
        () => {
          const c = [...document.querySelectorAll('.tr .c-c')].map((e) => e.textContent);
          return c.length > 0 && c.every((t) => t === 'Apple, Inc.');
        },
        null,
        T,
      );
      await chip.click();
      await page.waitForFunction(
        () => [...document.querySelectorAll('.tr .c-c')].some((e) => e.textContent !== 'Apple, Inc.'),
        null,
        T,
      );
      // The Eddystone service, typed in capitals: only Eddystone devices remain.
      await page.fill('#flt .uuid', 'FEAA');
      await page.waitForFunction(
        () => {
          const k = [...document.querySelectorAll('.tr .c-k')].map((e) => e.textContent ?? '');
          return k.length > 0 && k.every((t) => t.startsWith('Eddystone'));
        },
        null,
        T,
      );
      await page.fill('#flt .uuid', '');
      await page.waitForFunction(
        () => [...document.querySelectorAll('.tr .c-k')].some((e) => !e.textContent?.startsWith('Eddystone')),
        null,
        T,
      );
    } finally {
      await page.close();
    }
  });

  it('marks each decoded row with its kind as a glyph, named by the kind, on a phone too', async () => {
    for (const viewport of [PHONE, { width: 1280, height: 800 }]) {
      const page = await open(viewport);
      try {
        // The kinds come with decode.js, after the first paint.
        await page.waitForSelector('.tr .c-n .gl[role=img]', T);
        const rows = await page.$$eval('.tr', (trs) =>
          trs.map((tr) => {
            const g = tr.querySelector('.c-n .gl');
            return {
              glyph: g?.textContent?.trim() ?? '',
              name: g?.getAttribute('title') ?? '',
              kind: tr.querySelector('.c-k')?.textContent ?? '',
              seen: (g?.getBoundingClientRect().width ?? 0) > 0,
            };
          }),
        );
        expect(rows.filter((r) => r.glyph).length).toBeGreaterThan(0);
        for (const r of rows) {
          // A glyph exactly where the Kind column names a kind (hidden on a phone), named by it.
          expect(r.glyph ? r.name : '').toBe(r.kind);
          if (r.glyph) {
            expect(r.glyph).toMatch(/^[◉◎◈⇄⊞✚◆]$/u);
            expect(r.seen).toBe(true);
          }
        }
      } finally {
        await page.close();
      }
    }
  });
});
