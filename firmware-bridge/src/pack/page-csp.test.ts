// The page's Content-Security-Policy: one recipe (flash-recipe's inlineScriptHashes and pageCsp) for the
// simulator's header and pack's bleshark_web_ui.h, so the device sends the policy tried on the simulator.
// The end-to-end case packs a dist, starts the simulator on the same dist and compares over HTTP.
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { type RunningSimulator, startSimulator } from '@bleshark/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PROTOCOL, makeFixtureDist } from '../../test/fixture-dist.js';
import { emitWebUiHeader } from './emit-web-ui-header.js';
import { inlineScriptHashes, pageCsp, pageCspParts } from './flash-recipe.js';
import { pack } from './pack.js';
import { buildWebBundle } from './web-bundle.js';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const BOOT = 'window.boot={v:1};';
const APP = "import('./x.js');document.title='Gerät ✓';";
const DATA = '{"a":1}';
/** Two inline scripts (one upper case, one with non-ASCII text), a JSON block, and a src script. */
const PAGE = `<!doctype html><title>BLEShark</title>
<script>${BOOT}</script>
<script src="./panel.js" type="module"></script>
<SCRIPT type="module">${APP}</SCRIPT >
<script type="application/json" id="d">${DATA}</script>
<p id=app>csp fixture</p>
`;
const HASHES = [sha(BOOT), sha(APP), sha(DATA)];

/** The value of a `#define NAME "..."` in a generated header, unescaped (cString's escapes only). */
function macroString(header: string, name: string): string {
  const line = header.split('\n').find((l) => l.startsWith(`#define ${name} "`));
  if (!line) throw new Error(`${name} is not a string macro of the header`);
  const lit = line.slice(`#define ${name} `.length);
  expect(lit.endsWith('"'), name).toBe(true);
  const bytes: number[] = [];
  const body = lit.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      bytes.push(c.charCodeAt(0));
      continue;
    }
    const oct = /^[0-7]{3}/.exec(body.slice(i + 1))?.[0];
    if (oct) {
      bytes.push(Number.parseInt(oct, 8));
      i += 3;
    } else bytes.push((body[++i] as string).charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

describe('inlineScriptHashes', () => {
  it('hashes every inline script as written, in order, skipping src scripts', () => {
    expect(inlineScriptHashes(PAGE)).toEqual(HASHES);
  });

  it('gives the same hashes for the page bytes as for its text', () => {
    expect(inlineScriptHashes(Buffer.from(PAGE, 'utf8'))).toEqual(HASHES);
    expect(inlineScriptHashes(new TextEncoder().encode(PAGE))).toEqual(HASHES);
  });

  it('finds none in a page without inline scripts', () => {
    expect(inlineScriptHashes('<p>x</p><script src=a.js></script>')).toEqual([]);
  });
});

describe('pageCsp', () => {
  it('is head, the WebSocket sources of a validated host, then tail', () => {
    const { head, tail } = pageCspParts(HASHES);
    expect(head).toMatch(/connect-src 'self'$/);
    expect(tail).toMatch(/^; manifest-src 'self'/);
    expect(pageCsp(HASHES)).toBe(head + tail);
    expect(pageCsp(HASHES, 'nano.local')).toBe(`${head} ws://nano.local wss://nano.local${tail}`);
    expect(pageCsp(HASHES)).toContain(`script-src 'self' ${HASHES.join(' ')}; style-src`);
    expect(pageCsp([])).toContain("script-src 'self'; style-src");
    const scriptSrc = pageCsp(HASHES)
      .split(';')
      .find((d) => d.trim().startsWith('script-src'));
    expect(scriptSrc).not.toContain('unsafe-inline');
  });
});

describe('bleshark_web_ui.h for a page with inline scripts', () => {
  it('defines the script sources and the policy (snapshot)', async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const bundle = await buildWebBundle({
      source: 'dist',
      files: [
        { file: 'index.html', bytes: enc(PAGE) },
        { file: 'panel.js', bytes: enc('export {};\n') },
      ],
      protocol: FIXTURE_PROTOCOL,
      budget: 14336,
    });
    expect(bundle.pageScripts).toEqual(HASHES);
    const h = emitWebUiHeader(bundle);
    expect(macroString(h, 'BLESHARK_WEB_UI_SCRIPT_SRC')).toBe(HASHES.join(' '));
    expect(macroString(h, 'BLESHARK_WEB_UI_CSP')).toBe(pageCsp(HASHES));
    expect(macroString(h, 'BLESHARK_WEB_UI_CSP_HEAD')).toBe(pageCspParts(HASHES).head);
    expect(macroString(h, 'BLESHARK_WEB_UI_CSP_TAIL')).toBe(pageCspParts(HASHES).tail);
    await expect(h).toMatchFileSnapshot('__snapshots__/bleshark_web_ui.inline-scripts.h');
  });
});

type Answer = { status: number; csp: string };

/** GET over loopback with a chosen Host header; only the status and the CSP are kept. */
const getWithHost = (port: number, path: string, host: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { Host: host, 'Accept-Encoding': 'gzip' } },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            csp: String(res.headers['content-security-policy'] ?? ''),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });

describe('the simulator and pack, same dist', () => {
  let fx = { root: '', dist: '', out: '' };
  let sim: RunningSimulator | undefined;
  beforeAll(async () => {
    fx = await makeFixtureDist();
    await writeFile(join(fx.dist, 'index.html'), PAGE);
    sim = await startSimulator({ source: 'demo', host: '127.0.0.1', port: 0, uiDir: fx.dist, log: () => {} });
  });
  afterAll(async () => {
    await sim?.close();
    await rm(fx.root, { recursive: true, force: true });
  });

  it('pack writes the hashes and the policy the simulator sends', async () => {
    const r = await pack({ input: fx.dist, out: fx.out, budget: 14336, protocol: FIXTURE_PROTOCOL });
    expect(r.ok).toBe(true);
    const h = await readFile(join(fx.out, 'bleshark_web_ui.h'), 'utf8');
    const port = Number(new URL(sim?.url ?? '').port);

    // The server's own name: connect-src also names its WebSocket endpoint, between HEAD and TAIL.
    const own = await getWithHost(port, '/', `127.0.0.1:${port}`);
    expect(own.status).toBe(200);
    const sent = own.csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(sent.trim()).toBe(`script-src 'self' ${macroString(h, 'BLESHARK_WEB_UI_SCRIPT_SRC')}`);
    expect(macroString(h, 'BLESHARK_WEB_UI_SCRIPT_SRC')).toBe(HASHES.join(' '));
    const ws = ` ws://127.0.0.1:${port} wss://127.0.0.1:${port}`;
    expect(own.csp).toBe(
      `${macroString(h, 'BLESHARK_WEB_UI_CSP_HEAD')}${ws}${macroString(h, 'BLESHARK_WEB_UI_CSP_TAIL')}`,
    );

    // A Host that does not name the server: the policy without WebSocket sources, BLESHARK_WEB_UI_CSP.
    const other = await getWithHost(port, '/index.html', 'elsewhere.invalid');
    expect(other.status).toBe(200);
    expect(other.csp).toBe(macroString(h, 'BLESHARK_WEB_UI_CSP'));
  });
});
