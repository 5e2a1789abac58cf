// bleshark-core-host (core/host/core-host.c) built by `buildCoreHost` with ASan + UBSan and driven over its
// stdio protocol with the simulator's codec: a session whose every timer is driven by the caller's clock,
// scan requests answered both ways, and hostile pipes that must end in exit 2 with one line, never a crash.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDown } from '@bleshark/shared-protocol';
import { coreCodec } from '@bleshark/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoreHost } from '../src/core-host/build-core-host.js';
import { HAS_GCC, SANITIZER_ENV } from './core-build.js';

type CoreIn = coreCodec.CoreIn;
type CoreOut = coreCodec.CoreOut;
const { encodeIn, CoreOutReader } = coreCodec;

let dir = '';
let harness = '';
beforeAll(async () => {
  if (!HAS_GCC) return;
  dir = await mkdtemp(join(tmpdir(), 'bleshark-core-host-test-'));
  harness = (await buildCoreHost({ out: dir, sanitize: true })).path;
}, 240_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const INIT: Omit<Extract<CoreIn, { type: 'init' }>, 'now'> = {
  type: 'init',
  maxDevices: 16,
  hashSeed: 0x12345678,
  scanOnInit: false,
  capsOff: 0,
  model: 'BLEShark Nano',
  firmware: 'test',
  address: '02:00:00:00:00:01',
  epoch: 'abc123',
};

/** A harness under test: send messages, wait for the next message out. */
class Pipe {
  readonly child: ChildProcessWithoutNullStreams;
  readonly out: CoreOut[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #reader = new CoreOutReader();
  #wake: (() => void) | undefined;

  constructor() {
    this.child = spawn(harness, [], { env: SANITIZER_ENV });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.out.push(...this.#reader.push(chunk));
      this.#wake?.();
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
    });
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => resolve({ code, signal })),
    );
  }

  send(...msgs: CoreIn[]): void {
    for (const m of msgs) this.child.stdin.write(encodeIn(m));
  }

  /** Messages out up to and including the next 'done' (all of them, in order). */
  async untilDone(timeoutMs = 15_000): Promise<CoreOut[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const i = this.out.findIndex((m) => m.type === 'done');
      if (i >= 0) return this.out.splice(0, i + 1);
      if (Date.now() > end) throw new Error(`no 'done' within ${timeoutMs} ms; stderr: ${this.stderr}`);
      await new Promise<void>((r) => {
        this.#wake = r;
        setTimeout(r, 50);
      });
    }
  }

  /** The next message out (waits for it). */
  async next(timeoutMs = 15_000): Promise<CoreOut> {
    const end = Date.now() + timeoutMs;
    while (!this.out.length) {
      if (Date.now() > end) throw new Error(`nothing out within ${timeoutMs} ms; stderr: ${this.stderr}`);
      await new Promise<void>((r) => {
        this.#wake = r;
        setTimeout(r, 50);
      });
    }
    return this.out.shift() as CoreOut;
  }

  async end(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.stdin.end();
    return this.exited;
  }
}

const frames = (msgs: CoreOut[]) =>
  msgs.flatMap((m) => (m.type === 'frame' ? [JSON.parse(m.data.toString('utf8'))] : []));
const text = (s: string) => new TextEncoder().encode(s);

/** Delivers every frame of conn and reports it sent until nothing more comes; returns the frames. */
async function drain(p: Pipe, conn: number, now: number, first: CoreOut[]): Promise<unknown[]> {
  const got: unknown[] = [];
  let batch = first;
  for (let i = 0; i < 100; i++) {
    const f = batch.filter((m) => m.type === 'frame' && m.conn === conn);
    for (const m of f) {
      if (m.type !== 'frame') continue;
      const t = m.data.toString('utf8');
      expect(parseDown(t).ok, t.slice(0, 200)).toBe(true);
      got.push(JSON.parse(t));
    }
    if (!f.length) return got;
    p.send({ type: 'sent', now, conn });
    batch = await p.untilDone();
  }
  return got;
}

/** One run of the harness over `input` as a whole. */
function runOnce(input: Buffer) {
  const r = spawnSync(harness, [], { input, env: SANITIZER_ENV, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

const init = (now = 0) => encodeIn({ ...INIT, now });
const raw = (type: string, ...bytes: number[]) => {
  const b = Buffer.alloc(5 + bytes.length);
  b.writeUInt32LE(1 + bytes.length, 0);
  b[4] = type.charCodeAt(0);
  b.set(bytes, 5);
  return b;
};

describe.skipIf(!HAS_GCC)('bleshark-core-host (ASan + UBSan)', { timeout: 60_000 }, () => {
  it('runs a session on the caller clock: hello, snapshot, scan requests answered, a timed scan ending', async () => {
    const p = new Pipe();
    p.send({ ...INIT, now: 0, scanOnInit: true });
    // scan_on_init asks for the default scan and blocks until it is answered.
    expect(await p.next()).toEqual({
      type: 'scan-start',
      passive: false,
      interval: 100,
      window: 50,
      duration: 0,
      duplicates: true,
    });
    p.send({ type: 'answer', ok: true });
    expect(await p.untilDone()).toEqual([{ type: 'done', waitMs: expect.any(Number) }]);

    p.send({ type: 'open', now: 10, conn: 7 });
    const opened = await p.untilDone();
    expect(opened[0]).toEqual({ type: 'open-result', conn: 7, accepted: true });
    const first = await drain(p, 7, 10, opened);
    expect(first.map((m) => (m as { type: string }).type)).toEqual(['hello', 'snapshot']);
    expect(first[0]).toMatchObject({ epoch: 'abc123', device: { model: 'BLEShark Nano' }, client: 1 });

    // An advertisement at t = 500 (past the batch interval) leaves at once as a whole record.
    const adv = Uint8Array.from([2, 1, 6, 5, 9, ...text('Tile')]);
    const addr = Uint8Array.from([0xc8, 0x69, 0xcd, 0x11, 0x22, 0x33]);
    p.send({ type: 'advert', now: 500, addr, addrType: 0, scanRsp: false, conn: true, rssi: -58, data: adv });
    const batch = await drain(p, 7, 500, await p.untilDone());
    expect(batch).toEqual([
      expect.objectContaining({
        type: 'batch',
        d: [expect.objectContaining({ addr: 'c8:69:cd:11:22:33', name: 'Tile', rssi: -58, conn: true })],
      }),
    ]);

    // A timed scan: the caller's clock decides when it ends.
    p.send({ type: 'text', now: 1000, conn: 7, data: text('{"type":"scan-start","id":"s1","duration":2}') });
    expect(await p.next()).toMatchObject({ type: 'scan-start', duration: 2 });
    p.send({ type: 'answer', ok: true });
    // The scan change shows in a status (as the simulator sends one), then the ack.
    const acked = await drain(p, 7, 1000, await p.untilDone());
    expect(acked.at(-1)).toEqual({ type: 'ack', id: 's1', command: 'scan-start' });
    expect(acked.slice(0, -1)).toEqual([
      expect.objectContaining({ type: 'status', scan: expect.objectContaining({ duration: 2 }) }),
    ]);
    p.send({ type: 'tick', now: 1500 });
    expect(frames(await p.untilDone()).filter((m) => m.type === 'scan-complete')).toEqual([]);
    p.send({ type: 'tick', now: 3100 });
    const ended = [await p.next()];
    expect(ended[0]).toEqual({ type: 'scan-stop' });
    p.send({ type: 'answer', ok: true });
    const after = await drain(p, 7, 3100, await p.untilDone());
    expect(after).toContainEqual(expect.objectContaining({ type: 'scan-complete', reason: 'duration' }));

    p.send({ type: 'close', now: 3200, conn: 7 });
    await p.untilDone();
    expect(await p.end()).toEqual({ code: 0, signal: null });
    expect(p.stderr).toBe('');
  });

  it('turns a refused scan start into scan-failed with the caller message', async () => {
    const p = new Pipe();
    p.send({ ...INIT, now: 0 });
    await p.untilDone();
    p.send({ type: 'open', now: 1, conn: 1 });
    await drain(p, 1, 1, await p.untilDone());
    p.send({ type: 'text', now: 2, conn: 1, data: text('{"type":"scan-start","id":"a"}') });
    expect(await p.next()).toMatchObject({ type: 'scan-start' });
    p.send({ type: 'answer', ok: false, message: 'adapter is off' });
    const got = await drain(p, 1, 2, await p.untilDone());
    expect(got).toContainEqual({ type: 'error', code: 'scan-failed', message: 'adapter is off', id: 'a' });
    expect(await p.end()).toEqual({ code: 0, signal: null });
    expect(p.stderr).toBe('');
  });

  it('refuses a fifth client and ignores messages for conns it does not know', async () => {
    const p = new Pipe();
    p.send({ ...INIT, now: 0 });
    await p.untilDone();
    for (let conn = 1; conn <= 5; conn++) p.send({ type: 'open', now: 1, conn });
    const results: CoreOut[] = [];
    while (results.length < 5) {
      const m = await p.next();
      if (m.type === 'open-result') results.push(m);
    }
    expect(results.map((m) => m.type === 'open-result' && m.accepted)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    p.send({ type: 'text', now: 2, conn: 5, data: text('{"type":"clear"}') });
    p.send({ type: 'sent', now: 2, conn: 99 }, { type: 'close', now: 2, conn: 42 });
    expect(await p.end()).toEqual({ code: 0, signal: null });
    expect(p.stderr).toBe('');
  });

  it('ends with exit 2 and one line on a malformed message, 0 on a clean end of input', () => {
    const cases: [string, Buffer][] = [
      ['no init first', raw('T', 0, 0, 0, 0)],
      ['zero length', Buffer.concat([init(), Buffer.from([0, 0, 0, 0])])],
      ['huge length', Buffer.concat([init(), Buffer.from([0xff, 0xff, 0xff, 0x7f])])],
      ['unknown type', Buffer.concat([init(), raw('Z', 0, 0, 0, 0)])],
      ['answer unasked', Buffer.concat([init(), raw('R', 1)])],
      ['init twice', Buffer.concat([init(), init()])],
      ['short advert', Buffer.concat([init(), raw('A', 0, 0, 0, 0, 1, 2, 3)])],
      ['long tick', Buffer.concat([init(), raw('T', 0, 0, 0, 0, 9)])],
      ['cut length', Buffer.concat([init(), Buffer.from([5, 0])])],
      ['cut body', Buffer.concat([init(), Buffer.from([9, 0, 0, 0, 0x54, 0])])],
      ['init string too long', raw('I', 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 200, 65)],
      ['init flags', raw('I', 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0)],
      [
        'sent with nothing in flight',
        Buffer.concat([
          init(),
          encodeIn({ type: 'open', now: 1, conn: 3 }),
          // hello, the snapshot and maybe a status go out one by one; then nothing is in flight.
          ...Array.from({ length: 6 }, () => encodeIn({ type: 'sent', now: 1, conn: 3 })),
        ]),
      ],
    ];
    for (const [name, input] of cases) {
      const r = runOnce(input);
      expect({ name, status: r.status, signal: r.signal }).toEqual({ name, status: 2, signal: null });
      expect(r.stderr, name).toMatch(/^bleshark-core-host: malformed [^\n]*\n$/);
    }
    const clean = runOnce(Buffer.concat([init(), encodeIn({ type: 'tick', now: 5 })]));
    expect(clean).toEqual({ status: 0, signal: null, stderr: '' });
    const empty = runOnce(Buffer.alloc(0));
    expect(empty).toEqual({ status: 0, signal: null, stderr: '' });
  });

  it('never crashes on random bytes after init (exit 0 or 2, no sanitizer report)', () => {
    let s = 0x2545f491;
    const rand = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s >>> 16;
    };
    // Every input type of core-host.c's framing comment (I A D E N T O C X B S R), and Z, which is none.
    const types = [...'IADENTOCXBSRZ'];
    // A body's length range per type (type byte included): [min, max]. Most messages are shaped like
    // this, with random fields, so a run gets past its first message and random input reaches the core
    // ('R' is left to the noise: unasked, it ends a run at once); one in sixteen is raw noise (any type of
    // the list, any length, now and then a body length out of range).
    const shape: Record<string, [number, number]> = {
      A: [14, 14 + 40],
      D: [9, 9],
      E: [5, 5 + 40],
      N: [5, 5],
      T: [5, 5],
      O: [9, 9],
      C: [9, 9],
      X: [9, 9 + 40],
      B: [9, 9],
      S: [9, 9],
    };
    const shaped = Object.keys(shape);
    for (let run = 0; run < 24; run++) {
      const parts: Buffer[] = [init(), encodeIn({ type: 'open', now: 1, conn: 1 })];
      for (let m = 0; m < 40; m++) {
        const noise = rand() % 16 === 0;
        const type = noise
          ? (types[rand() % types.length] as string)
          : (shaped[rand() % shaped.length] as string);
        const [min, max] = shape[type] ?? [0, 47];
        const len = noise ? rand() % 48 : min + (rand() % (max - min + 1));
        const body = Buffer.from(Array.from({ length: len }, () => rand() & 255));
        if (len && (!noise || rand() % 2)) body[0] = type.charCodeAt(0);
        if (len > 8 && rand() % 4) body.writeUInt32LE(1 + (rand() % 3), 5); // conn 1 (open), 2 or 3
        const head = Buffer.alloc(4);
        head.writeUInt32LE(noise && rand() % 4 === 0 ? rand() * 977 : len, 0);
        parts.push(head, body);
      }
      const r = runOnce(Buffer.concat(parts));
      expect(r.signal, r.stderr).toBeNull();
      expect([0, 2], r.stderr).toContain(r.status);
      expect(r.stderr).not.toMatch(/Sanitizer|runtime error/);
      if (r.status === 2) expect(r.stderr).toMatch(/^bleshark-core-host: malformed [^\n]*\n$/);
    }
  });
});
