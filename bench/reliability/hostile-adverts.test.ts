// Hostile advertisements (HTML/script names, bidi overrides, control characters, invalid UTF-8, overlong
// names, malformed AD, formula-looking names) through demo, replay and hci-replay into real Chromium:
// no script runs, nothing is injected, and the CSV export neutralises formula cells.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@bleshark/simulator';
import { HciReplaySource, legacyReport, writeBtsnoop } from '@bleshark/simulator/sources';
import { afterAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../lib/browser.mjs';
import { browserGate } from './helpers.ts';

const skip = browserGate();
const dir = mkdtempSync(join(tmpdir(), 'bleshark-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { logLevel: 'error' as const, log: () => {} };

/** Names that must render as inert text. The canary is set by any of them that ever executes. */
const NAMES = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=2</script>',
  '"><svg onload=window.__pwned=3>',
  '</td><iframe src=javascript:window.__pwned=4>',
  'Invoice\u202Efdp.exe',
  '\u2067rtl\u2069 isolate',
  'nul\u0000byte\u0007bell\u001b[31m',
  '=HYPERLINK("http://x")',
  '+SUM(1;2)',
  '-2+3',
  '@cmd',
  '\tTAB lead',
  '\rCR lead',
];
const FORMULA_LEAD = /^[=+\-@\t\r\n]/;
const addr = (i: number) => `c0:de:00:00:00:${i.toString(16).padStart(2, '0')}`;

/** A replay recording with hostile names and malformed raw AD. */
function recording(): string {
  const file = join(dir, 'hostile.jsonl');
  const lines = [
    JSON.stringify({
      bleshark: 'recording',
      version: 1,
      source: 'bench',
      started: '2026-01-01T00:00:00.000Z',
    }),
  ];
  NAMES.forEach((name, i) => {
    lines.push(
      JSON.stringify({
        t: i * 20,
        addr: addr(i),
        addrType: 'random',
        rssi: -40 - i,
        conn: false,
        name,
        adv: '1e09ff',
      }),
    );
  });
  lines.push(
    JSON.stringify({
      t: 400,
      addr: addr(40),
      addrType: 'public',
      rssi: -90,
      conn: true,
      name: '\ud800lone surrogate',
    }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** An HCI capture (btsnoop, H4) with hostile names, invalid UTF-8, overlong names and malformed AD. */
function capture(): string {
  const file = join(dir, 'hostile.btsnoop');
  const ad = (type: number, data: Uint8Array) => Uint8Array.from([data.length + 1, type, ...data]);
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  const datas: Uint8Array[] = NAMES.map((n) => ad(0x09, utf8(n).subarray(0, 29)));
  datas.push(
    ad(0x09, Buffer.from([0x41, 0xff, 0xc3, 0x42, 0xed, 0xa0, 0x80])), // invalid UTF-8
    Buffer.from('1e09414243', 'hex'), // a name whose length runs past the end
    Uint8Array.from([...ad(0x01, Uint8Array.of(6)), ...ad(0x09, utf8(`<b>${'W'.repeat(190)}</b>`))]), // overlong for a legacy PDU (31 bytes)
    Buffer.from('00000201060000', 'hex'), // zero-length structures
    Buffer.from('ff', 'hex'), // a length byte and nothing else
  );
  const packets = datas.map((data, i) => ({
    bytes: legacyReport({ type: 0x03, addrType: 1, addr: addr(i), data, rssi: -40 - i }),
    ts: i * 30,
  }));
  writeFileSync(file, writeBtsnoop(packets));
  return file;
}

function csvCells(text: string): { v: string; quoted: boolean }[] {
  const cells: { v: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) break;
        if (text[i] === '"' && text[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else v += text[i++];
      }
      cells.push({ v, quoted: true });
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') j++;
      cells.push({ v: text.slice(i, j), quoted: false });
      i = j;
    }
    if (text[i] === ',') i++;
    else while (text[i] === '\r' || text[i] === '\n') i++;
  }
  return cells;
}

type SourceCase = { name: string; options: () => Parameters<typeof startSimulator>[0]; expectText: string };
const CASES: SourceCase[] = [
  {
    name: 'demo',
    options: () => ({ source: 'demo', devices: 40, rate: 300, seed: 3 }),
    expectText: '<img src=x',
  },
  {
    name: 'replay',
    options: () => ({ source: 'replay', replay: recording(), loop: true, speed: 1 }),
    expectText: '<script>',
  },
  // The instance is built here: under the `source` condition the lazy factory's variable import of
  // './hci-replay-source.js' does not resolve to the .ts file (it does from dist).
  {
    name: 'hci-replay',
    options: () => ({ source: new HciReplaySource({ file: capture(), loop: true, speed: 1 }) }),
    expectText: '<img src=x',
  },
];

describe.skipIf(skip)('hostile advertisements in the browser', () => {
  for (const c of CASES) {
    it(`${c.name}: names render as inert text and the CSV export is neutralised`, {
      timeout: 60_000,
    }, async () => {
      const sim = await startSimulator({ ...c.options(), port: 0, ...quiet });
      const b = await launchBrowser({ width: 1400, height: 2200 });
      try {
        const { page } = b;
        const dialogs: string[] = [];
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        await page.addInitScript(() => {
          const w = window as unknown as Record<string, unknown>;
          for (const f of ['alert', 'confirm', 'prompt'])
            w[f] = () => {
              w.__pwned = `dialog:${f}`;
            };
        });
        await page.goto(sim.url);
        await page.waitForFunction((t) => document.body.textContent?.includes(t), c.expectText, {
          timeout: 20_000,
        });
        await page.waitForTimeout(1500);
        // Open the detail view of every hostile row in view (it renders the whole name).
        const rows = await page.$$('[data-id]');
        for (const row of rows.slice(0, 30)) {
          const text = (await row.textContent()) ?? '';
          if (/[<\u202e\u2067=@]/.test(text)) {
            await row.click({ timeout: 2000 }).catch(() => {});
            await page.keyboard.press('Escape').catch(() => {});
          }
        }
        await page.waitForTimeout(300);
        const probe = await page.evaluate(() => {
          const all = [...document.querySelectorAll('*')];
          return {
            canary: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
            injected: document.querySelectorAll(
              'img, iframe, object, embed, body script:not([type]), svg[onload]',
            ).length,
            handlers: all
              .filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on')))
              .map((e) => e.tagName),
            text: document.body.textContent ?? '',
          };
        });
        expect(dialogs).toEqual([]);
        expect(probe.canary).toBeNull();
        expect(probe.handlers).toEqual([]);
        expect(probe.injected).toBe(0);
        expect(probe.text).toContain(c.expectText);

        // Export: the CSV button downloads the session; every text cell that could start a formula is neutralised.
        const button = page.getByRole('button', { name: 'CSV' });
        await page.waitForFunction(
          () => [...document.querySelectorAll('button')].some((x) => x.textContent === 'CSV' && !x.disabled),
          null,
          {
            timeout: 20_000,
          },
        );
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: 20_000 }),
          button.click(),
        ]);
        const path = await download.path();
        const csv = readFileSync(path, 'utf8');
        const cells = csvCells(csv);
        const risky = cells.filter((x) => x.quoted && FORMULA_LEAD.test(x.v));
        expect(risky.map((x) => x.v)).toEqual([]);
        expect(
          cells
            .filter(
              (x) =>
                !x.quoted && x.v !== '' && !/^-?\d+(\.\d+)?$/.test(x.v) && x.v !== 'true' && x.v !== 'false',
            )
            .map((x) => x.v),
        ).toEqual([]);
        if (c.name !== 'demo') expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
        expect(probe.canary).toBeNull();
      } finally {
        await b.close();
        await sim.close();
      }
    });
  }
});
