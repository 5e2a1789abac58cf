// axe-core (the npm package, injected into the page) over the built page in real Chromium against a real
// simulator: no serious or critical violation at phone and desktop size, in the light and the dark theme,
// with the list, the filter panel, the details and locate mode open.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

/** axe-core's browser build, evaluated in the page (the page's CSP refuses an added script tag). */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const skip = skipReason();

type Finding = { id: string; impact: string; help: string; nodes: string[] };

/** axe's serious and critical findings on the page as it is now, one line per rule. */
async function audit(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: String(v.impact),
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
      }));
  });
}

const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

describe.skipIf(skip)('axe-core finds no serious or critical violation', () => {
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

  for (const colorScheme of ['light', 'dark'] as const)
    it(`keeps stale (15 s, 60 s) and disconnected rows at 4.5:1, ${colorScheme}`, async () => {
      const page = await b.context.newPage();
      try {
        await page.emulateMedia({ colorScheme });
        await page.goto(sim.url, { timeout: 10000 });
        await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 3, null, {
          timeout: 15000,
        });
        // Copies of real rows, marked as the list marks them, outside the page's own tree (which re-renders).
        await page.evaluate(() => {
          const rows = [...document.querySelectorAll('.tr')].slice(0, 3);
          const t = document.createElement('table');
          t.className = 'tbl st';
          t.id = 'stale';
          const body = t.appendChild(document.createElement('tbody'));
          rows.forEach((r, i) => {
            const c = r.cloneNode(true) as HTMLElement;
            c.className = `tr ${['st', 'st2', ''][i]}`;
            c.style.position = 'static';
            body.append(c);
          });
          document.body.append(t);
        });
        if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
        const bad = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
          const r = await axe.run('#stale', { runOnly: ['color-contrast'] });
          return r.violations.flatMap((v) => v.nodes.map((n) => n.failureSummary));
        });
        expect(bad).toEqual([]);
      } finally {
        await page.close();
      }
    });

  for (const [size, viewport] of Object.entries(SIZES))
    for (const colorScheme of ['light', 'dark'] as const)
      it(`at ${size} size, ${colorScheme}: list, filter panel, details, locate`, async () => {
        const page = await b.context.newPage();
        try {
          await page.setViewportSize(viewport);
          await page.emulateMedia({ colorScheme });
          await page.goto(sim.url, { timeout: 10000 });
          await page.waitForSelector('.pill.live', { timeout: 15000 });
          await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 10, null, {
            timeout: 15000,
          });
          // Some rows old enough to be faded (the demo has slow advertisers): their text counts too.
          const found: Record<string, Finding[]> = { list: await audit(page) };
          // The filter panel (collapsed at first on a phone), a filter set and a chip pressed.
          if (!(await page.$('#flt'))) await page.click('button[aria-controls=flt]');
          await page.waitForSelector('#flt .chip', { timeout: 15000 });
          await page.check('label:has-text("Connectable") input');
          await page.click('#flt .chip');
          found.panel = await audit(page);
          await page.click('#flt .chip[aria-pressed=true]');
          await page.uncheck('label:has-text("Connectable") input');
          await page.click('.tr');
          await page.waitForSelector('.dlg', { timeout: 15000 });
          found.details = await audit(page);
          await page.click('.dlg button:text("Locate")');
          await page.waitForSelector('.dlg.loc', { timeout: 15000 });
          found.locate = await audit(page);
          expect(found).toEqual({ list: [], panel: [], details: [], locate: [] });
        } finally {
          await page.close();
        }
      });
});
