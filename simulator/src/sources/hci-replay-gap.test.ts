// hci-replay across a gap longer than setTimeout allows (a clock jump in a capture, or a tiny --speed):
// the stand-in HCI socket must wait it out in steps (setLongTimeout), not re-arm every 1 ms with a
// TimeoutOverflowWarning each time (220 MB of warnings in 40 minutes once).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { legacyReport } from '../hci/adv-reports.js';
import { writeBtsnoop } from '../hci/btsnoop.js';
import { HciReplaySource } from './hci-replay-source.js';
import type { ScanParams } from './scan-source.js';

const PARAMS: ScanParams = { mode: 'active', interval: 100, window: 50, duplicates: true };
const dir = mkdtempSync(join(tmpdir(), 'bleshark-hci-gap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ADV_NONCONN_IND: noble reports it at once (no scan response to wait for). */
const report = (addr: string) =>
  legacyReport({ type: 3, addrType: 1, addr, data: Buffer.from('020106', 'hex'), rssi: -50 });
const gap = join(dir, 'gap.btsnoop');
writeFileSync(
  gap,
  writeBtsnoop([
    { bytes: report('d0:00:00:00:00:01'), ts: 0 },
    { bytes: report('d0:00:00:00:00:02'), ts: 3_000_000_000 },
  ]),
);

describe('hci-replay across a gap longer than setTimeout allows', () => {
  it('emits no TimeoutOverflowWarning and does not spin while it waits', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const source = new HciReplaySource({ file: gap });
    const addrs: string[] = [];
    source.on('advert', (ad) => addrs.push(ad.addr));
    try {
      await source.start(PARAMS);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await source.close();
      process.off('warning', onWarning);
    }
    expect(addrs).toEqual(['d0:00:00:00:00:01']);
    expect(warnings.filter((w) => w === 'TimeoutOverflowWarning')).toEqual([]);
  });
});
