// Shared set-up for the browser tests: the system Chromium (never a downloaded browser) driven by
// playwright-core, a fresh profile per launch, and the built page.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const DIST = fileURLToPath(new URL('../dist', import.meta.url));
export const RESULTS = fileURLToPath(new URL('../test-results', import.meta.url));

/** Why the browser tests cannot run here, or undefined when they can. In CI a reason is a failure. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) {
    const why = `${CHROMIUM} is missing (install the Debian chromium package)`;
    if (process.env.CI === 'true') throw new Error(`browser tests must run in CI: ${why}`);
    console.warn(`skipping browser tests: ${why}`);
    return why;
  }
  return undefined;
}

/** Fails with a clear message when the page was not built. */
export function requireBuild(): void {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error(
      `${DIST}/index.html is missing: run \`npm run build -w device-ui\` (npm test builds first)`,
    );
}

export type Launched = { browser: Browser; context: BrowserContext; close: () => Promise<void> };

/** One headless Chromium with a throw-away profile. */
export async function launch(viewport = { width: 1280, height: 800 }): Promise<Launched> {
  const profile = mkdtempSync(join(tmpdir(), 'bleshark-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 15000,
  });
  const browser = context.browser() as Browser;
  return {
    browser,
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
