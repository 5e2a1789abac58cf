// `npm run dev -w device-ui`: the Vite dev server serves the page from source and proxies /scan/live to
// the simulator named by BLESHARK_TARGET (the same way it would reach a real Nano).
import { fileURLToPath } from 'node:url';
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { ViteDevServer } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { type Launched, launch, skipReason } from './browser.ts';

const skip = skipReason();

describe.skipIf(skip)('the dev server', () => {
  let sim: RunningSimulator | undefined;
  let vite: ViteDevServer | undefined;
  let b: Launched | undefined;
  afterAll(async () => {
    await b?.close();
    await vite?.close();
    await sim?.close();
    delete process.env.BLESHARK_TARGET;
  });

  it('proxies the live socket to BLESHARK_TARGET and serves the page from source', async () => {
    sim = await startSimulator({
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      seed: 5,
      devices: 20,
      log: () => {},
    });
    process.env.BLESHARK_TARGET = sim.url;
    const { createServer } = await import('vite');
    vite = await createServer({
      configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'silent',
    });
    await vite.listen();
    const url = vite.resolvedUrls?.local[0];
    expect(url).toBeTruthy();
    b = await launch();
    const page = await b.context.newPage();
    await page.goto(url!, { timeout: 15000 });
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 5, null, { timeout: 15000 });
    await page.waitForSelector('input[type=search]', { timeout: 15000 }); // the filters (from source) rendered
    expect(await page.textContent('header')).toContain('DEMO');
  }, 45000);
});
