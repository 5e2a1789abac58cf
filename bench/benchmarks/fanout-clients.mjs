// Child process of the fan-out benchmark: N reading ws clients plus one paused client, so their CPU is not
// the server's. argv: URL N WARM_MS WINDOW_MS. Prints `measuring` at the start of the window and one JSON
// line with the figures at its end, then exits.
import WebSocket from 'ws';

const [url, nArg, warmArg, windowArg] = process.argv.slice(2);
if (!url?.startsWith('ws://127.0.0.1:')) throw new Error('loopback ws:// URL expected');
const n = Number(nArg);
const warmMs = Number(warmArg);
const windowMs = Number(windowArg);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hardStop = setTimeout(() => process.exit(3), warmMs + windowMs + 30_000);

const clients = [];
const closes = {};
function connect(paused) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const c = { ws, frames: 0, bytes: 0, paused };
  ws.on('message', (d) => {
    c.frames++;
    c.bytes += d.length;
  });
  ws.on('close', (code) => {
    closes[code] = (closes[code] ?? 0) + 1;
  });
  ws.on('error', () => {});
  clients.push(c);
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      if (paused) ws._socket.pause();
      resolve();
    });
    ws.once('error', reject);
  });
}

await Promise.all([...Array.from({ length: n }, () => connect(false)), connect(true)]);
await sleep(warmMs);
const before = clients.map((c) => c.frames);
const bytesBefore = clients.map((c) => c.bytes);
console.log('measuring');
await sleep(windowMs);
const reading = clients.filter((c) => !c.paused);
const framesPerClient = reading.map((c) => c.frames - before[clients.indexOf(c)]);
const bytesPerClient = reading.map((c) => c.bytes - bytesBefore[clients.indexOf(c)]);
const paused = clients.find((c) => c.paused);
console.log(
  JSON.stringify({
    clients: reading.length,
    framesPerSecPerClient: framesPerClient.reduce((a, b) => a + b, 0) / reading.length / (windowMs / 1000),
    minFramesPerSec: Math.min(...framesPerClient) / (windowMs / 1000),
    kbPerSecPerClient: bytesPerClient.reduce((a, b) => a + b, 0) / reading.length / (windowMs / 1000) / 1024,
    pausedFramesSeen: paused?.frames ?? 0,
    pausedOpen: paused?.ws.readyState === WebSocket.OPEN,
    closes,
  }),
);
for (const c of clients) c.ws.terminate();
clearTimeout(hardStop);
process.exit(0);
