// Differential test of the C command parser against shared-protocol's parseUp: every golden `up` fixture
// and every `up` rejection goes through a sanitizer build of the core (core/host/parse-command.c, one
// frame on stdin), and the outcome, error code, echoed id and the parsed message (unknown keys dropped,
// as `known` gives it) must match.
import { spawnSync } from 'node:child_process';
import { encode, known, parseUp, UP_SCHEMAS, type UpMessage } from '@bleshark/shared-protocol';
import { loadFixtures } from '@bleshark/shared-protocol/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoreProgram, type CoreBuild, coreBuildDir, HAS_GCC, SANITIZER_ENV } from './core-build.js';

type CoreAnswer =
  | { ok: true; msg: UpMessage }
  | { ok: false; code: string; message: string; close: number; id?: string };

let build: CoreBuild | undefined;
let parser = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  build = await coreBuildDir();
  parser = await buildCoreProgram(build.dir, 'parse-command', ['host/parse-command.c']);
}, 120_000);
afterAll(async () => {
  await build?.dispose();
});

function core(frame: string | Uint8Array): CoreAnswer {
  const r = spawnSync(parser, [], { input: frame, env: SANITIZER_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`parse-command exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as CoreAnswer;
}

/**
 * What the core must answer: parseUp's outcome, its message with unknown keys dropped, as it goes on the
 * wire (a JSON round trip, so -0 and 0 are the same number, as they are in every frame).
 */
function expected(frame: string): CoreAnswer | { ok: false; code: string; id?: string } {
  const r = parseUp(frame);
  if (r.ok) return { ok: true, msg: JSON.parse(encode(known(UP_SCHEMAS[r.msg.type], r.msg) as UpMessage)) };
  return r.id === undefined ? { ok: false, code: r.code } : { ok: false, code: r.code, id: r.id };
}

function compare(frame: string) {
  const want = expected(frame);
  const got = core(frame);
  if (want.ok) expect(got).toEqual(want);
  else {
    expect(got.ok).toBe(false);
    expect(got).toMatchObject(want);
    if (!got.ok && want.id === undefined) expect(got.id).toBeUndefined();
  }
}

const fixtures = loadFixtures();
// Hostile frames beyond the fixtures, where JSON.parse's exact meaning is easy to miss.
const hostile = [
  '{"type":"scan-start","interval":3.0000000000000000001,"window":2.99999999999999999999}',
  '{"type":"scan-start","duration":1e-400}',
  '{"type":"scan-start","duration":-0}',
  '{"type":"scan-start","duration":1.0000000000000002}',
  '{"type":"scan-start","duration":0.9999999999999999}',
  '{"type":"scan-start","duration":0.99999999999999999}',
  '{"type":"scan-start","duration":86400.000000000001}',
  '{"type":"scan-start","duration":8.64e4}',
  '{"type":"scan-start","duration":864e2,"duration":"x"}',
  '{"type":"scan-start","duration":"x","duration":5}',
  '{"type":"scan-start","interval":1e999}',
  '{"type":"filter","filter":{"minRssi":-127.0,"__proto__":{"x":1},"exclude":[]}}',
  '{"type":"filter","filter":{"text":"\\ud83d\\ude00\\ud83d","exclude":[0,65535,1e0]}}',
  '{"type":"filter","filter":{"service":"0000180D-0000-1000-8000-00805F9B34FB"}}',
  '{"type":"filter","filter":{"service":"0000180D-0000-1000-8000-00805F9B34F"}}',
  '{"type":"filter","filter":{"exclude":[1,2,3,4,5,6,7,8,9]}}',
  '{"type":"filter","filter":[]}',
  '{"\\u0074ype":"clear","id":"\\u00e9"}',
  '{"type":"clear","id":""}',
  '{"type":"clear","id":null}',
  '{"type":"clear","id":"x","__proto__":{"type":"scan-stop"}}',
  '{"__proto__":{"type":"clear"}}',
  '{"type":"nope","id":"abc"}',
  '{"type":"clear","deep":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{}]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}',
  `{"type":"clear","deep":${'['.repeat(500)}${']'.repeat(500)}}`,
  `{"type":"clear","deep":${'['.repeat(500)}${']'.repeat(499)}}`,
  '{"type":"clear",}',
  '{"type":"clear"',
  ' \t\n{"type":"clear"}\r\n',
  '{"type":"clear"}\u00a0',
  '{"type":"clear","x":"\u0001"}',
  '{"type":"clear","x":01}',
  '{"type":"clear","x":1.}',
  '{"type":"clear","x":"\\x"}',
  '{"type":"clear","x":tru}',
  '{"type":"snapshot-request","id":"abcdefghijklmnopqrstuvwxyz0123456"}',
  '{"type":"snapshot-request","id":"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"}',
  '{"type":"snapshot-request","id":"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀a"}',
];

// Each case spawns a sanitizer build: generous bounds for a loaded 2-core machine (nothing here is timed).
describe.skipIf(!HAS_GCC)('the C command parser (differential against parseUp)', { timeout: 60_000 }, () => {
  for (const f of fixtures.up)
    it(`accepts up/${f.name} as parseUp does`, () => {
      compare(encode(f.message));
    });
  for (const f of fixtures.reject.filter((r) => r.direction === 'up'))
    it(`refuses reject/${f.name} with ${f.code} as parseUp does`, () => {
      compare(f.frame);
    });
  for (const [i, frame] of hostile.entries())
    it(`answers hostile frame ${i} as parseUp does: ${frame.slice(0, 60)}`, () => {
      compare(frame);
    });
  it('closes with 1007 on bytes that are not UTF-8 and 1009 over maxInboundBytes', () => {
    expect(core(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toMatchObject({ ok: false, close: 1007 });
    expect(core(Uint8Array.from([0x7b, 0xed, 0xa0, 0x80, 0x7d]))).toMatchObject({ ok: false, close: 1007 });
    expect(core(`{"type":"clear","pad":"${'x'.repeat(1100)}"}`)).toMatchObject({
      ok: false,
      code: 'too-large',
      close: 1009,
    });
  });
});
