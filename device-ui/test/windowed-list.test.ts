// The list stays windowed under load: with thousands of devices streaming at 5,000 adverts/s on a phone-sized
// viewport, only the rows in view are in the DOM, wherever the list is scrolled. Nothing here is timed: frame
// times are a benchmark (bench/benchmarks/render.mjs, BENCHMARKS.md section 3), not a test.
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

const skip = skipReason();

describe.skipIf(skip)('the windowed list under load', () => {
  let sim: RunningSimulator | undefined;
  let b: Launched | undefined;
  afterAll(async () => {
    await b?.close();
    await sim?.close();
  });

  it('keeps only the rows in view in the DOM while 10,000 devices stream at 5,000 adverts/s', async () => {
    requireBuild();
    sim = await startSimulator({
      source: 'demo',
      profile: 'open',
      port: 0,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 3,
      devices: 10000,
      rate: 5000,
      log: () => {},
    });
    b = await launch({ width: 390, height: 844 });
    const page = await b.context.newPage();
    await page.goto(sim.url);
    await page.waitForFunction(() => Number(document.querySelector('#shown b')?.textContent) >= 3000, null, {
      timeout: 45000,
      polling: 500,
    });
    /** Rows and elements in the DOM, and the devices the list holds, at one moment. */
    const sample = () =>
      page.evaluate(() => ({
        top: document.querySelector('.list')?.scrollTop ?? 0,
        rows: document.querySelectorAll('.tr').length,
        elements: document.getElementsByTagName('*').length,
        shown: Number(document.querySelector('#shown b')?.textContent),
      }));
    const samples = [];
    // Top, middle and end of the list, each while the stream goes on.
    for (const at of [0, 0.5, 1]) {
      await page.$eval('.list', (el, f) => el.scrollTo(0, f * (el.scrollHeight - el.clientHeight)), at);
      await page.waitForTimeout(1500);
      samples.push(await sample());
    }
    console.log(`windowed list: ${JSON.stringify(samples)}`);
    expect(samples[1]!.top).toBeGreaterThan(samples[0]!.top); // it did scroll
    for (const s of samples) {
      expect(s.shown).toBeGreaterThanOrEqual(3000);
      expect(s.rows).toBeGreaterThan(5); // the rows in view are there...
      expect(s.rows).toBeLessThan(40); // ...and only those (844 px / 52 px rows + overscan)
      expect(s.elements).toBeLessThan(1500); // a row per device would be tens of thousands
    }
  }, 90000);
});
