// The checker against deliberately broken devices: the check for the broken behaviour fails, the other
// checks of the same area still pass.
import { afterEach, describe, expect, it } from 'vitest';
import { selectChecks } from '../../src/check/checks/index.js';
import { type Breakage, type MiniDevice, startMiniDevice } from './fixtures/mini-device.js';
import { idsWithStatus, runChecker, withStatus } from './run-checker.js';

let device: MiniDevice | undefined;

afterEach(async () => {
  await device?.close();
  device = undefined;
});

async function failuresFor(breakage: Breakage, area: string): Promise<string[]> {
  device = await startMiniDevice(breakage);
  const { report, code } = await runChecker([device.url, '--only', area, '--timeout', '600']);
  expect(report.results.length).toBeGreaterThan(0);
  expect(code).toBe(report.failed > 0 ? 1 : 0);
  return idsWithStatus(report, 'fail').sort();
}

describe('check against a conformant mini device', () => {
  it('passes every check', async () => {
    device = await startMiniDevice();
    const { report, code } = await runChecker([device.url, '--timeout', '1000']);
    expect(withStatus(report, 'fail')).toEqual([]);
    expect(code).toBe(0);
    expect(report.passed).toBeGreaterThanOrEqual(60);
  }, 30_000);
});

describe('check against broken devices', () => {
  const cases: [string, Breakage, string, string[]][] = [
    [
      'a wrong accept key',
      { wrongAccept: true },
      'handshake',
      ['handshake.accept-key', 'handshake.accept-key-sample'],
    ],
    [
      'no Origin check',
      { noOriginCheck: true },
      'handshake',
      ['handshake.foreign-origin', 'handshake.null-origin'],
    ],
    // Every connection sees the masked frames, and a violation fails the check it happened in.
    [
      'masked server frames',
      { maskServerFrames: true },
      'framing',
      selectChecks(['framing']).map((c) => c.id),
    ],
    [
      'no non-minimal length check',
      { allowNonMinimal: true },
      'framing',
      ['framing.non-minimal-length-16', 'framing.non-minimal-length-64'],
    ],
    ['no 1009 (huge maxPayload)', { maxPayload: 2 ** 40 }, 'framing', ['framing.huge-declared-length']],
    [
      'no 1009 across fragments',
      { maxPayload: 2 ** 40 },
      'fragmentation',
      ['fragmentation.oversize-across-fragments'],
    ],
    ['no 1003 (binary accepted)', { acceptBinary: true }, 'framing', ['framing.binary-frame']],
    [
      'no 1007 (skipUTF8Validation)',
      { skipUTF8Validation: true },
      'utf8',
      [
        'utf8.above-max',
        'utf8.invalid-across-fragments',
        'utf8.invalid-byte',
        'utf8.overlong',
        'utf8.surrogate',
        'utf8.truncated-end',
      ],
    ],
    ['a wrong hello version', { helloProtocol: 2 }, 'app.hello', ['app.hello-version']],
    ['a gap in seq', { seqGap: true }, 'app.seq', ['app.seq-contiguous']],
  ];
  it.each(cases)(
    'with %s the matching checks fail and the rest of the area passes',
    async (_name, breakage, area, expected) => {
      expect(await failuresFor(breakage, area)).toEqual([...expected].sort());
    },
    30_000,
  );
});
