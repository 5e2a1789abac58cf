// The soak run shared by `npm run soak` (built packages) and the reliability suite (TypeScript sources):
// a simulator in this process under steady load, with clients that come and go and one that pauses, and
// the heap (after a full GC) and RSS sampled over time. Loopback only; everything stops by itself.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function client(url, stats) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('message', (d) => {
    stats.frames++;
    stats.bytes += d.length;
  });
  ws.on('error', () => {});
  ws.on('close', (code) => {
    stats.closes[code] = (stats.closes[code] ?? 0) + 1;
  });
  const closed = new Promise((r) => ws.once('close', r));
  return {
    ws,
    async close() {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
      const t = setTimeout(() => ws.terminate(), 2000);
      await closed;
      clearTimeout(t);
    },
  };
}

/**
 * @param {{ startSimulator: Function, durationMs: number, sampleMs?: number, rate?: number, devices?: number,
 *   churnMs?: number, onSample?: (s: object) => void }} o
 */
export async function soak(o) {
  const sampleMs = o.sampleMs ?? 5000;
  const churnMs = o.churnMs ?? 2000;
  const sim = await o.startSimulator({
    source: 'demo',
    profile: 'nano',
    rate: o.rate ?? 1000,
    devices: o.devices ?? 1500,
    seed: 11,
    port: 0,
    logLevel: 'error',
    log: () => {},
  });
  const stats = { frames: 0, bytes: 0, closes: {}, churned: 0, pauses: 0 };
  const steady = [client(sim.wsUrl, stats), client(sim.wsUrl, stats)];
  let churner = client(sim.wsUrl, stats);
  let pauser = client(sim.wsUrl, stats);
  const samples = [];
  const t0 = Date.now();
  const end = t0 + o.durationMs;
  let nextSample = t0;
  let nextChurn = t0 + churnMs;
  let nextPause = t0 + 5000;
  try {
    while (Date.now() < end) {
      const now = Date.now();
      if (now >= nextChurn) {
        nextChurn += churnMs;
        await churner.close();
        churner = client(sim.wsUrl, stats);
        stats.churned++;
      }
      if (now >= nextPause) {
        nextPause += 10_000;
        const sock = pauser.ws._socket;
        sock?.pause();
        stats.pauses++;
        setTimeout(() => sock?.resume(), 3000).unref();
        // Reconnect the pauser when the server closed it (it must not, at 3 s < the 30 s stuck bound).
        if (pauser.ws.readyState !== WebSocket.OPEN) pauser = client(sim.wsUrl, stats);
      }
      if (now >= nextSample) {
        nextSample += sampleMs;
        gc();
        gc();
        const m = process.memoryUsage();
        const s = {
          s: Math.round((now - t0) / 1000),
          heapMB: +(m.heapUsed / 2 ** 20).toFixed(1),
          rssMB: +(m.rss / 2 ** 20).toFixed(1),
          devices: sim.engine.table.size,
          evicted: sim.engine.table.evicted,
          frames: stats.frames,
          churned: stats.churned,
        };
        samples.push(s);
        o.onSample?.(s);
      }
      await sleep(100);
    }
  } finally {
    await Promise.all([...steady, churner, pauser].map((c) => c.close()));
    await sim.close();
  }
  return { samples, stats };
}
