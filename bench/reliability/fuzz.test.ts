// Hostile input: a seeded fuzzer sends well over 100,000 frames and messages from several clients at once.
// Every text message gets exactly the answer parseUp defines; every frame class gets only its documented
// close code; nothing crashes; a well-behaved client alongside keeps its stream without a seq gap.

import { startSimulator } from '@bleshark/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeCodeOf, frame, OP, rawUpgrade } from '../lib/raw-ws.mjs';
import {
  type ClosingCase,
  closingCase,
  type Expect,
  garbageCase,
  prng,
  type Rng,
  TEXT_CLASSES,
  type TextClass,
  textMessage,
} from './fuzz-inputs.ts';
import { FixedSource, sleep, TableClient, until } from './helpers.ts';

const SEED = 20261121;
/** Pings written before waiting for their pongs (ws terminates a peer with more than 60 pending). */
const PINGS_PER_WRITE = 20;
const quiet = { logLevel: 'error' as const, log: () => {} };

/** Outcomes per input class: class -> outcome -> count. */
class Tally {
  readonly by = new Map<string, Map<string, number>>();
  frames = 0;
  messages = 0;
  readonly examples: string[] = [];
  wrong(cls: string, got: Answer | undefined, want: Expect | string, input: Buffer | string): void {
    const g = got === undefined ? 'nothing' : got.type === 'ack' ? 'ack' : (got.code ?? got.type);
    const w = typeof want === 'string' ? want : want.kind === 'ack' ? 'ack' : want.code;
    this.add(cls, `WRONG got ${g} want ${w}`);
    if (this.examples.length < 20)
      this.examples.push(
        `${cls}: got ${JSON.stringify(got)} want ${JSON.stringify(want)} for ${JSON.stringify(input.toString().slice(0, 120))}`,
      );
  }
  add(cls: string, outcome: string): void {
    const m = this.by.get(cls) ?? new Map<string, number>();
    this.by.set(cls, m);
    m.set(outcome, (m.get(outcome) ?? 0) + 1);
  }
  table(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.by].map(([k, v]) => [k, Object.fromEntries(v)]));
  }
}

type Answer = { type: string; code?: string; id?: string };
const answerOf = (text: string): Answer | undefined => {
  try {
    const m = JSON.parse(text) as Answer;
    return m.type === 'error' || m.type === 'ack' ? m : undefined;
  } catch {
    return undefined;
  }
};
const matches = (a: Answer | undefined, e: Expect): boolean =>
  a !== undefined &&
  (e.kind === 'ack'
    ? a.type === 'ack' && a.id === e.id
    : a.type === 'error' && a.code === e.code && a.id === e.id);

/** A batch of `size` text messages of random classes, then a sync message whose answer closes the batch. */
function textBatch(r: Rng, size: number, n: number) {
  const out: { cls: TextClass; bytes: Buffer; expect: Expect }[] = [];
  while (out.length < size) {
    const cls = r.pick(TEXT_CLASSES);
    const m = textMessage(r, cls, n + out.length);
    if (m) out.push({ cls, ...m });
  }
  const id = `sync${n}`;
  out.push({
    cls: 'wrong-type',
    bytes: Buffer.from(`{"type":"sync","id":"${id}"}`),
    expect: { kind: 'error', code: 'unknown-type', id },
  });
  return out;
}

/** ws text fuzzer: batches paced at `perSecond`; one connection (open) or one per batch (nano). */
async function wsTextFuzzer(
  url: string,
  r: Rng,
  total: number,
  batch: number,
  perSecond: number,
  reconnect: boolean,
  t: Tally,
) {
  let ws: WebSocket | undefined;
  let answers: Answer[] = [];
  let sent = 0;
  const open = async () => {
    const w = new WebSocket(url, { perMessageDeflate: false });
    w.on('error', () => {});
    w.on('message', (d) => {
      const a = answerOf(String(d));
      if (a) answers.push(a);
    });
    await new Promise<void>((res, rej) => {
      w.once('open', () => res());
      w.once('close', (c) => rej(new Error(`closed ${c} before open`)));
    });
    return w;
  };
  while (sent < total) {
    if (!ws || reconnect) ws = await open();
    const started = Date.now();
    const msgs = textBatch(r, Math.min(batch, total - sent), sent);
    answers = [];
    for (const m of msgs) ws.send(m.bytes, { binary: false });
    t.frames += msgs.length;
    t.messages += msgs.length;
    sent += msgs.length - 1;
    await until(
      () => answers.length >= msgs.length || ws!.readyState !== WebSocket.OPEN,
      'fuzz answers',
      20_000,
      2,
    );
    msgs.forEach((m, i) => {
      if (matches(answers[i], m.expect))
        t.add(`text:${m.cls}`, `answered ${m.expect.kind === 'ack' ? 'ack' : m.expect.code}`);
      else t.wrong(`text:${m.cls}`, answers[i], m.expect, m.bytes);
    });
    const wait = (msgs.length * 1000) / perSecond - (Date.now() - started);
    if (wait > 0) await sleep(wait);
    if (reconnect) {
      const w = ws;
      const closed = new Promise((res) => w.once('close', res));
      w.close(1000);
      await closed;
    }
  }
  if (ws && ws.readyState === WebSocket.OPEN) ws.close(1000);
}

/** Raw text fuzzer: each message in 1..8 fragments with pings between them; checks answers and pong echoes. */
async function rawFragmentFuzzer(
  port: number,
  r: Rng,
  total: number,
  batch: number,
  perSecond: number,
  reconnect: boolean,
  t: Tally,
) {
  let conn: Awaited<ReturnType<typeof rawUpgrade>> | undefined;
  let sent = 0;
  while (sent < total) {
    if (!conn || reconnect) {
      conn = await rawUpgrade(port, { answerPings: true });
      if (conn.status !== 101) throw new Error(`upgrade refused: ${conn.status}`);
    }
    const c = conn;
    const started = Date.now();
    const msgs = textBatch(r, Math.min(batch, total - sent), sent + 1_000_000);
    const pings: string[] = [];
    // ws terminates a peer with more than 60 unanswered pings queued (its ping-flood guard), so the
    // frames go out in groups of at most PINGS_PER_WRITE pings, each group after the previous pongs arrived.
    const groups: { bytes: Buffer[]; pings: number }[] = [{ bytes: [], pings: 0 }];
    for (const m of msgs) {
      const n = 1 + r.int(8);
      const cuts = [
        0,
        ...Array.from({ length: n - 1 }, () => r.int(m.bytes.length + 1)).sort((a, b) => a - b),
        m.bytes.length,
      ];
      let g = groups[groups.length - 1]!;
      if (g.pings >= PINGS_PER_WRITE) {
        g = { bytes: [], pings: 0 };
        groups.push(g);
      }
      for (let i = 0; i < n; i++) {
        g.bytes.push(
          frame({
            opcode: i === 0 ? OP.text : OP.cont,
            fin: i === n - 1,
            payload: m.bytes.subarray(cuts[i], cuts[i + 1]),
          }),
        );
        if (r.next() < 0.3) {
          const p = r.bytes(r.int(126)).toString('hex').slice(0, r.int(125));
          pings.push(p);
          g.pings++;
          g.bytes.push(frame({ opcode: OP.ping, payload: p }));
        }
      }
    }
    t.messages += msgs.length;
    sent += msgs.length - 1;
    const from = c.reader.frames.length;
    const pongsSince = () => c.reader.frames.slice(from).filter((f) => f.opcode === OP.pong).length;
    let pingsSent = 0;
    for (const g of groups) {
      c.socket.write(Buffer.concat(g.bytes));
      t.frames += g.bytes.length;
      pingsSent += g.pings;
      await until(() => pongsSince() >= pingsSent || c.socket.destroyed, 'pongs', 20_000, 1);
    }
    const got = () => c.reader.frames.slice(from);
    await until(
      () =>
        got().filter((f) => f.opcode === OP.text && answerOf(f.payload.toString('utf8'))).length >=
          msgs.length || c.socket.destroyed,
      'raw fuzz answers',
      20_000,
      2,
    );
    const frames = got();
    const answers = frames
      .filter((f) => f.opcode === OP.text)
      .map((f) => answerOf(f.payload.toString('utf8')))
      .filter((a) => a !== undefined);
    msgs.forEach((m, i) => {
      if (matches(answers[i], m.expect))
        t.add(`fragmented:${m.cls}`, `answered ${m.expect.kind === 'ack' ? 'ack' : m.expect.code}`);
      else t.wrong(`fragmented:${m.cls}`, answers[i], m.expect, m.bytes);
    });
    const closeFrame = frames.find((f) => f.opcode === OP.close);
    if (closeFrame) t.add('fragmented', `WRONG closed ${closeFrame.payload.readUInt16BE(0)}`);
    else if (c.socket.destroyed) t.add('fragmented', 'WRONG terminated without a close frame');
    const pongs = frames.filter((f) => f.opcode === OP.pong).map((f) => f.payload.toString('utf8'));
    pings.forEach((p, i) => {
      t.add('ping-between-fragments', pongs[i] === p ? 'pong echoed' : 'WRONG pong');
    });
    c.reader.frames.length = 0;
    const wait = (msgs.length * 1000) / perSecond - (Date.now() - started);
    if (wait > 0) await sleep(wait);
    if (reconnect) {
      c.socket.end();
      await sleep(5);
    }
  }
  conn?.socket.destroy();
}

/** Frames that end the connection, each on a fresh connection. */
async function closingFuzzer(port: number, r: Rng, total: number, t: Tally) {
  for (let i = 0; i < total; i++) {
    const k: ClosingCase = r.next() < 0.15 ? garbageCase(r) : closingCase(r);
    const c = await rawUpgrade(port);
    if (c.status !== 101) {
      t.add(`frame:${k.cls}`, `WRONG upgrade ${c.status}`);
      c.socket.destroy();
      continue;
    }
    c.socket.write(k.bytes);
    t.frames += k.frames ?? 1;
    t.messages += 1;
    const code = await closeCodeOf(c, k.allowed.includes('open') ? 300 : 3000);
    const outcome = code === 'timeout' ? 'open' : code;
    const ok =
      k.allowed.includes(outcome) ||
      (k.cls === 'random-bytes' && typeof outcome === 'number' && outcome >= 3000 && outcome <= 4999);
    t.add(`frame:${k.cls}`, ok ? `close ${outcome}` : `WRONG ${outcome}`);
  }
}

/** A command flood: allowed answers are the error of the message, then rate-limited, then close 1008. */
async function flood(url: string, count: number, t: Tally) {
  const c = new TableClient(url);
  await c.opened;
  for (let i = 0; i < count && c.ws.readyState === WebSocket.OPEN; i++) {
    c.send('{"type":"flood"}');
    t.frames++;
    t.messages++;
  }
  const code = await Promise.race([c.closed, sleep(5000).then(() => 'timeout' as const)]);
  for (const e of c.errors)
    t.add('flood', e === 'unknown-type' || e === 'rate-limited' ? `answered ${e}` : `WRONG ${e}`);
  t.add('flood', code === 1008 ? 'close 1008' : `WRONG close ${code}`);
  await c.close();
}

function wrongOutcomes(t: Tally): string[] {
  const bad: string[] = [];
  for (const [cls, m] of t.by)
    for (const [o, n] of m) if (o.startsWith('WRONG')) bad.push(`${cls}: ${o} x${n}`);
  return bad;
}

const fired: string[] = [];
const onRejection = (e: unknown) => fired.push(`unhandledRejection: ${String(e)}`);
const onException = (e: unknown) => fired.push(`uncaughtException: ${String(e)}`);
process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onException);
afterEach(() => {
  expect(fired).toEqual([]);
});

describe('hostile input', () => {
  it('answers 100,000+ hostile frames and messages (open profile) with their documented codes only', {
    timeout: 120_000,
  }, async () => {
    const sim = await startSimulator({
      source: new FixedSource(150, 1500),
      port: 0,
      profile: 'open',
      // A heartbeat well inside the run, however long the machine makes it: every fuzz peer must stay live.
      timing: { pingIntervalMs: 1000, pongTimeoutMs: 5000 },
      ...quiet,
    });
    const t = new Tally();
    const watcher = new TableClient(sim.wsUrl);
    try {
      await until(() => watcher.snapshots.length > 0, 'the watcher snapshot');
      const epoch = watcher.hello?.epoch;
      const batchesBefore = watcher.batches;
      const r = (k: number) => prng(SEED + k);
      const started = Date.now();
      await Promise.all([
        ...[1, 2, 3, 4, 5].map((k) => wsTextFuzzer(sim.wsUrl, r(k), 12_000, 450, 900, false, t)),
        ...[6, 7].map((k) => rawFragmentFuzzer(sim.port, r(k), 3_000, 300, 900, false, t)),
        ...[8, 9, 10].map((k) => closingFuzzer(sim.port, r(k), 600, t)),
        flood(sim.wsUrl, 4000, t),
      ]);
      const ms = Date.now() - started;
      console.info(`fuzz (open): ${t.frames} frames, ${t.messages} messages in ${ms} ms`);
      console.info(JSON.stringify(t.table(), null, 1));
      if (t.examples.length) console.info(t.examples.join('\n'));
      expect(wrongOutcomes(t)).toEqual([]);
      expect(t.frames).toBeGreaterThanOrEqual(100_000);
      // The well-behaved client kept its stream: no gap, batches kept coming, still open, same epoch.
      await sleep(300);
      expect(watcher.gaps).toEqual([]);
      expect(watcher.batches).toBeGreaterThan(batchesBefore + 10);
      expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
      const after = new TableClient(sim.wsUrl);
      await until(() => after.hello, 'hello after the fuzz');
      expect(after.hello?.epoch).toBe(epoch);
      await after.close();
    } finally {
      await watcher.close();
      await sim.close();
    }
  });

  it('answers the same on the nano profile (a smaller pass under its rate and client limits)', {
    timeout: 90_000,
  }, async () => {
    const sim = await startSimulator({
      source: new FixedSource(40, 200),
      port: 0,
      profile: 'nano',
      ...quiet,
    });
    const t = new Tally();
    const watcher = new TableClient(sim.wsUrl);
    try {
      await until(() => watcher.snapshots.length > 0, 'the watcher snapshot');
      const batchesBefore = watcher.batches;
      await Promise.all([
        (async () => {
          await wsTextFuzzer(sim.wsUrl, prng(SEED + 21), 600, 15, 1e9, true, t);
          await rawFragmentFuzzer(sim.port, prng(SEED + 22), 300, 15, 1e9, true, t);
        })(),
        closingFuzzer(sim.port, prng(SEED + 23), 250, t),
      ]);
      await flood(sim.wsUrl, 200, t);
      console.info(`fuzz (nano): ${t.frames} frames, ${t.messages} messages`);
      console.info(JSON.stringify(t.table(), null, 1));
      if (t.examples.length) console.info(t.examples.join('\n'));
      expect(wrongOutcomes(t)).toEqual([]);
      await sleep(300);
      expect(watcher.gaps).toEqual([]);
      expect(watcher.batches).toBeGreaterThan(batchesBefore);
      expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      await watcher.close();
      await sim.close();
    }
  });
});
