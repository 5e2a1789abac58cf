// Issue 13 bugs 10 and 11 in the browser: exports carry wall-clock ISO times, bare booleans, unpadded cells
// and a dated file name; the diagnostics corner and the list bar never cover the last row. The built page in
// real Chromium against a real simulator on port 0; every wait is for an event, with a generous bound.
import { readFile } from 'node:fs/promises';
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, type Launched, launch, requireBuild, skipReason } from './browser.ts';

const skip = skipReason();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const DATED = (ext: string) => new RegExp(`^bleshark-\\d{4}-\\d{2}-\\d{2}-\\d{4}\\.${ext}$`);

/** RFC 4180 rows: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** Clicks an export button and returns the file's name and text. */
async function download(page: Page, label: 'CSV' | 'JSON'): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.getByRole('button', { name: label, exact: true }).click(),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

describe.skipIf(skip)('exports and the list layout', () => {
  let b: Launched;
  let sim: RunningSimulator;
  let page: Page;

  beforeAll(async () => {
    requireBuild();
    sim = await startSimulator({
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      uiDir: DIST,
      seed: 5,
      devices: 60,
      rate: 200,
      logLevel: 'warn',
      log: () => {},
    });
    b = await launch({ width: 1280, height: 700 });
    page = await b.context.newPage();
    await page.goto(`http://127.0.0.1:${sim.port}/`, { timeout: 15000 });
    // Enough rows to scroll, and the decoders (which hold the export) loaded.
    await page.waitForFunction(() => document.querySelectorAll('.tr').length >= 10, null, { timeout: 15000 });
    await page.getByRole('button', { name: 'CSV', exact: true }).waitFor({ timeout: 15000 });
  }, 60000);

  afterAll(async () => {
    await b?.close();
    await sim?.close();
  });

  it('names the CSV after the date and time, with ISO first/last seen, bare booleans and unpadded cells', async () => {
    await expect
      .poll(async () => page.getByRole('button', { name: 'CSV', exact: true }).isEnabled(), {
        timeout: 15000,
      })
      .toBe(true);
    const { name, text } = await download(page, 'CSV');
    expect(name).toMatch(DATED('csv'));
    const [cols, ...rows] = parseCsv(text);
    expect(cols).toContain('first');
    expect(cols).toContain('last');
    expect(rows.length).toBeGreaterThan(0);
    const at = (row: string[], col: string) => row[cols!.indexOf(col)]!;
    for (const row of rows.slice(0, 20)) {
      expect(row).toHaveLength(cols!.length);
      expect(at(row, 'first')).toMatch(ISO);
      expect(at(row, 'last')).toMatch(ISO);
      expect(Date.parse(at(row, 'last'))).toBeGreaterThanOrEqual(Date.parse(at(row, 'first')));
    }
    // No cell padded with spaces (the RSSI history was), except text the devices chose (names) or the user typed.
    const free = new Set(['name', 'alias', 'label']);
    for (const row of rows)
      for (const [i, cell] of row.entries())
        if (!free.has(cols![i]!)) expect(cell, `${cols![i]}: ${JSON.stringify(cell)}`).toBe(cell.trim());
    // Booleans bare: a connectable column reads true / false (quoted, they would have lost their quotes above).
    expect(text).not.toMatch(/"(true|false)"/);
  });

  it('names the JSON after the date and time, with ISO times', async () => {
    const { name, text } = await download(page, 'JSON');
    expect(name).toMatch(DATED('json'));
    const doc = JSON.parse(text);
    expect(doc.exported).toMatch(ISO);
    const devices = (Array.isArray(doc) ? doc : (doc.devices ?? [])) as Record<string, unknown>[];
    expect(devices.length).toBeGreaterThan(0);
    for (const d of devices.slice(0, 20)) {
      expect(d.firstSeen).toMatch(ISO);
      expect(d.lastSeen).toMatch(ISO);
    }
  });

  it('keeps the last row clear of the diagnostics corner and the list bar when scrolled to the end', async () => {
    await page.evaluate(() => {
      const el = document.scrollingElement ?? document.documentElement;
      el.scrollTop = el.scrollHeight;
      for (const e of document.querySelectorAll<HTMLElement>('*'))
        if (e.scrollHeight > e.clientHeight + 4 && getComputedStyle(e).overflowY !== 'visible')
          e.scrollTop = e.scrollHeight;
    });
    await page.waitForFunction(
      () => {
        const rows = [...document.querySelectorAll('.tr')].map((r) => r.getBoundingClientRect());
        return rows.length > 0 && rows.some((r) => r.bottom <= innerHeight && r.bottom > 0);
      },
      null,
      { timeout: 15000 },
    );
    const overlap = await page.evaluate(() => {
      const rows = [...document.querySelectorAll('.tr')].map((r) => r.getBoundingClientRect());
      const last = rows.sort((a, b) => b.bottom - a.bottom)[0]!;
      const covers = [...document.querySelectorAll('.diag, .lbar')]
        .map((e) => e.getBoundingClientRect())
        .filter((r) => r.height > 0 && r.top < last.bottom && r.bottom > last.top);
      return { last: last.bottom, viewport: innerHeight, covers: covers.map((r) => `${r.top}-${r.bottom}`) };
    });
    expect(overlap.last).toBeLessThanOrEqual(overlap.viewport);
    expect(overlap.covers, `last row ends at ${overlap.last}`).toEqual([]);
  });
});
