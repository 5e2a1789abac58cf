// The built page in real Chromium against a real simulator on port 0. The screenshots of the READMEs come
// from `npm run screenshots` (scripts/screenshots.mjs), never from a test: tests leave the tree as it was.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots', import.meta.url));
const skip = skipReason();

/** The tracked screenshots by name, with a hash of their bytes. */
const screenshots = () =>
  readdirSync(SCREENSHOTS)
    .sort()
    .map(
      (f) =>
        `${f} ${createHash('sha256')
          .update(readFileSync(join(SCREENSHOTS, f)))
          .digest('hex')}`,
    );

/** Device rows currently in the DOM. */
const rowIds = (page: Page) =>
  page.$$eval('.tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.id ?? ''));
/** The text of the "shown" counter. */
const shown = async (page: Page) => Number(await page.textContent('#shown b', { timeout: 15000 }));
/** Moves the Min RSSI slider of the filter panel as a user would (an input event). */
const setMinRssi = (page: Page, dbm: number) =>
  page.$eval(
    'input[type=range]',
    (el, v) => {
      const i = el as HTMLInputElement;
      i.value = String(v);
      i.dispatchEvent(new Event('input', { bubbles: true }));
    },
    dbm,
  );

describe.skipIf(skip)('the page against the simulator', () => {
  let sim: RunningSimulator;
  let b: Launched;
  let page: Page;
  const dialogs: string[] = [];
  let shotsBefore: string[] = [];

  beforeAll(async () => {
    requireBuild();
    shotsBefore = screenshots();
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
    page = await b.context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // A payload that runs would call alert(); make that leave a flag too.
    await page.addInitScript(() => {
      (window as unknown as { alert: (s: unknown) => void }).alert = () => {
        (window as unknown as { __pwned: boolean }).__pwned = true;
      };
    });
    await page.goto(sim.url, { timeout: 10000 });
  }, 30000);

  afterAll(async () => {
    await b?.close();
    await sim?.close();
  });

  it('shows live devices from the demo scene', async () => {
    await page.waitForSelector('.pill.live', { timeout: 15000 });
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 10, null, { timeout: 15000 });
    expect(await page.textContent('header')).toContain('DEMO');
    expect(await shown(page)).toBeGreaterThanOrEqual(10);
  });

  it('renders hostile names as inert text', async () => {
    await page.setViewportSize({ width: 1280, height: 1600 }); // every row of the scene in the window
    // Every hostile name of the demo scene has been heard (they advertise at different intervals).
    await page.waitForFunction(
      () =>
        ['<img src=x onerror', '<script>', 'nul\u2400byte', '\u241b[31mRED', '\\u202E'].every((s) =>
          document.querySelector('.list')?.textContent?.includes(s),
        ),
      null,
      { timeout: 10000 },
    );
    const text = await page.textContent('.list');
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('\\u202E'); // the bidi override is shown, not obeyed
    expect(text).toContain('nul\u2400byte'); // NUL as its control picture
    expect(text).toContain('\u241b[31mRED'); // ESC too
    expect(await page.$$eval('img', (e) => e.length)).toBe(0);
    expect(await page.$$eval('script', (e) => e.length)).toBe(1); // the page's own inline module
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('opens the detail view with the keyboard and closes it with Esc', async () => {
    await page.focus('.tr');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.dlg', { timeout: 15000 });
    expect(await page.textContent('.dlg')).toContain('Address');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.dlg', { state: 'detached', timeout: 15000 });
  });

  it('stops and starts the scan on the simulator', async () => {
    await page.click('button:text("Stop")');
    await page.waitForFunction(() => document.getElementById('scan')?.textContent === 'Idle', null, {
      timeout: 15000,
    });
    await page.click('button:text("Start")');
    await page.waitForFunction(
      () => document.getElementById('scan')?.textContent?.startsWith('Scanning'),
      null,
      {
        timeout: 15000,
      },
    );
  });

  it('sends the RSSI filter to the simulator, which then sends fewer devices', async () => {
    // The device's echo of the filter is in the diagnostics, whose figures come with diag.js when they are
    // first opened; the slider is in the filter panel (panel.js, loaded at once on a wide window).
    await page.$eval('details.diag', (d) => {
      (d as HTMLDetailsElement).open = true;
    });
    await page.waitForSelector('.diag [id=Frames]', { timeout: 15000 });
    await page.waitForSelector('input[type=range]', { timeout: 15000 });
    await setMinRssi(page, -55);
    // The simulator echoes the filter it applies in its status, and its count of devices for us drops.
    await page.waitForFunction(
      () => document.getElementById('Device filter')?.textContent === '{"minRssi":-55}',
      null,
      {
        timeout: 15000,
      },
    );
    // Rows whose RSSI fell below the limit leave the list: wait for a moment in which every row passes (a busy
    // machine only makes it later). The device filters on the newest RSSI, which each row's bar shows (the
    // number beside it is smoothed, with hysteresis, and may stay a dB or two lower).
    const allPass = await page
      .waitForFunction(
        () =>
          [...document.querySelectorAll('.tr .c-r meter')].every(
            (m) => Number(m.getAttribute('value')) >= -55,
          ),
        null,
        { timeout: 15000 },
      )
      .then(
        () => true,
        () => false,
      );
    const rssi = await page.$$eval('.tr .c-r meter', (e) => e.map((m) => Number(m.getAttribute('value'))));
    expect(allPass, `rows below -55 dBm: ${rssi.filter((r) => r < -55).join(', ')}`).toBe(true);
    await page.waitForFunction(
      () =>
        Number(document.getElementById('Device shown')?.textContent) <
        Number(document.querySelector('#devices b')?.textContent),
      null,
      { timeout: 15000 },
    );
    // Back to no limit, echoed by the simulator, and the diagnostics closed: the next test starts from the
    // page as it was.
    await setMinRssi(page, -110);
    await page.waitForFunction(() => document.getElementById('Device filter')?.textContent === '{}', null, {
      timeout: 15000,
    });
    await page.$eval('details.diag', (d) => {
      (d as HTMLDetailsElement).open = false;
    });
  });

  it('reconnects and resyncs without duplicates when the simulator restarts on the same port', async () => {
    await page.setViewportSize({ width: 1280, height: 2000 });
    const port = sim.port;
    await sim.close();
    await page.waitForFunction(() => !document.querySelector('.pill.live[role=status]'), null, {
      timeout: 15000,
    });
    sim = await startSimulator({
      source: 'demo',
      port,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 7,
      devices: 40,
      rate: 200,
      logLevel: 'warn',
      log: () => {},
    });
    // Back by itself, without a Retry (the backoff's 2 s cap is checked with fake timers in connection.test.ts).
    await page.waitForSelector('.pill.live[role=status]', { timeout: 15000 });
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 30, null, { timeout: 15000 });
    const ids = await rowIds(page);
    expect(new Set(ids).size).toBe(ids.length);
    const addrs = await page.$$eval('.tr .c-a', (e) => e.map((x) => x.firstChild?.textContent));
    expect(new Set(addrs).size).toBe(addrs.length);
    expect(await page.textContent('body')).toContain('restarted');
  });

  it('counts a timed scan down, and after the device goes away no longer claims it is scanning', async () => {
    const gone = await startSimulator({
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 7,
      devices: 5,
      rate: 20,
      logLevel: 'error',
      log: () => {},
    });
    const p = await b.context.newPage();
    try {
      await p.goto(gone.url, { timeout: 10000 });
      await p.waitForSelector('.pill.live[role=status]', { timeout: 15000 });
      await p.fill('input[type=number]', '600');
      await p.click('button:text("Start")');
      await p.waitForFunction(
        () => / · ends in \d+ s$/.test(document.getElementById('scan')?.textContent ?? ''),
        null,
        {
          timeout: 15000,
        },
      );
      await p.waitForFunction(() => Number(document.querySelector('[id="adv/s"] b')?.textContent) > 0, null, {
        timeout: 15000,
      });
      await gone.close();
      // The last known state, marked as old: never "Scanning", no rate, the list dimmed.
      await p.waitForFunction(
        () => /^Was scanning · last seen \d+ s ago$/.test(document.getElementById('scan')?.textContent ?? ''),
        null,
        { timeout: 15000 },
      );
      expect(await p.textContent('header')).not.toContain('Scanning');
      expect(await p.textContent('[id="adv/s"] b')).toBe('–');
      expect(await p.$$eval('#scan.live', (e) => e.length)).toBe(0);
      expect(await p.getAttribute('table', 'class')).toContain('st');
    } finally {
      await p.close();
      await gone.close();
    }
  });

  it('says a connection refused at the handshake is about the ?token= or the Wi-Fi, not a close code, and offers Retry instead of looping', async () => {
    const guarded = await startSimulator({
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 7,
      devices: 5,
      rate: 20,
      token: 'right-token',
      logLevel: 'error',
      log: () => {},
    });
    const p = await b.context.newPage();
    try {
      // The right token is passed on to the socket and accepted...
      await p.goto(`${guarded.url}?token=right-token`, { timeout: 10000 });
      await p.waitForSelector('.pill.live', { timeout: 15000 });
      // ...a wrong one is refused with HTTP 403 before the upgrade: the browser sees 1006, never an open socket.
      // After a few refusals in a row the page stops its quick retries and explains, with a Retry button.
      let tries = 0;
      p.on('websocket', () => tries++);
      await p.goto(`${guarded.url}?token=wrong-token`, { timeout: 10000 });
      const alert = await p.waitForSelector('.ban.er', { timeout: 15000 });
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain('Refused before the connection opened');
      expect(text).toContain('?token=');
      expect(text).toContain("Nano's Wi-Fi");
      expect(text).not.toMatch(/\b10\d\d\b/); // no close code: there was no connection to close
      expect(tries).toBeGreaterThanOrEqual(3);
      expect(await p.textContent('header [role=status]')).toMatch(/^Not connected · retrying( in \d+ s)?$/);
      // Retry tries at once and is refused again: the explanation comes back.
      const before = tries;
      await p.click('.ban.er button:text("Retry")');
      await p.waitForSelector('.ban.er button:text("Retry")', { timeout: 15000 });
      await expect.poll(() => tries, { timeout: 15000 }).toBeGreaterThan(before);
      expect(await p.textContent('header [role=status]')).not.toBe('Live');
    } finally {
      await p.close();
      await guarded.close();
    }
  });

  it('leaves the tracked screenshots as they were (npm run screenshots makes them)', () => {
    expect(screenshots()).toEqual(shotsBefore);
  });
});
