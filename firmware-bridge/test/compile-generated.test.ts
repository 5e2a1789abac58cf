// Compiles the generated headers and the .c with the machine's gcc and g++ (C11 and C++17, -Wall -Wextra
// -Werror -Wpedantic) and runs a small program against them. Expected values come from shared-protocol and,
// for the page's Content-Security-Policy, from the flash recipe the simulator sends it with.
import { spawnSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLOSE_CODES,
  ENDPOINT_PATH,
  ERROR_CODES,
  NANO_LIMITS,
  PROTOCOL,
  PROTOCOL_VERSION,
  SCHEMA_HASH,
  UP_SCHEMAS,
} from '@bleshark/shared-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cString, macroPart } from '../src/c-text.js';
import { writeProtocolHeader } from '../src/header/protocol-header.js';
import { inlineScriptHashes, pageCsp } from '../src/pack/flash-recipe.js';
import { pack } from '../src/pack/pack.js';
import { makeFixtureDist } from './fixture-dist.js';

const has = (tool: string) => spawnSync(tool, ['--version']).status === 0;
const compilers = has('gcc') && has('g++');
if (!compilers && process.env.CI === 'true') throw new Error('gcc and g++ are required under CI=true');
const WARN = ['-Wall', '-Wextra', '-Werror', '-Wpedantic'];

/** The fixture page with two inline scripts (one with non-ASCII text) and a src one, for the policy macros. */
const PAGE = `<!doctype html><title>BLEShark</title><script>window.a=1;</script>
<script src="x.js"></script><script type="module">document.title='Gerät';</script><p id=app>fixture</p>
`;
const HASHES = inlineScriptHashes(PAGE);

const checks = [
  ...Object.entries(NANO_LIMITS).map(([k, v]) => `CHECK(BLESHARK_NANO_${macroPart(k)} == ${v});`),
  ...Object.entries(PROTOCOL).map(([k, v]) => `CHECK(BLESHARK_PROTOCOL_${macroPart(k)} == ${v});`),
  ...Object.entries(ERROR_CODES).map(
    ([k]) => `CHECK(strcmp(BLESHARK_ERR_${macroPart(k)}, ${cString(k)}) == 0);`,
  ),
  ...Object.keys(UP_SCHEMAS).map((t) => `CHECK(strcmp(BLESHARK_MSG_${macroPart(t)}, ${cString(t)}) == 0);`),
];

const program = `#include "bleshark_protocol.h"
#include "bleshark_web_ui.h"

#include <stdio.h>
#include <string.h>

#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s\\n", __LINE__, #c); return 1; } } while (0)
#define AS_ITEM(m) m,

static const char *const up_types[] = {BLESHARK_FOR_EACH_UP_MESSAGE(AS_ITEM)};
static const int close_codes[] = {BLESHARK_FOR_EACH_CLOSE_CODE(AS_ITEM)};

int main(void) {
  size_t i;
  size_t inbound = 2000;
  int rssi = -100;
  const bleshark_web_asset_t *root = bleshark_web_find("/");
  CHECK(sizeof bleshark_web_ui_gz == bleshark_web_ui_gz_len);
  CHECK(bleshark_web_ui_gz_len == BLESHARK_WEB_UI_GZ_LEN);
  CHECK(bleshark_web_ui_gz[0] == 0x1f && bleshark_web_ui_gz[1] == 0x8b && bleshark_web_ui_gz[2] == 0x08);
  CHECK(BLESHARK_WEB_UI_ETAG[0] == '"' && BLESHARK_WEB_UI_ETAG[sizeof BLESHARK_WEB_UI_ETAG - 2] == '"');
  CHECK(strlen(BLESHARK_WEB_UI_ETAG) == 18);
  CHECK(strcmp(BLESHARK_WEB_UI_CONTENT_ENCODING, "gzip") == 0);
  CHECK(root != NULL && root->bytes == bleshark_web_ui_gz && root->length == bleshark_web_ui_gz_len);
  CHECK(strcmp(root->path, "/index.html") == 0 && strcmp(root->etag, BLESHARK_WEB_UI_ETAG) == 0);
  CHECK(bleshark_web_find("/index.html") == root);
  CHECK(bleshark_web_find("/?client=1") == root);
  CHECK(bleshark_web_find("/names.json") != NULL);
  CHECK(bleshark_web_find("/names") == NULL && bleshark_web_find("/nope/") == NULL && bleshark_web_find(NULL) == NULL);
  for (i = 0; i < BLESHARK_WEB_ASSET_COUNT; i++) {
    CHECK(BLESHARK_WEB_ASSETS[i].bytes[0] == 0x1f && BLESHARK_WEB_ASSETS[i].bytes[1] == 0x8b);
    CHECK(BLESHARK_WEB_ASSETS[i].etag[0] == '"');
  }
  CHECK(strcmp(BLESHARK_WEB_UI_SCRIPT_SRC, ${cString(HASHES.join(' '))}) == 0);
  CHECK(strcmp(BLESHARK_WEB_UI_CSP, ${cString(pageCsp(HASHES))}) == 0);
  CHECK(strcmp(BLESHARK_WEB_UI_CSP_HEAD BLESHARK_WEB_UI_CSP_TAIL, BLESHARK_WEB_UI_CSP) == 0);
  CHECK(strcmp(BLESHARK_WEB_UI_CSP_HEAD " ws://nano.local wss://nano.local" BLESHARK_WEB_UI_CSP_TAIL,
               ${cString(pageCsp(HASHES, 'nano.local'))}) == 0);
  CHECK(strstr(BLESHARK_WEB_UI_CSP_HEAD, "; script-src 'self' " BLESHARK_WEB_UI_SCRIPT_SRC "; ") != NULL);
  CHECK(BLESHARK_PROTOCOL_VERSION == ${PROTOCOL_VERSION});
  CHECK(BLESHARK_PROTOCOL_VERSION == BLESHARK_WEB_UI_PROTOCOL_VERSION);
  CHECK(strcmp(BLESHARK_SCHEMA_HASH, ${cString(SCHEMA_HASH)}) == 0);
  CHECK(strcmp(BLESHARK_SCHEMA_HASH, BLESHARK_WEB_UI_SCHEMA_HASH) == 0);
  CHECK(strcmp(BLESHARK_ENDPOINT_PATH, ${cString(ENDPOINT_PATH)}) == 0);
  CHECK(sizeof up_types / sizeof up_types[0] == BLESHARK_UP_MESSAGE_COUNT);
  CHECK(sizeof close_codes / sizeof close_codes[0] == BLESHARK_CLOSE_CODE_COUNT);
  CHECK(BLESHARK_CLOSE_CODE_COUNT == ${Object.keys(CLOSE_CODES).length});
  CHECK(inbound > BLESHARK_NANO_MAX_INBOUND_BYTES);
  CHECK(rssi >= BLESHARK_FILTER_MIN_RSSI_MIN && rssi <= BLESHARK_FILTER_MIN_RSSI_MAX);
  CHECK(BLESHARK_FILTER_TEXT_MAX_LEN == ${PROTOCOL.maxFilterText});
  CHECK(BLESHARK_FILTER_EXCLUDE_MAX_ITEMS == ${PROTOCOL.maxExcluded});
  ${checks.join('\n  ')}
  puts("ok");
  return 0;
}
`;

let fx = { root: '', dist: '', out: '' };
beforeAll(async () => {
  fx = await makeFixtureDist();
  await writeFile(join(fx.dist, 'index.html'), PAGE);
  const r = await pack({ input: fx.dist, out: fx.out, budget: 14336 });
  if (!r.ok) throw new Error(`pack failed: ${r.problem}`);
  expect(HASHES).toHaveLength(2);
  await writeProtocolHeader(fx.out);
  await writeFile(join(fx.out, 'check.c'), program);
});
afterAll(async () => {
  await rm(fx.root, { recursive: true, force: true });
});

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: fx.out, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

describe.skipIf(!compilers)('the generated C', () => {
  it('compiles as C11 and runs', () => {
    run('gcc', ['-std=c11', ...WARN, '-c', 'bleshark_web_ui.c', '-o', 'web_c.o']);
    run('gcc', ['-std=c11', ...WARN, 'check.c', 'web_c.o', '-o', 'check_c']);
    expect(run('./check_c', [])).toBe('ok\n');
  });

  it('compiles as C++17 against the C object (extern "C") and runs', () => {
    run('gcc', ['-std=c11', ...WARN, '-c', 'bleshark_web_ui.c', '-o', 'web_c.o']);
    run('g++', ['-std=c++17', ...WARN, '-x', 'c++', 'check.c', '-x', 'none', 'web_c.o', '-o', 'check_cxx']);
    expect(run('./check_cxx', [])).toBe('ok\n');
  });

  it('compiles the .c itself as C++17 (for builds that rename it to .cpp) and runs', () => {
    run('g++', ['-std=c++17', ...WARN, '-x', 'c++', '-c', 'bleshark_web_ui.c', '-o', 'web_cxx.o']);
    run('g++', [
      '-std=c++17',
      ...WARN,
      '-x',
      'c++',
      'check.c',
      '-x',
      'none',
      'web_cxx.o',
      '-o',
      'check_all_cxx',
    ]);
    expect(run('./check_all_cxx', [])).toBe('ok\n');
  });

  it('compiles the protocol header alone in both languages', async () => {
    const only =
      '#include "bleshark_protocol.h"\nint main(void) { return BLESHARK_PROTOCOL_VERSION > 0 ? 0 : 1; }\n';
    await writeFile(join(fx.out, 'only.c'), only);
    run('gcc', ['-std=c11', ...WARN, 'only.c', '-o', 'only_c']);
    run('g++', ['-std=c++17', ...WARN, '-x', 'c++', 'only.c', '-o', 'only_cxx']);
    expect(run('./only_c', [])).toBe('');
  });
});
