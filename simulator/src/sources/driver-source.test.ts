// The lifecycle the noble and hci-replay sources share (DriverSource), on both of them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyReport } from '../hci/adv-reports.js';
import { writeBtsnoop } from '../hci/btsnoop.js';
import { loadNobleWithFakeHci } from '../hci/install-fake-hci.js';
import type { DriverSource } from './driver-source.js';
import { HciReplaySource } from './hci-replay-source.js';
import { NobleSource } from './noble-source.js';
import type { ScanParams } from './scan-source.js';

const PARAMS: ScanParams = { mode: 'active', interval: 100, window: 50, duplicates: true };
const events = [1, 2, 3].map((i) => ({
  ts: i,
  record: i,
  bytes: legacyReport({
    type: 3,
    addrType: 1,
    addr: `c0:00:00:00:00:0${i}`,
    data: new Uint8Array(0),
    rssi: -50,
  }),
}));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bleshark-driver-source-'));
  await writeFile(join(dir, 'three.btsnoop'), writeBtsnoop(events.map(({ bytes }) => ({ bytes }))));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sources: [string, () => DriverSource, RegExp][] = [
  [
    'noble',
    () => new NobleSource({ load: () => loadNobleWithFakeHci({ events, speed: 0, loop: true }).noble }),
    /the source is closed/,
  ],
  [
    'hci-replay',
    () => new HciReplaySource({ file: join(dir, 'three.btsnoop'), speed: 0, loop: true }),
    /hci-replay: the source was closed/,
  ],
];

describe.each(sources)('%s as a DriverSource', (_name, make, closed) => {
  it('rejects a start that a close overtook while the driver was opening, and stays quiet', async () => {
    const source = make();
    let adverts = 0;
    source.on('advert', () => adverts++);
    const started = source.start(PARAMS);
    await source.close();
    await expect(started).rejects.toThrow(closed);
    await expect(source.start(PARAMS)).rejects.toThrow(closed);
    await new Promise((r) => setTimeout(r, 20));
    expect(adverts).toBe(0);
  });

  it('keeps one driver across starts and stops', async () => {
    const source = make();
    const states: string[] = [];
    source.on('state', (s) => states.push(s));
    await source.start(PARAMS);
    await source.start(PARAMS);
    await source.stop();
    await source.start(PARAMS);
    expect(states).toEqual(['scanning', 'stopped', 'scanning']);
    await source.close();
  });
});
