// The checker against devices that misbehave in ways that used to crash it, hang it or make it lie: it
// never throws, finishes within its own bounds, fails what it could not observe and escapes what it echoes.
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKER_BOUNDS } from '../../src/check/bounds.js';
import { checkCommand } from '../../src/check/command.js';
import { type Breakage, type MiniDevice, startMiniDevice } from './fixtures/mini-device.js';
import { closedPort, type RawDevice, type RawMisbehaviour, startRawDevice } from './fixtures/raw-device.js';
import { idsWithStatus, runChecker, withStatus } from './run-checker.js';

let device: MiniDevice | RawDevice | undefined;

afterEach(async () => {
  await device?.close();
  device = undefined;
});

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await checkCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
};

const mini = async (b: Breakage) => {
  const d = await startMiniDevice(b);
  device = d;
  return d.url;
};

const raw = async (mode: RawMisbehaviour) => {
  const d = await startRawDevice(mode);
  device = d;
  return d;
};

/** A hello with its limits replaced (or removed with `undefined`). */
const withLimits =
  (limits: unknown) =>
  (h: Record<string, unknown>): Record<string, unknown> => {
    const { limits: _, ...rest } = h;
    return limits === undefined ? rest : { ...rest, limits };
  };

const withLimit =
  (key: string, value: unknown) =>
  (h: Record<string, unknown>): Record<string, unknown> => ({
    ...h,
    limits: { ...(h.limits as object), [key]: value },
  });

// The checks that read hello.limits, plus the hello checks themselves.
const LIMIT_CHECKS = [
  '--only',
  'app.hello-first',
  '--only',
  'app.inbound-',
  '--only',
  'app.max-clients',
  '--only',
  'app.status-interval',
  '--only',
  'app.rate-limited',
  '--only',
  'control.ping-empty',
];
const FAST = ['--timeout', '400', '--deadline', '15000'];

describe('a hello that fails the schema', () => {
  it.each([
    ['without limits', withLimits(undefined)],
    ['with limits: null', withLimits(null)],
    [
      'with all-string limits',
      (h: Record<string, unknown>) => ({
        ...h,
        limits: Object.fromEntries(Object.entries(h.limits as object).map(([k, v]) => [k, String(v)])),
      }),
    ],
    ['with maxClients 1e9', withLimit('maxClients', 1e9)],
    ['with statusIntervalMs 1e12', withLimit('statusIntervalMs', 1e12)],
    ['with maxInboundBytes 2^29', withLimit('maxInboundBytes', 2 ** 29)],
  ])(
    '%s fails the probe and app.hello-first, skips what needs limits, runs the rest',
    async (_n, hello) => {
      const url = await mini({ hello });
      const { code, report } = await runChecker([url, ...LIMIT_CHECKS, ...FAST]);
      expect(code).toBe(1);
      const byId = new Map(report.results.map((r) => [r.id, r]));
      // Every selected check is in the report (none vanish), plus the failed probe.
      expect([...byId.keys()].sort()).toEqual(
        [
          'probe',
          'app.hello-first',
          'app.inbound-at-limit',
          'app.inbound-oversize',
          'app.max-clients',
          'app.status-interval',
          'app.rate-limited',
          'control.ping-empty',
        ].sort(),
      );
      expect(byId.get('probe')?.status).toBe('fail');
      expect(byId.get('probe')?.detail).toMatch(/hello does not pass the schema: limits/);
      expect(byId.get('app.hello-first')?.status).toBe('fail');
      expect(byId.get('app.hello-first')?.detail).toMatch(/hello does not pass the schema: limits/);
      for (const id of [
        'app.inbound-at-limit',
        'app.max-clients',
        'app.status-interval',
        'app.rate-limited',
      ]) {
        expect(byId.get(id)?.status, id).toBe('skip');
        expect(byId.get(id)?.detail, id).toMatch(/no valid hello\.limits/);
      }
      // Checks that do not need the limits still run and pass.
      expect(byId.get('control.ping-empty')?.status).toBe('pass');
    },
    30_000,
  );
});

describe('limits the schema allows but the checker will not go to', () => {
  it('skips app.max-clients for maxClients over its bound, opening no more than the bound', async () => {
    const url = await mini({ hello: withLimit('maxClients', 1000) });
    const { code, report } = await runChecker([
      url,
      '--only',
      'app.max-clients',
      '--only',
      'app.hello',
      ...FAST,
    ]);
    expect(withStatus(report, 'fail')).toEqual([]);
    expect(withStatus(report, 'skip')).toEqual([
      `app.max-clients: hello.limits.maxClients is 1000, over the checker's bound of ${CHECKER_BOUNDS.maxClients}; not checked`,
    ]);
    expect(code).toBe(0);
  }, 30_000);

  it('skips the status checks for a statusIntervalMs over its bound', async () => {
    const url = await mini({ hello: withLimit('statusIntervalMs', 60_000) });
    const { report } = await runChecker([url, '--only', 'app.status-', ...FAST]);
    expect(idsWithStatus(report, 'skip')).toEqual(['app.status-interval', 'app.status-seq']);
  }, 30_000);
});

describe('devices that give the checker nothing to observe', () => {
  it.each<[string, RawMisbehaviour]>([
    ['sends a 10 MB first frame', 'huge-first-frame'],
    ['goes silent after the 101', 'silent'],
  ])(
    'fails the server-frame checks of a device that %s',
    async (_n, mode) => {
      const d = await raw(mode);
      const { code, report } = await runChecker([d.url, '--only', 'framing.server-', ...FAST]);
      expect(idsWithStatus(report, 'pass')).toEqual([]);
      expect(idsWithStatus(report, 'fail')).toEqual([
        'probe',
        'framing.server-unmasked',
        'framing.server-minimal-length',
        'framing.server-no-rsv',
        'framing.server-text-utf8',
      ]);
      expect(code).toBe(1);
    },
    30_000,
  );

  it('counts a failed probe even when every selected check passes', async () => {
    const d = await raw('silent');
    const { code, report } = await runChecker([d.url, '--only', 'handshake.accept-key', ...FAST]);
    expect(withStatus(report, 'pass')).toHaveLength(2);
    expect(withStatus(report, 'fail')).toEqual([
      expect.stringMatching(/^probe: no message within 400 ms after the 101/),
    ]);
    expect(code).toBe(1);
  }, 30_000);

  it('fails a check whose connections broke RFC 6455, even when its own assertion held', async () => {
    const url = await mini({ maskServerFrames: true });
    const { code, report } = await runChecker([url, '--only', 'control.ping-empty', ...FAST]);
    expect(withStatus(report, 'fail')).toEqual([
      expect.stringMatching(/^control\.ping-empty: the server broke RFC 6455: masked-server-frame/),
    ]);
    expect(code).toBe(1);
  }, 30_000);
});

describe('device-controlled text', () => {
  it('is printed with control characters escaped', async () => {
    const fake = '\x1b[2J\x1b[H117 passed, 0 failed\r\n\u009b2J';
    const url = await mini({
      hello: (h) => ({ ...h, device: { ...(h.device as object), model: fake.slice(0, 40) } }),
    });
    const r = await run([url, '--only', 'app.hello-first', ...FAST]);
    expect(r.code).toBe(0);
    for (const line of [...r.out, ...r.err]) expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(r.out[0]).toContain('hello from \\x1b[2J\\x1b[H117 passed, 0 failed\\r\\n\\x9b2J');
    expect(r.out.at(-1)).toBe('1 passed, 0 failed');
  }, 30_000);

  it('is escaped in the JSON report too', async () => {
    const url = await mini({
      hello: (h) => ({ ...h, device: { ...(h.device as object), firmware: '\u009b2J\u202e' } }),
    });
    const out: string[] = [];
    await checkCommand([url, '--only', 'app.hello-first', '--json', ...FAST], {
      out: (l) => out.push(l),
      err: () => {},
    });
    expect(out.join('\n')).not.toMatch(/[\x7f-\x9f\u202e]/);
    expect(JSON.parse(out.join('\n')).device.firmware).toBe('\\x9b2J\\u{202e}');
  }, 30_000);
});

describe('bounded runs', () => {
  it('stops after the first connection when nothing listens, with one line and exit 3', async () => {
    const port = await closedPort();
    const r = await run([`ws://127.0.0.1:${port}/scan/live`, ...FAST]);
    expect(r.code).toBe(3);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(
      /^check: could not connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED.*; nothing was checked/,
    );
  }, 30_000);

  it.each<RawMisbehaviour>(['silent', 'flood'])(
    'ends a full run against a %s device at --deadline: reports what ran, the rest not run, exit 4',
    async (mode) => {
      const d = await raw(mode);
      const r = await run([d.url, '--timeout', '300', '--deadline', '2500']);
      expect(r.code).toBe(4);
      const lines = r.out.filter((l) => /^(pass|fail|skip) /.test(l));
      const notRun = lines.filter((l) => /^skip {2}\S+ {2}not run: /.test(l));
      expect(notRun.length).toBeGreaterThan(0);
      expect(lines.length).toBeGreaterThan(100);
      expect(r.err).toEqual([
        expect.stringMatching(
          new RegExp(`^check: stopped at the --deadline of 2500 ms; ${notRun.length} checks did not run`),
        ),
      ]);
      // Nothing is left open once the command returned.
      await expect.poll(() => d.open, { timeout: 5000 }).toBe(0);
    },
    30_000,
  );
});
