import { classify, type DeviceRecord } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { type Dev, HISTORY } from './device-table.ts';
import {
  activeCount,
  deviceFilter,
  type FilterContext,
  matches,
  NO_FILTER,
  RSSI_OFF,
  type UiFilter,
} from './filters.ts';

const dev = (r: Partial<DeviceRecord>): Dev => ({
  r: {
    id: 1,
    addr: 'aa:bb:cc:dd:ee:01',
    addrType: 'random',
    rssi: -60,
    conn: true,
    first: 0,
    last: 0,
    count: 1,
    ...r,
  },
  h: new Int8Array(HISTORY),
  hs: 0,
  a: [1, 0],
});
const names: Record<number, string> = { 76: 'Apple, Inc.', 117: 'Samsung' };
const ctx = (baseline: string[] = []): FilterContext => ({
  alias: (a) => (a === 'aa:bb:cc:dd:ee:09' ? 'Kitchen tag' : undefined),
  kind: (d) => classify(d.r),
  company: (id) => names[id],
  baseline: new Set(baseline),
});
const f = (p: Partial<UiFilter>): UiFilter => ({ ...NO_FILTER, ...p });
const ok = (d: Dev, p: Partial<UiFilter>, c = ctx()) => matches(d, f(p), deviceFilter(f(p)), c);

describe('deviceFilter', () => {
  it('sends only what the device can apply, and nothing for the defaults', () => {
    expect(deviceFilter(NO_FILTER)).toEqual({});
    expect(
      deviceFilter(
        f({ minRssi: -70, connectable: true, named: true, noApple: true, noMicrosoft: true, text: 'x' }),
      ),
    ).toEqual({ minRssi: -70, connectable: true, named: true, exclude: [0x4c, 6] });
    expect(deviceFilter(f({ minRssi: RSSI_OFF, onlyNew: true, trackers: true, kind: 'ibeacon' }))).toEqual(
      {},
    );
  });

  it('sends the company and the service UUID, the latter once it is a UUID in any spelling', () => {
    expect(deviceFilter(f({ company: 0x4c }))).toEqual({ company: 0x4c });
    expect(deviceFilter(f({ company: 0 }))).toEqual({ company: 0 });
    expect(deviceFilter(f({ service: 'FEAA' }))).toEqual({ service: 'FEAA' });
    const long = '0000FEAA-0000-1000-8000-00805F9B34FB';
    expect(deviceFilter(f({ service: long }))).toEqual({ service: long });
    expect(deviceFilter(f({ service: 'fea' }))).toEqual({}); // still being typed
    expect(deviceFilter(f({ service: 'feag' }))).toEqual({});
  });
});

describe('activeCount', () => {
  it('counts the filters set besides the text', () => {
    expect(activeCount(NO_FILTER)).toBe(0);
    expect(activeCount(f({ text: 'x' }))).toBe(0);
    expect(activeCount(f({ minRssi: -70, noApple: true, company: 6, service: 'feaa' }))).toBe(4);
  });
});

describe('matches', () => {
  it('applies the device part locally too (before the device answers)', () => {
    expect(ok(dev({ rssi: -80 }), { minRssi: -70 })).toBe(false);
    expect(ok(dev({ conn: false }), { connectable: true })).toBe(false);
    expect(ok(dev({}), { named: true })).toBe(false);
    expect(ok(dev({ name: '\u3164\u00ad\u{e0041}' }), { named: true })).toBe(false); // looks blank
    expect(ok(dev({ name: 'Tag' }), { named: true })).toBe(true);
    expect(ok(dev({ mfr: [[0x4c, '1005']] }), { noApple: true })).toBe(false);
    expect(ok(dev({ mfr: [[0x75, '']] }), { noApple: true })).toBe(true);
  });

  it('matches text on name, address, alias, company name and decoded label, ignoring case', () => {
    expect(ok(dev({ name: 'Polar H10' }), { text: 'polar' })).toBe(true);
    expect(ok(dev({}), { text: 'DD:EE' })).toBe(true);
    expect(ok(dev({ addr: 'aa:bb:cc:dd:ee:09' }), { text: 'kitchen' })).toBe(true);
    expect(ok(dev({ mfr: [[0x75, '']] }), { text: 'samsung' })).toBe(true);
    expect(ok(dev({ svc: [['feaa', '10f203676f6f676c6500']] }), { text: 'eddystone' })).toBe(true);
    expect(ok(dev({ name: 'Polar' }), { text: 'garmin' })).toBe(false);
  });

  it('folds ASCII letters only, as the device does (no Unicode case folding)', () => {
    expect(ok(dev({ name: 'CAFÉ Wien' }), { text: 'café' })).toBe(false);
    expect(ok(dev({ name: 'CAFÉ Wien' }), { text: 'caFÉ' })).toBe(true);
    expect(ok(dev({ name: 'Straße' }), { text: 'STRASSE' })).toBe(false);
  });

  it('shows only devices new since the baseline', () => {
    expect(ok(dev({}), { onlyNew: true }, ctx(['aa:bb:cc:dd:ee:01']))).toBe(false);
    expect(ok(dev({ addr: 'aa:bb:cc:dd:ee:02' }), { onlyNew: true }, ctx(['aa:bb:cc:dd:ee:01']))).toBe(true);
  });

  it('keeps only a company, a service UUID or a decoded kind when asked', () => {
    expect(ok(dev({ mfr: [[0x4c, '1005']] }), { company: 0x4c })).toBe(true);
    expect(ok(dev({ mfr: [[0x75, '']] }), { company: 0x4c })).toBe(false);
    expect(ok(dev({ uuids: ['feed'] }), { kind: 'tile' })).toBe(true);
    expect(ok(dev({ name: 'Polar' }), { kind: 'tile' })).toBe(false);
  });

  it('keeps only trackers when asked', () => {
    expect(ok(dev({ uuids: ['feed'] }), { trackers: true })).toBe(true);
    expect(ok(dev({ name: 'Polar' }), { trackers: true })).toBe(false);
  });
});
