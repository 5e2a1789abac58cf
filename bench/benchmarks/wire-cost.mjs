// 1. Wire cost: bytes on the wire per discovery (per advertisement the source emitted) for the batched
// /scan/live protocol, against one verbose JSON message per advertisement over WebSocket and against HTTP
// polling once a second, each with compression off and on. Every byte is counted on a real loopback socket
// (WebSocket frame headers, HTTP request and response headers included; both directions).
import { existsSync } from 'node:fs';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import WebSocket, { WebSocketServer } from 'ws';
import { batchOf } from '../lib/hello.mjs';
import { ROOT } from '../lib/machine.mjs';
import { round, sleep } from '../lib/stats.mjs';
import { TapSource, verboseDevice } from '../lib/tap-source.mjs';

export const title = '1. Wire cost: bytes on the wire per discovery (steady state)';
export const CAPTURE = `${ROOT}../shared/data/hci/bumble_hci_data_001.le_adv_reports.btsnoop`;
/** Issue 11: at most 24 B/discovery on the small demo scene, 20 on the busy one and the real capture. */
export const GOAL_BYTES = { small: 24, busy: 20 };

const DEFLATE = { threshold: 0 };
const wire = (ws) => ws._socket.bytesRead + ws._socket.bytesWritten;
const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const opened = (ws) =>
  new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });

/** Measures every transport on one source for `windowMs` after `warmMs`. */
async function measure(scene, makeSource, { warmMs, windowMs }, goal) {
  const { startSimulator } = await import('@bleshark/simulator');
  const tap = new TapSource(await makeSource());
  const sim = await startSimulator({
    source: tap,
    port: 0,
    profile: 'nano',
    logLevel: 'error',
    log: () => {},
  });
  const closers = [];
  // The nano batch interval, as the simulator's hello announces it (labels the "ours" rows).
  const batch = await batchOf(sim.wsUrl).catch(() => undefined);
  try {
    // Ours, as the page receives it (no compression: the Nano and the simulator never negotiate it).
    const ours = new WebSocket(sim.wsUrl, { perMessageDeflate: false });
    await opened(ours);
    // Ours with permessage-deflate: the same frames relayed by a deflating ws server to a deflating client.
    const relay = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: DEFLATE });
    await new Promise((r) => relay.once('listening', r));
    const oursZ = new WebSocket(`ws://127.0.0.1:${relay.address().port}`, { perMessageDeflate: true });
    await opened(oursZ);
    ours.on('message', (d) => {
      for (const c of relay.clients) c.send(String(d));
    });
    // Verbose: one full JSON object per advertisement, plain and deflated.
    const verbose = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: DEFLATE });
    await new Promise((r) => verbose.once('listening', r));
    const vPort = verbose.address().port;
    const verbosePlain = new WebSocket(`ws://127.0.0.1:${vPort}`, { perMessageDeflate: false });
    const verboseZ = new WebSocket(`ws://127.0.0.1:${vPort}`, { perMessageDeflate: true });
    await Promise.all([opened(verbosePlain), opened(verboseZ)]);
    // Polling: GET /devices once a second returns every device heard since that client's last poll.
    const pending = { plain: new Map(), gzip: new Map() };
    tap.taps.add((ad) => {
      const text = JSON.stringify({ type: 'advertisement', device: verboseDevice(ad) });
      for (const c of verbose.clients) c.send(text);
      pending.plain.set(ad.addr, ad);
      pending.gzip.set(ad.addr, ad);
    });
    const pollServer = http.createServer((req, res) => {
      const which = req.url?.includes('gzip') ? 'gzip' : 'plain';
      const devices = [...pending[which].values()].map(verboseDevice);
      pending[which].clear();
      const body = Buffer.from(JSON.stringify({ timestamp: Date.now(), devices }));
      const gz = which === 'gzip' && /gzip/.test(req.headers['accept-encoding'] ?? '');
      const out = gz ? gzipSync(body) : body;
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': out.length,
        'Cache-Control': 'no-cache',
        ...(gz ? { 'Content-Encoding': 'gzip' } : {}),
      });
      res.end(out);
    });
    const pollPort = await listen(pollServer);
    const sockets = { plain: new Set(), gzip: new Set() };
    const agents = {
      plain: new http.Agent({ keepAlive: true, maxSockets: 1 }),
      gzip: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    };
    const pollOnce = (which) =>
      new Promise((resolve) => {
        const req = http.get(
          {
            host: '127.0.0.1',
            port: pollPort,
            path: `/devices?c=${which}`,
            agent: agents[which],
            headers: {
              Accept: 'application/json',
              ...(which === 'gzip' ? { 'Accept-Encoding': 'gzip' } : {}),
            },
          },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('socket', (s) => sockets[which].add(s));
        req.on('error', resolve);
      });
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await Promise.all([pollOnce('plain'), pollOnce('gzip')]);
        await sleep(1000);
      }
    })();
    const pollBytes = (which) => [...sockets[which]].reduce((n, s) => n + s.bytesRead + s.bytesWritten, 0);
    closers.push(async () => {
      polling = false;
      await poller;
      for (const a of Object.values(agents)) a.destroy();
      await new Promise((r) => pollServer.close(r));
      for (const w of [ours, oursZ, verbosePlain, verboseZ]) w.terminate();
      relay.close();
      verbose.close();
    });

    await sleep(warmMs);
    const snap = () => ({
      n: tap.count,
      ours: wire(ours),
      oursZ: wire(oursZ),
      verbose: wire(verbosePlain),
      verboseZ: wire(verboseZ),
      poll: pollBytes('plain'),
      pollZ: pollBytes('gzip'),
    });
    const a = snap();
    await sleep(windowMs);
    const b = snap();
    const n = b.n - a.n;
    const per = (k) => (b[k] - a[k]) / n;
    const oursPer = per('ours');
    const row = (transport, compression, k) => ({
      scene,
      transport,
      ...(transport.startsWith('ours') ? { batch: `nano ${batch ?? '?'}` } : {}),
      compression,
      discoveries: n,
      bytes: b[k] - a[k],
      bytesPerDiscovery: round(per(k), 1),
      vsOurs: round(per(k) / oursPer, 1),
    });
    return [
      {
        ...row('ours: batched /scan/live', 'off', 'ours'),
        goal: `<= ${goal}`,
        met: oursPer <= goal,
      },
      row('ours: batched /scan/live', 'permessage-deflate', 'oursZ'),
      row('verbose JSON per advert (ws)', 'off', 'verbose'),
      row('verbose JSON per advert (ws)', 'permessage-deflate', 'verboseZ'),
      row('HTTP polling 1/s', 'off', 'poll'),
      row('HTTP polling 1/s', 'gzip', 'pollZ'),
    ];
  } finally {
    for (const c of closers) await c();
    await sim.close();
  }
}

export async function run({ quick }) {
  const { DemoSource, HciReplaySource } = await import('@bleshark/simulator/sources');
  const t = quick ? { warmMs: 2000, windowMs: 3500 } : { warmMs: 4000, windowMs: 20_000 };
  const rows = [];
  rows.push(
    ...(await measure(
      'demo 40 devices, 60 adv/s',
      () => new DemoSource({ seed: 1, devices: 40, rate: 60 }),
      t,
      GOAL_BYTES.small,
    )),
  );
  rows.push(
    ...(await measure(
      'demo 400 devices, 1,000 adv/s',
      () => new DemoSource({ seed: 1, devices: 400, rate: 1000 }),
      t,
      GOAL_BYTES.busy,
    )),
  );
  if (existsSync(CAPTURE)) {
    rows.push(
      ...(await measure(
        'real capture (bumble le_adv_reports, looped, speed 0.25)',
        () => new HciReplaySource({ file: CAPTURE, loop: true, speed: 0.25 }),
        t,
        GOAL_BYTES.busy,
      )),
    );
  } else rows.push({ scene: 'real capture', note: `skipped: ${CAPTURE} is absent` });
  return rows;
}
