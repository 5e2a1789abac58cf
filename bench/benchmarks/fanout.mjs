// 4. Server fan-out: the simulator (open profile, its CLI in a child process) streaming 5,000 adverts/s to
// 1, 8 and 50 reading clients plus one paused client; the clients live in another child process. Server CPU
// from /proc/<pid>/stat, RSS from /proc/<pid>/status, frames/s as the clients received them.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { batchOf } from '../lib/hello.mjs';
import { round, sleep } from '../lib/stats.mjs';

export const title = '4. Server fan-out at 5,000 adverts/s (open profile, 1,000 devices)';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime
}
const rssMB = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Starts the simulator CLI; resolves with the child and its ws URL. Killed by the caller (or after 5 min). */
function startServer(devices) {
  const child = spawn(
    process.execPath,
    [
      // The package's `./cli` export (dist/cli.js under plain Node).
      fileURLToPath(import.meta.resolve('@bleshark/simulator/cli')),
      '--profile',
      'open',
      '--source',
      'demo',
      '--rate',
      '5000',
      '--devices',
      String(devices),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const guard = setTimeout(() => child.kill('SIGKILL'), 300_000);
  child.on('exit', () => clearTimeout(guard));
  child.stderr.resume();
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (m) resolve({ child, wsUrl: `ws://127.0.0.1:${m[1]}/scan/live` });
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code} before listening`)));
  });
}

function runClients(wsUrl, n, warmMs, windowMs, onMeasuring) {
  const child = spawn(
    process.execPath,
    [
      new URL('./fanout-clients.mjs', import.meta.url).pathname,
      wsUrl,
      String(n),
      String(warmMs),
      String(windowMs),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let result;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'measuring') onMeasuring();
      else if (line.startsWith('{')) result = JSON.parse(line);
    });
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`clients exited with ${code}`)),
    );
  });
}

async function stop(child) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

export async function run({ quick }) {
  const warmMs = quick ? 1000 : 3000;
  const windowMs = quick ? 2500 : 10_000;
  const devices = 1000;
  const rows = [];
  for (const n of [1, 8, 50]) {
    const { child, wsUrl } = await startServer(devices);
    try {
      // The batch interval from the server's hello, read before the idle window by one short client.
      const batch = await batchOf(wsUrl).catch(() => '?');
      await sleep(warmMs);
      const idleA = { cpu: cpuSeconds(child.pid), t: performance.now() };
      await sleep(quick ? 1000 : 3000);
      const idle = (cpuSeconds(child.pid) - idleA.cpu) / ((performance.now() - idleA.t) / 1000);
      const rss0 = rssMB(child.pid);
      let a;
      const res = await runClients(wsUrl, n, warmMs, windowMs, () => {
        a = { cpu: cpuSeconds(child.pid), t: performance.now() };
      });
      const share = (cpuSeconds(child.pid) - a.cpu) / ((performance.now() - a.t) / 1000);
      const rss = rssMB(child.pid);
      rows.push({
        clients: `${n} + 1 paused`,
        batch: `open ${batch}`,
        serverCpuPct: round(share * 100, 1),
        idleCpuPct: round(idle * 100, 1),
        rssMB: round(rss, 1),
        rssNoClientsMB: round(rss0, 1),
        perClientMB: round((rss - rss0) / (n + 1), 2),
        framesPerSecPerClient: round(res.framesPerSecPerClient, 1),
        minFramesPerSec: round(res.minFramesPerSec, 1),
        kBPerSecPerClient: round(res.kbPerSecPerClient, 1),
        pausedFrames: res.pausedFramesSeen,
        pausedStillOpen: res.pausedOpen,
      });
    } finally {
      await stop(child);
    }
  }
  return rows;
}
