// Builds the C core with its unit tests (core/test/core-test.c) under ASan + UBSan and runs them; and
// checks the JSON string encoder against TextDecoder's repair of the same bytes.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoreProgram, type CoreBuild, coreBuildDir, HAS_GCC, SANITIZER_ENV } from './core-build.js';

let build: CoreBuild | undefined;
let unit = '';
let jsonString = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  build = await coreBuildDir();
  unit = await buildCoreProgram(build.dir, 'core-test', ['test/core-test.c']);
  jsonString = await buildCoreProgram(build.dir, 'json-string', ['host/json-string.c']);
}, 120_000);
afterAll(async () => {
  await build?.dispose();
});

/** Deterministic bytes (a small LCG): mostly UTF-8 fragments, lead bytes and controls. */
function hostileBytes(seed: number, length: number): Uint8Array {
  const pieces = [
    0x00, 0x1f, 0x22, 0x5c, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xe2, 0xed, 0xa0, 0xf0, 0xf4, 0xf5,
    0xff,
  ];
  const out = new Uint8Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s >>> 16) % 4 === 0 ? (s >>> 8) & 0xff : (pieces[(s >>> 16) % pieces.length] as number);
  }
  return out;
}

describe.skipIf(!HAS_GCC)('the C core on the host', { timeout: 60_000 }, () => {
  it('passes its unit tests under ASan and UBSan', () => {
    const r = spawnSync(unit, [], { env: SANITIZER_ENV, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('ok\n');
    expect(r.status).toBe(0);
  });

  it('repairs and escapes strings so that JSON.parse gives what TextDecoder gives', () => {
    const decoder = new TextDecoder();
    const cases = [
      new TextEncoder().encode('name \u2028\u2029 "q" \\ \n\t é € 😀'),
      Uint8Array.from([0xe2, 0x82]),
      Uint8Array.from([0xf0, 0x9f, 0x98]),
      Uint8Array.from([0xed, 0xa0, 0x80, 0xed, 0xbf, 0xbf]),
      ...Array.from({ length: 12 }, (_, i) => hostileBytes(i + 1, 200)),
    ];
    for (const bytes of cases) {
      const r = spawnSync(jsonString, [], { input: bytes, env: SANITIZER_ENV, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/[\u0000-\u001f\u2028\u2029](?!$)/u);
      expect(JSON.parse(r.stdout)).toBe(decoder.decode(bytes));
    }
  });
});
