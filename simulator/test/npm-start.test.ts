// `npm start` (scripts/start.mjs) forwards SIGINT / SIGTERM / SIGHUP to the simulator, waits for it and
// exits with its code: no orphan, and Ctrl-C ends with 0 like the simulator itself.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** Generous bounds for a busy 2-core machine; the tests wait for events, never for a duration. */
const BOUND_MS = 15_000;

/** The pids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {}
  }
  return out;
}

/** True while `pid` runs (a zombie, dead but not yet reaped by whoever adopted it, counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const end = Date.now() + BOUND_MS;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what} within ${BOUND_MS} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

type Started = {
  wrapper: ChildProcessWithoutNullStreams;
  /** The simulator's pid (the wrapper's child). */
  sim: number;
  exit: Promise<[number | null, NodeJS.Signals | null]>;
};

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

/** Runs `npm start`'s script without the build, on 127.0.0.1 port 0 in demo mode, until it listens. */
async function start(detached = false): Promise<Started> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const wrapper = spawn(process.execPath, [START, '--source', 'demo', '--host', '127.0.0.1', '--port', '0'], {
    env: { ...process.env, BLESHARK_SKIP_BUILD: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached,
  });
  const exit = new Promise<[number | null, NodeJS.Signals | null]>((r) =>
    wrapper.once('exit', (code, signal) => r([code, signal])),
  );
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within ${BOUND_MS} ms`)), BOUND_MS);
    wrapper.stdout.on('data', (d) => {
      stdout += d;
      if (/^listening on http:\/\/127\.0\.0\.1:\d+$/m.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exit.then(([code]) => reject(new Error(`npm start exited early with ${code}: ${stdout}`)));
  });
  wrapper.stderr.resume();
  const [sim, ...more] = childrenOf(wrapper.pid!);
  expect(more).toEqual([]);
  expect(sim).toBeDefined();
  leftovers.push(sim!, wrapper.pid!);
  return { wrapper, sim: sim!, exit };
}

describe.skipIf(!existsSync('/proc/self/stat'))('npm start (scripts/start.mjs)', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'forwards %s to the simulator, waits for it and exits 0: no orphan',
    async (signal) => {
      const { wrapper, sim, exit } = await start();
      wrapper.kill(signal);
      expect(await exit).toEqual([0, null]);
      await until('the simulator gone', () => !alive(sim));
    },
    2 * BOUND_MS,
  );

  it(
    'Ctrl-C (SIGINT to the whole process group) ends with 0, not 130',
    async () => {
      const { wrapper, sim, exit } = await start(true);
      process.kill(-wrapper.pid!, 'SIGINT');
      expect(await exit).toEqual([0, null]);
      await until('the simulator gone', () => !alive(sim));
    },
    2 * BOUND_MS,
  );

  it(
    'SIGTERM to npm (which runs the script under sh and signals only sh) leaves nothing running',
    async () => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
      // What npm does: `sh -c "node scripts/start.mjs ..."`, and a SIGTERM to npm is passed to that shell.
      const command = `"${process.execPath}" "${START}" --source demo --host 127.0.0.1 --port 0; exit $?`;
      const sh = spawn('sh', ['-c', command], {
        env: { ...process.env, BLESHARK_SKIP_BUILD: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      leftovers.push(sh.pid!);
      const shExit = new Promise<void>((r) => sh.once('exit', () => r()));
      let stdout = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no listening line within ${BOUND_MS} ms`)),
          BOUND_MS,
        );
        sh.stdout.on('data', (d) => {
          stdout += d;
          if (/^listening on /m.test(stdout)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      sh.stderr.resume();
      const [wrapper] = childrenOf(sh.pid!);
      expect(wrapper).toBeDefined();
      const [sim] = childrenOf(wrapper!);
      expect(sim).toBeDefined();
      leftovers.push(wrapper!, sim!);
      sh.kill('SIGTERM');
      await shExit;
      await until('npm start and the simulator gone', () => !alive(wrapper!) && !alive(sim!));
    },
    3 * BOUND_MS,
  );

  it(
    'forwards a signal during the build to the build, and then does not start the simulator',
    async () => {
      // A stand-in for npm's CLI (start.mjs runs $npm_execpath with Node) that says so and builds forever.
      const dir = mkdtempSync(join(tmpdir(), 'bleshark-npm-start-'));
      const npm = join(dir, 'npm-cli.mjs');
      writeFileSync(npm, "process.stdout.write('building\\n'); setInterval(() => {}, 1000);\n");
      try {
        const wrapper = spawn(process.execPath, [START, '--source', 'demo', '--port', '0'], {
          env: { ...process.env, BLESHARK_SKIP_BUILD: '', npm_execpath: npm },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        leftovers.push(wrapper.pid!);
        const exit = new Promise<[number | null, NodeJS.Signals | null]>((r) =>
          wrapper.once('exit', (code, signal) => r([code, signal])),
        );
        let stdout = '';
        await new Promise<void>((resolve) =>
          wrapper.stdout.on('data', (d) => {
            stdout += d;
            if (stdout.includes('building')) resolve();
          }),
        );
        const [build] = childrenOf(wrapper.pid!);
        expect(build).toBeDefined();
        leftovers.push(build!);
        wrapper.kill('SIGTERM');
        expect(await exit).toEqual([143, null]);
        await until('the build gone', () => !alive(build!));
        expect(stdout).not.toMatch(/listening on/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    2 * BOUND_MS,
  );

  it(
    'exits with 128 + the signal number when the simulator is killed by a signal',
    async () => {
      const { sim, exit } = await start();
      process.kill(sim, 'SIGKILL');
      expect(await exit).toEqual([137, null]);
    },
    2 * BOUND_MS,
  );
});
