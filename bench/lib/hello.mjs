// The batch rate a benchmark ran at, as the simulator announces it: the `limits` of its hello (the first
// frame on /scan/live), read by one short-lived client that closes before the measurement starts. Rows carry
// this label instead of a rate written into the benchmark, so they stay right when a profile changes.
import WebSocket from 'ws';

/** Resolves with the hello's `limits` of the simulator at `wsUrl` (loopback), or rejects after 5 s. */
export function helloLimits(wsUrl) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no hello from ${wsUrl} within 5 s`));
    }, 5000);
    ws.once('message', (data) => {
      clearTimeout(timer);
      ws.close(1000);
      try {
        const msg = JSON.parse(String(data));
        if (msg?.type !== 'hello' || typeof msg.limits?.batchIntervalMs !== 'number')
          throw new Error(`first frame is not a hello with limits: ${String(data).slice(0, 80)}`);
        resolve(msg.limits);
      } catch (err) {
        reject(err);
      }
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** "100 ms (10 Hz)" from a hello's limits. */
export function batchLabel(limits) {
  const ms = limits.batchIntervalMs;
  const hz = 1000 / ms;
  return `${ms} ms (${Number.isInteger(hz) ? hz : hz.toFixed(1)} Hz)`;
}

/** The batch label of the simulator at `wsUrl`. */
export const batchOf = async (wsUrl) => batchLabel(await helloLimits(wsUrl));
