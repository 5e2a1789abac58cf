// The differential kit (issue 12, proof 3): one advert stream and one command sequence go to two
// simulators on loopback, the TypeScript engine (`startSimulator`) and the C core behind its ASan + UBSan
// harness (`startCoreSimulator`), each read by one client that folds what it receives with the page's own
// model (device-ui/src/model/device-table.ts: applySnapshot / applyBatch, every frame checked by parseDown
// as the page checks it). The two folded tables are then compared field by field.
//
// first / last are each server's own uptime, so their values are not compared. What both sides must agree
// on is their order: a device first seen before another on one side may not be first seen after it on the
// other (the stream is the same and each clock only goes forward). `last` is not even ordered: an update
// carries its batch's `t` as `last`, and when a batch leaves depends on each side's timing.
import { type DeviceRecord, type DownMessage, parseDown } from '@bleshark/shared-protocol';
import {
  type RunningCoreSimulator,
  type RunningSimulator,
  type SimulatorOptions,
  startCoreSimulator,
  startSimulator,
} from '@bleshark/simulator';
import { applyBatch, applySnapshot, newTable, type Table } from '../../device-ui/src/model/device-table.js';
import { LiveClient, type Msg } from '../../simulator/test/live-client.js';
import { SANITIZER_ENV } from './core-build.js';

/** The fields compared as they are (first and last: see above). */
export const COMPARED = [
  'id',
  'addr',
  'addrType',
  'rssi',
  'name',
  'tx',
  'conn',
  'mfr',
  'uuids',
  'svc',
  'adv',
  'rsp',
  'count',
] as const satisfies readonly (keyof DeviceRecord)[];

/** Generous bound of every wait (a shared 2-core machine; the harness runs under ASan). */
export const WAIT_MS = 30_000;

export type SourceChoice = Pick<
  SimulatorOptions,
  'source' | 'replay' | 'speed' | 'seed' | 'devices' | 'rate'
>;

export type Pair = {
  ts: RunningSimulator;
  core: RunningCoreSimulator;
  close(): Promise<void>;
};

/** Starts both simulators on port 0 with the same source options (each opens the file on its own). */
export async function startPair(harness: string, source: SourceChoice): Promise<Pair> {
  const common = { ...source, host: '127.0.0.1', port: 0, profile: 'nano' as const, log: () => {} };
  const ts = await startSimulator(common);
  let core: RunningCoreSimulator;
  try {
    core = await startCoreSimulator({ ...common, core: harness, coreEnv: SANITIZER_ENV });
  } catch (err) {
    await ts.close();
    throw err;
  }
  return {
    ts,
    core,
    close: async () => {
      await Promise.all([ts.close(), core.close()]);
    },
  };
}

/** One client folding its frames with the page's model; every frame is checked as the page checks it. */
export class Side {
  readonly name: string;
  readonly client: LiveClient;
  readonly table: Table = newTable();
  /** Frames the page would refuse (parseDown), with why. */
  readonly invalid: string[] = [];
  /** seq breaks: `expected N, got M`. */
  readonly gaps: string[] = [];
  lastSeq = 0;
  /** The newest scan state (hello, status, scan-complete). */
  scanning: boolean | undefined;
  /** Device time at which the scan was last seen to be idle (hello, scan-complete, a status). */
  idleSince: number | undefined;
  hello: Msg;
  /** Every parsed message, in order. */
  readonly seen: DownMessage[] = [];
  #done = 0;

  private constructor(name: string, client: LiveClient) {
    this.name = name;
    this.client = client;
  }

  static async connect(name: string, url: string): Promise<Side> {
    const s = new Side(name, await LiveClient.connect(url));
    s.hello = await s.client.nextOf('hello', () => true, WAIT_MS);
    return s;
  }

  /** Folds every frame received since the last call. */
  sync(): void {
    const raw = this.client.raw;
    for (; this.#done < raw.length; this.#done++) {
      const text = raw[this.#done]!;
      const r = parseDown(text);
      if (!r.ok) {
        this.invalid.push(`${r.code}: ${r.message}: ${text.slice(0, 160)}`);
        continue;
      }
      const m = r.msg;
      this.seen.push(m);
      if (m.type === 'hello' || m.type === 'status') {
        if (!m.scan.scanning && this.scanning !== false) this.idleSince = m.t;
        this.scanning = m.scan.scanning;
      } else if (m.type === 'scan-complete') {
        this.scanning = false;
        this.idleSince = m.t;
      } else if (m.type === 'batch' || m.type === 'snapshot') {
        if (m.seq !== this.lastSeq + 1) this.gaps.push(`expected seq ${this.lastSeq + 1}, got ${m.seq}`);
        this.lastSeq = m.seq;
        if (m.type === 'batch') applyBatch(this.table, m);
        else applySnapshot(this.table, m);
      }
    }
  }

  /** Messages after index `from` of `seen` (after sync). */
  since(from: number): DownMessage[] {
    this.sync();
    return this.seen.slice(from);
  }

  records(): DeviceRecord[] {
    this.sync();
    return [...this.table.m.values()].map((d) => d.r).sort((a, b) => a.id - b.id);
  }

  send(msg: unknown): void {
    this.client.send(msg);
  }

  /** Waits for the message of `type` whose fields match `pred`, after index `from` of `seen`. */
  async waitFor<T extends DownMessage['type']>(
    type: T,
    pred: (m: Extract<DownMessage, { type: T }>) => boolean,
    from: number,
    what: string,
  ): Promise<Extract<DownMessage, { type: T }>> {
    let found: Extract<DownMessage, { type: T }> | undefined;
    await until(() => {
      found = this.since(from).find(
        (m): m is Extract<DownMessage, { type: T }> =>
          m.type === type && pred(m as Extract<DownMessage, { type: T }>),
      );
      return found !== undefined;
    }, `${this.name}: ${what}`);
    return found!;
  }

  /** Sends a command with `id` and waits for the answer with that id; an error fails with its text. */
  async command(msg: { type: string; id: string } & Record<string, unknown>): Promise<void> {
    const from = this.since(0).length;
    this.send(msg);
    let answer: DownMessage | undefined;
    await until(
      () => {
        answer = this.since(from).find((m) => (m.type === 'ack' || m.type === 'error') && m.id === msg.id);
        return answer !== undefined;
      },
      `${this.name}: the answer to ${JSON.stringify(msg)}`,
    );
    if (answer?.type !== 'ack')
      throw new Error(`${this.name}: ${JSON.stringify(msg)} answered ${JSON.stringify(answer)}`);
  }

  /**
   * Waits until the scan is idle and everything the device had to send has arrived: a status after index
   * `from`, sent at least a second after the scan was last seen to end, that says it is idle and whose
   * `seq` is the last batch / snapshot received (a change waits at most one batch interval, 100 ms, unless
   * the socket is full). With `scanEnded`, a scan-complete must have come after `from` first.
   */
  async settle(from: number, scanEnded: boolean): Promise<void> {
    await until(() => {
      const after = this.since(from);
      if (scanEnded && !after.some((m) => m.type === 'scan-complete')) return false;
      const idle = this.idleSince;
      if (this.scanning !== false || idle === undefined) return false;
      return after.some(
        (m) => m.type === 'status' && !m.scan.scanning && m.t >= idle + 1000 && m.seq === this.lastSeq,
      );
    }, `${this.name}: idle and drained`);
  }

  close(): void {
    this.client.close();
  }
}

/** Polls `pred` every 20 ms for up to WAIT_MS; fails naming `what`. */
export async function until(pred: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const label = (r: DeviceRecord) => `id ${r.id} (${r.addr}/${r.addrType})`;
const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));

/**
 * Every difference between the two tables, one line each: a device only one side has, a compared field
 * that differs, a `first` order the other side contradicts, or `first > last` on one side. Empty when
 * the tables are equal.
 */
export function diffTables(a: Side, b: Side): string[] {
  const ra = a.records();
  const rb = b.records();
  const out: string[] = [];
  const byId = new Map(rb.map((r) => [r.id, r]));
  for (const r of ra) {
    const o = byId.get(r.id);
    if (!o) {
      out.push(`${label(r)}: only on ${a.name}`);
      continue;
    }
    byId.delete(r.id);
    for (const k of COMPARED) {
      const x = JSON.stringify(r[k]);
      const y = JSON.stringify(o[k]);
      if (x !== y) out.push(`${label(r)}: ${k}: ${a.name} ${show(r[k])} vs ${b.name} ${show(o[k])}`);
    }
  }
  for (const r of byId.values()) out.push(`${label(r)}: only on ${b.name}`);
  for (const [s, rs] of [
    [a, ra],
    [b, rb],
  ] as const)
    for (const r of rs)
      if (r.first > r.last) out.push(`${label(r)}: first ${r.first} > last ${r.last} on ${s.name}`);
  // The first-sighting order: compared over the devices both have (by id), pairwise.
  const common = ra.filter((r) => rb.some((o) => o.id === r.id));
  const firstB = new Map(rb.map((r) => [r.id, r.first]));
  let contradictions = 0;
  for (let i = 0; i < common.length; i++)
    for (let j = i + 1; j < common.length; j++) {
      const p = common[i]!;
      const q = common[j]!;
      const da = Math.sign(p.first - q.first);
      const db = Math.sign(firstB.get(p.id)! - firstB.get(q.id)!);
      if (da * db < 0 && contradictions++ < 10)
        out.push(
          `first-sighting order of ids ${p.id} and ${q.id}: ${a.name} ${p.first} vs ${q.first}, ${b.name} ${firstB.get(p.id)} vs ${firstB.get(q.id)}`,
        );
    }
  if (contradictions > 10)
    out.push(`... and ${contradictions - 10} more first-sighting order contradictions`);
  return out;
}
