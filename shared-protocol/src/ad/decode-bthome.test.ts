import { describe, expect, it } from 'vitest';
import { missingSharedData, readSharedJson } from '../../test-support/shared-data.js';
import { decodeBthome } from './decode-bthome.js';
import type { Field } from './decode-common.js';
import { fromHex } from './hex.js';

type Value = { key: string; value: string | number | boolean };
type BthomeVector = {
  test: string;
  service_data_hex: string;
  bindkey_hex: string | null;
  sensor_values: Value[];
  binary_sensor_values: Value[];
};

const FILE = 'payloads/bthome-ble_test_parser_v2.vectors.json';
const vectors = readSharedJson<BthomeVector[]>(FILE) ?? [];
const fields = (hex: string): Field[] => decodeBthome(fromHex(hex)!)?.fields ?? [];

/** "devicekey(key='temperature_1', device_id=none)" -> "temperature_1"; "binary_window" -> "window". */
const keyOf = (k: string) => (/key='([^']*)'/.exec(k)?.[1] ?? k).replace(/^binary_/, '');

/**
 * Checks every expected value against the decoded fields of the same kind (boolean or not).
 * bthome-ble numbers repeated keys (temperature_1, temperature_2), so "<key>_<n>" is the n-th
 * field named <key> when there are several. When a vector repeats a key it was recorded over two
 * packets and holds only the last one, so the last expected value is the one to match.
 */
function expectValues(got: Field[], expected: Value[], binary: boolean): void {
  const byKey = new Map<string, (string | number | boolean)[]>();
  for (const [k, v] of got)
    if ((typeof v === 'boolean') === binary) byKey.set(k, [...(byKey.get(k) ?? []), v]);
  const want = new Map(expected.map((e) => [keyOf(e.key), e.value]));
  want.delete('signal_strength'); // from RSSI, not from the payload
  for (const [k, v] of want) {
    const m = /^(.*)_(\d+)$/.exec(k);
    const many = m && (byKey.get(m[1]!)?.length ?? 0) > 1;
    const actual = many ? byKey.get(m[1]!)?.[Number(m[2]) - 1] : byKey.get(k)?.[0];
    expect([k, actual]).toEqual([k, v]);
  }
}

/**
 * Vectors whose hex is not the packet their expected values were recorded from: the original test
 * sent a second packet whose bytes the vector does not hold. Checked against their own bytes instead.
 */
const OTHER_PACKET: Record<string, Value[]> = {
  // 4000bd carries packet id 0xbd = 189; the 190 in the vector came from the next packet.
  test_increasing_packet_id: [{ key: 'packet_id', value: 189 }],
};

describe.skipIf(!vectors.length)(
  vectors.length ? `bthome-ble v2 vectors (${FILE})` : missingSharedData(FILE),
  () => {
    const encrypted = vectors.filter((v) => v.bindkey_hex);
    const plain = vectors.filter((v) => !v.bindkey_hex);

    it('holds 82 vectors, 4 of them encrypted', () => {
      expect(vectors).toHaveLength(82);
      expect(encrypted).toHaveLength(4);
    });

    it.each(plain)('$test', (v) => {
      const got = fields(v.service_data_hex);
      expectValues(got, OTHER_PACKET[v.test] ?? v.sensor_values, false);
      expectValues(got, v.binary_sensor_values, true);
    });

    it.each(encrypted)('$test is reported as encrypted and not decoded', (v) => {
      expect(fields(v.service_data_hex)).toEqual([['encrypted', true]]);
    });
  },
);

describe('decodeBthome', () => {
  it('decodes signed values, factors and binary sensors', () => {
    expect(fields('4002ca0903bf130f01')).toEqual([
      ['temperature', 25.06],
      ['humidity', 50.55],
      ['generic', true],
    ]);
    expect(fields('4058ea')).toEqual([['temperature', -7.7]]);
  });

  it('reports button and dimmer events', () => {
    expect(fields('403a003a043a80')).toEqual([
      ['button', 'none'],
      ['button', 'long_press'],
      ['button', 'hold_press'],
    ]);
    expect(fields('403c01033c0205')).toEqual([
      ['dimmer', -3],
      ['dimmer', 5],
    ]);
  });

  it('decodes text as UTF-8, raw as hex, and firmware versions', () => {
    expect(fields('44530248695402abcd')).toEqual([
      ['text', 'Hi'],
      ['raw', 'abcd'],
    ]);
    expect(fields('40f00a00')).toEqual([['device_type', 10]]);
    expect(fields('40f100010206f2000106')).toEqual([
      ['firmware', '6.2.1.0'],
      ['firmware', '6.1.0'],
    ]);
  });

  it('skips the MAC that older firmware puts first', () => {
    expect(fields('42b2188d38c1a404138a01')).toEqual([['pressure', 1008.83]]);
  });

  it('stops at an unknown object id or a truncated value, keeping what came before', () => {
    expect(fields('40015dfe5d0903b718')).toEqual([['battery', 93]]);
    expect(fields('40015d02ca')).toEqual([['battery', 93]]);
    expect(fields('4053ff41')).toEqual([]);
    expect(fields('400f')).toEqual([]);
    expect(fields('4001643001')).toEqual([['battery', 100]]);
    expect(fields('4001643b01')).toEqual([['battery', 100]]);
    expect(fields('40650000')).toEqual([]);
  });

  it('reports another version instead of decoding it, and nothing for no data', () => {
    expect(fields('60015d')).toEqual([['version', 3]]);
    expect(decodeBthome(new Uint8Array(0))).toBeUndefined();
  });

  it('does not modify its input', () => {
    const b = fromHex('40f100010206')!;
    decodeBthome(b);
    expect(b).toEqual(fromHex('40f100010206'));
  });
});
