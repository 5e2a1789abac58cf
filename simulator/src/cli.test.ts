import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LiveClient } from '../test/live-client.js';
import { rawHandshake } from '../test/raw-socket.js';
import { main, USAGE } from './cli.js';
import { PICK_DEFAULTS } from './pick-source.js';
import { LIVE_SERVER_DEFAULTS } from './server/live-server.js';
import { SIMULATOR_DEFAULTS } from './simulator.js';

const HEADER = '{"bleshark":"recording","version":1,"source":"demo","started":"2025-01-01T00:00:00.000Z"}';

const OPTIONS = [
  '--core',
  '--source',
  '--replay',
  '--record',
  '--host',
  '--port',
  '--allow-origin',
  '--token',
  '--profile',
  '--seed',
  '--rate',
  '--devices',
  '--speed',
  '--loop',
  '--tls-cert',
  '--tls-key',
  '--log-level',
  '--help',
];

/** [what, argv ('same': --record the file being replayed), the error line]. */
const CANNOT_START: [string, string[] | 'same', RegExp][] = [
  ['a missing replay file', ['--source', 'replay', 'no-such-recording.jsonl'], /no such file/],
  ['--record to the replayed file', 'same', /is the file being replayed .*would erase it/],
  [
    'a --record folder that does not exist',
    ['--source', 'demo', '--record', '/nonexistent/r.jsonl'],
    /cannot write the recording \/nonexistent\/r\.jsonl/,
  ],
];
if (existsSync('/dev/full'))
  CANNOT_START.push([
    '--record /dev/full',
    ['--source', 'demo', '--record', '/dev/full'],
    /cannot write the recording \/dev\/full: ENOSPC/,
  ]);

/** The built CLI (the root `npm test` builds before testing). */
function builtCli(): string {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  if (!existsSync(cli))
    throw new Error(
      `${cli} is missing: run \`npm run build\` first (the root \`npm test\` builds before testing)`,
    );
  return cli;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  const waiters: (() => void)[] = [];
  const push = (list: string[]) => (line: string) => {
    list.push(line);
    for (const w of waiters.splice(0)) w();
  };
  const outLine = async (re: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      for (const l of out) {
        const m = l.match(re);
        if (m) return m;
      }
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { out, err, signals, outLine, io: { out: push(out), err: push(err), signals } };
}

describe('bleshark-sim', () => {
  it('--help lists every option with its default', async () => {
    const t = io();
    expect(await main(['--help'], t.io)).toBe(0);
    const text = t.out.join('\n');
    for (const o of OPTIONS) expect(text).toContain(o);
    for (const line of text.split('\n').filter((l) => /^ {2}--/.test(l) && !l.includes('--help')))
      expect(line).toMatch(/\(default: [^)]+\)/);
    expect(text).toBe(USAGE.trimEnd());
  });

  it('--help states the defaults that the components define (one home for each)', () => {
    const line = (opt: string) => USAGE.split('\n').find((l) => l.startsWith(`  ${opt} `)) ?? '';
    expect(line('--host')).toContain(`(default: ${LIVE_SERVER_DEFAULTS.host})`);
    expect(line('--port')).toContain(`(default: ${LIVE_SERVER_DEFAULTS.port})`);
    expect(line('--profile')).toContain(`(default: ${SIMULATOR_DEFAULTS.profile})`);
    expect(line('--log-level')).toContain(`(default: ${SIMULATOR_DEFAULTS.logLevel})`);
    expect(line('--source')).toContain(`(default: ${PICK_DEFAULTS.source}:`);
  });

  it.each([
    [['--port', 'eighty'], /--port/],
    [['--port', '70000'], /--port/],
    [['--source', 'bogus'], /--source/],
    [['--profile', 'huge'], /--profile/],
    [['--log-level', 'loud'], /--log-level/],
    [['--allow-origin', 'http://x.test/path'], /--allow-origin/],
    [['--allow-origin', '*'], /--allow-origin/],
    [['--tls-cert', 'a.pem'], /--tls-cert/],
    [['--nope'], /--nope/],
    [['--source', 'replay'], /--source replay needs --replay/],
    [['--core', ''], /--core must not be empty/],
    [['--core', '/x/bleshark-core-host', '--profile', 'open'], /--core runs with the Nano's limits/],
  ])('rejects %j with a one-line error naming the option and exit 2', async (argv, re) => {
    const t = io();
    expect(await main(argv, t.io)).toBe(2);
    expect(t.err).toHaveLength(1);
    expect(t.err[0]).toMatch(re);
  });

  it.each(CANNOT_START)(
    'cannot start with %s: one line and exit 2, no listening line',
    async (_, argv, re) => {
      const dir = mkdtempSync(join(tmpdir(), 'bleshark-cli-'));
      const rec = join(dir, 'in.jsonl');
      writeFileSync(rec, `${HEADER}\n`);
      const t = io();
      const args = argv === 'same' ? ['--source', 'replay', rec, '--record', `${dir}/./in.jsonl`] : argv;
      expect(await main([...args, '--port', '0', '--log-level', 'warn'], t.io)).toBe(2);
      expect(t.out).toEqual([]);
      expect(t.err).toHaveLength(1);
      expect(t.err[0]).toMatch(/^bleshark-sim: cannot start: /);
      expect(t.err[0]).toMatch(re);
      expect(readFileSync(rec, 'utf8')).toBe(`${HEADER}\n`);
      rmSync(dir, { recursive: true, force: true });
    },
  );

  it('SIGHUP stops it like SIGTERM and exits 0', async () => {
    const t = io();
    const done = main(['--source', 'demo', '--port', '0', '--log-level', 'warn'], t.io);
    await t.outLine(/^listening on /);
    t.signals.emit('SIGHUP');
    expect(await done).toBe(0);
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(t.signals.listenerCount(s)).toBe(0);
  });

  it('prints the listening line and the live source, and SIGINT closes every client with 1001 and exits 0', async () => {
    const t = io();
    const done = main(['--source', 'demo', '--port', '0', '--log-level', 'warn'], t.io);
    const [, port] = await t.outLine(/^listening on http:\/\/127\.0\.0\.1:(\d+)$/);
    expect(t.out.filter((l) => l.startsWith('listening on'))).toHaveLength(1);
    expect(t.out.join('\n')).toMatch(/^source: demo \(demo data\)$/m);
    const c = await LiveClient.connect(`ws://127.0.0.1:${port}/scan/live`);
    await c.nextOf('hello');
    t.signals.emit('SIGINT');
    expect((await c.closed).code).toBe(1001);
    expect(await done).toBe(0);
  });

  it('with --source auto says that it fell back to demo and why', async () => {
    const t = io();
    const done = main(['--port', '0', '--log-level', 'error'], t.io);
    await t.outLine(/^source: /);
    expect(t.out.join('\n')).toMatch(/^source: demo \(demo data\) \(noble unavailable: .+\)$/m);
    t.signals.emit('SIGTERM');
    expect(await done).toBe(0);
  }, 10_000);

  it('runs as a process from the built dist/cli.js and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, [builtCli(), '--source', 'demo', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = stdout.match(/^listening on http:\/\/127\.0\.0\.1:(\d+)$/m);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stdout}`)));
    });
    const c = await LiveClient.connect(`ws://127.0.0.1:${port}/scan/live`);
    await c.nextOf('hello');
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect((await c.closed).code).toBe(1001);
    expect(await exit).toBe(0);
  }, 15_000);

  it('a second SIGINT while it closes (Ctrl-C under npm start arrives twice) does not kill it half-way', async () => {
    const child = spawn(process.execPath, [builtCli(), '--source', 'demo', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = stdout.match(/^listening on http:\/\/127\.0\.0\.1:(\d+)$/m);
        if (m?.[1]) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stdout}`)));
    });
    // A client that never answers the close frame keeps the shutdown going for its 2 s grace.
    const raw = await rawHandshake(port, '/scan/live', { Origin: `http://127.0.0.1:${port}` });
    expect(raw.head).toMatch(/^HTTP\/1\.1 101/);
    const exit = new Promise<[number | null, string | null]>((r) =>
      child.once('exit', (code, signal) => r([code, signal])),
    );
    const closing = new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('shutting down')) resolve();
      }),
    );
    child.kill('SIGINT');
    await closing;
    child.kill('SIGINT');
    expect(await exit).toEqual([0, null]);
    raw.socket.destroy();
  }, 15_000);
});
