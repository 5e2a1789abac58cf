#!/usr/bin/env node
// `npm run screenshots`: the pictures of README.md and device-ui/README.md. Runs the built page in the Debian
// Chromium (/usr/bin/chromium, driven by playwright-core; never a downloaded browser) against the simulator's
// demo scene on 127.0.0.1 (port 0), and writes desktop.png (1280 x 800) and phone.png (390 x 844) to
// docs/screenshots/, or to the folder given with --out. The npm script builds first.
// Exit codes: 0 written; 1 the run failed; 2 bad arguments, or Chromium or the build is missing.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CHROMIUM = '/usr/bin/chromium';
const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const SIMULATOR = fileURLToPath(new URL('../../simulator/dist/simulator.js', import.meta.url));
const DEFAULT_OUT = fileURLToPath(new URL('../../docs/screenshots', import.meta.url));

/** One line on stderr and the exit code; never a stack trace. */
function fail(code, message) {
  console.error(`screenshots: ${message}`);
  process.exit(code);
}

let out = DEFAULT_OUT;
try {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (values.out !== undefined) out = resolve(values.out);
} catch (err) {
  fail(2, `${err instanceof Error ? err.message : err}; usage: screenshots [--out DIR]`);
}
// The folder itself only (its parent must exist): Node 20's recursive mkdir spins forever under a path it
// cannot create (/proc/x), and a typo in --out should not grow a tree of folders.
try {
  mkdirSync(out);
} catch (err) {
  if (err?.code !== 'EEXIST') fail(2, `cannot use --out ${out}: ${err instanceof Error ? err.message : err}`);
}
if (!existsSync(CHROMIUM)) fail(2, `${CHROMIUM} is missing (install the Debian chromium package)`);
if (!existsSync(join(DIST, 'index.html')) || !existsSync(SIMULATOR))
  fail(2, 'the page or the simulator is not built: run `npm run build` (npm run screenshots does)');

const [{ startSimulator }, { chromium }] = await Promise.all([
  import('@bleshark/simulator'),
  import('playwright-core'),
]);

/** The scene of the pictures: the demo's 40 devices, hostile names included, as the browser tests use. */
const sim = await startSimulator({
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
const profile = mkdtempSync(join(tmpdir(), 'bleshark-screenshots-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
    timeout: 30_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(sim.url, { timeout: 15_000 });
  await page.waitForSelector('.pill.live', { timeout: 15_000 });
  await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 10, null, { timeout: 15_000 });
  await page.waitForTimeout(4000); // let the sparklines fill a little
  await page.screenshot({ path: join(out, 'desktop.png') });
  // The phone loads the page at its own size (the filter panel starts collapsed below 600 px).
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(sim.url, { timeout: 15_000 });
  await phone.waitForFunction(() => document.querySelectorAll('.tr').length >= 10, null, { timeout: 15_000 });
  await phone.waitForTimeout(4000);
  await phone.screenshot({ path: join(out, 'phone.png') });
  console.log(`screenshots: wrote desktop.png and phone.png to ${out}`);
} catch (err) {
  process.exitCode = 1;
  console.error(`screenshots: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  await sim.close();
}
