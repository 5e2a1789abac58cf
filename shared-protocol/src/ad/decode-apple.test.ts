import { describe, expect, it } from 'vitest';
import { decodeApple } from './decode-apple.js';
import { fromHex } from './hex.js';

const apple = (hex: string) => decodeApple(fromHex(hex)!);
const FINDMY_KEY = '00'.repeat(22);

describe('decodeApple', () => {
  it('decodes an iBeacon', () => {
    expect(apple('0215d546df97475747efbe093e2dcbdd0c771536cdc9b5')).toEqual([
      {
        kind: 'ibeacon',
        label: 'iBeacon',
        fields: [
          ['uuid', 'd546df97-4757-47ef-be09-3e2dcbdd0c77'],
          ['major', 5430],
          ['minor', 52681],
          ['power@1m', -75],
        ],
      },
    ]);
  });

  it('labels an AirTag and a separated Find My device as trackers', () => {
    expect(apple(`121910${FINDMY_KEY}0100`)).toEqual([
      {
        kind: 'find-my',
        label: 'AirTag (Find My)',
        tracker: true,
        fields: [
          ['status', 0x10],
          ['battery', 'full'],
          ['separated', true],
        ],
      },
    ]);
    const [phone] = apple(`1219c0${FINDMY_KEY}0100`);
    expect(phone?.label).toBe('Find My (separated)');
    expect(phone?.fields[1]).toEqual(['battery', 'critical']);
    const [near] = apple('12020001');
    expect([near?.label, near?.tracker, near?.fields[2]]).toEqual(['Find My', true, ['separated', false]]);
  });

  it('decodes AirPods proximity pairing', () => {
    const [pods] = apple(`071901 0e20 2b 98 0a 01 00 00${'00'.repeat(16)}`.replace(/ /g, ''));
    expect(pods).toEqual({
      kind: 'airpods',
      label: 'AirPods',
      fields: [
        ['model', 'AirPods Pro'],
        ['pods', '90% 80%'],
        ['case', '100%'],
      ],
    });
  });

  it('walks several messages and decodes real ones from a recorded scan', () => {
    expect(apple('10054c1ccde401' + '09060308c0a85626' + '0c0e08974db1a65d2c4d181a3cab2323')).toEqual([
      { kind: 'nearby-info', label: 'Nearby Info', fields: [['activity', 12]] },
      { kind: 'airplay', label: 'AirPlay', fields: [['ip', '192.168.86.38']] },
      { kind: 'handoff', label: 'Handoff', fields: [['seq', 0x974d]] },
    ]);
    expect(apple('10050b1c921b60')[0]?.fields).toEqual([['activity', 'recent use']]);
  });

  it('names the other message types it knows', () => {
    const labels = apple('0500' + '0800' + '0a00' + '0f020101' + '0b00' + '0d00').map((d) => d.label);
    expect(labels).toEqual(['AirDrop', 'Hey Siri', 'AirPlay', 'Nearby Action', 'Magic Switch', 'Hotspot']);
  });

  it('reads the HomeKit length from the low 5 bits of its length byte', () => {
    const out = apple('063100e4c49beefb3e05000d00010263112065');
    expect(out.map((d) => d.kind)).toEqual(['homekit']);
  });

  it('reports unknown types and never reads past a truncated message', () => {
    expect(apple('7f03aabbcc')).toEqual([
      { kind: 'apple', label: 'Apple 0x7f', fields: [['data', 'aabbcc']] },
    ]);
    expect(apple('0215d546')).toEqual([{ kind: 'apple', label: 'Apple 0x2', fields: [['data', 'd546']] }]);
    expect(apple('07ff01')[0]?.fields).toEqual([]);
    expect(apple('10')).toEqual([]);
    expect(apple('')).toEqual([]);
  });
});
