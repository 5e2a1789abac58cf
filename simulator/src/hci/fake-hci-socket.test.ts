import { afterEach, describe, expect, it } from 'vitest';
import { legacyReport } from './adv-reports.js';
import type { CaptureEvent } from './capture.js';
import { type FakeHciConfig, FakeHciSocket } from './fake-hci-socket.js';
import { OP } from './hci-commands.js';

const cmd = (op: number, params: number[] = []) =>
  Buffer.from([1, op & 0xff, op >> 8, params.length, ...params]);
const events = (n: number, gap = 1): CaptureEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    ts: i * gap,
    record: i + 1,
    bytes: legacyReport({
      type: 3,
      addrType: 1,
      addr: `11:22:33:44:55:${(16 + (i % 4)).toString(16)}`,
      data: new Uint8Array(0),
      rssi: -40 - i,
    }),
  }));
const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `cond` holds (polling every 5 ms), failing after a generous 15 s on a busy machine. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const open: FakeHciSocket[] = [];
function socket(config: Partial<FakeHciConfig> = {}): { s: FakeHciSocket; got: Buffer[]; logs: string[] } {
  const logs: string[] = [];
  const s = new FakeHciSocket({ events: [], log: (l, m) => logs.push(`${l} ${m}`), ...config });
  const got: Buffer[] = [];
  s.on('data', (d: Buffer) => got.push(d));
  s.bindRaw(0);
  s.start();
  open.push(s);
  return { s, got, logs };
}
afterEach(() => {
  for (const s of open.splice(0)) s.stop();
});
const reports = (got: Buffer[]) => got.filter((d) => d[1] === 0x3e);

describe('FakeHciSocket', () => {
  it('answers Read Local Version with HCI 5.0 and Read BD_ADDR with its address', async () => {
    const { s, got } = socket();
    s.write(cmd(OP.READ_LOCAL_VERSION));
    s.write(cmd(OP.READ_BD_ADDR));
    await tick();
    expect(got.map((d) => d.toString('hex'))).toEqual([
      // status 0, HCI 9, revision 0, LMP 9, manufacturer 0xffff, subversion 0
      '040e0c0101100009000009ffff0000',
      // status 0, 00:00:5e:00:53:01 little-endian
      '040e0a010910000153005e0000',
    ]);
  });

  it('answers an unknown command with a generic success and logs its opcode once', async () => {
    const { s, got, logs } = socket();
    s.write(cmd(0xfc01, [1]));
    s.write(cmd(0xfc01, [1]));
    await tick();
    expect(got.map((d) => d.toString('hex'))).toEqual(['040e040101fc00', '040e040101fc00']);
    expect(logs).toEqual(['warn fake HCI: unknown command 0xfc01, answered with a generic success']);
  });

  it('refuses connections with Command Status "Command Disallowed"', async () => {
    const { s, got } = socket();
    s.write(cmd(OP.LE_CREATE_CONN, new Array(25).fill(0)));
    await tick();
    expect(got[0]!.toString('hex')).toBe('040f040c010d20');
  });

  it('plays reports only between scan enable and disable, after the enable completes', async () => {
    // 50 ms apart: the whole capture takes 2.45 s, far longer than noticing the third report takes.
    const { s, got } = socket({ events: events(50, 50), speed: 1 });
    s.write(cmd(OP.LE_SET_SCAN_ENABLE, [1, 0]));
    await tick();
    expect(got[0]!.toString('hex')).toBe('040e04010c2000');
    for (const end = Date.now() + 10_000; reports(got).length < 3 && Date.now() < end; ) await sleep(5);
    s.write(cmd(OP.LE_SET_SCAN_ENABLE, [0, 1]));
    await tick();
    await tick();
    const played = reports(got).length;
    expect(played).toBeGreaterThanOrEqual(3);
    expect(played).toBeLessThan(50);
    await sleep(120);
    expect(reports(got).length).toBe(played);
    expect(s.position).toBe(played);
  });

  it('plays everything at speed 0, ends once, and rewinds on the next enable', async () => {
    let ended = 0;
    const { s, got } = socket({ events: events(200), speed: 0, onEnd: () => ended++ });
    s.write(cmd(OP.LE_SET_EXTENDED_SCAN_ENABLE, [1, 0, 0, 0, 0, 0]));
    await until(() => ended > 0, 'the end of the capture');
    await sleep(20);
    expect(reports(got)).toHaveLength(200);
    expect(ended).toBe(1);
    expect(s.isScanning).toBe(false);
    s.write(cmd(OP.LE_SET_EXTENDED_SCAN_ENABLE, [1, 0, 0, 0, 0, 0]));
    await until(() => ended > 1, 'the end of the second play');
    expect(reports(got)).toHaveLength(400);
  });

  it('loops when asked, and sends every report even when the host asks the controller to filter duplicates', async () => {
    const { s, got } = socket({ events: events(4), speed: 0, loop: true });
    s.write(cmd(OP.LE_SET_SCAN_ENABLE, [1, 0]));
    await until(() => reports(got).length > 8, 'more than one pass of the capture');
    s.stop();
    let ended = 0;
    const dup = socket({ events: events(8), speed: 0, loop: false, onEnd: () => ended++ });
    dup.s.write(cmd(OP.LE_SET_SCAN_ENABLE, [1, 1]));
    await until(() => ended > 0, 'the end of the capture');
    expect(reports(dup.got)).toHaveLength(8);
  });

  it('sends nothing after stop', async () => {
    const { s, got } = socket({ events: events(10), speed: 0 });
    s.write(cmd(OP.RESET));
    s.stop();
    await sleep(5);
    expect(got).toEqual([]);
    expect(s.isDevUp()).toBe(true);
    expect(s.getDeviceList()[0]!.devId).toBe(0);
  });
});
