import { describe, expect, it } from 'vitest';
import { classify, decodeAll } from './decoders.js';

const ZERO16 = '00'.repeat(16);

describe('decodeAll', () => {
  it('decodes an iBeacon from Apple manufacturer data', () => {
    const [b] = decodeAll({ mfr: [[0x4c, '0215d546df97475747efbe093e2dcbdd0c771536cdc9b5']] });
    expect(b?.label).toBe('iBeacon');
  });

  it('decodes Eddystone from service data in any UUID spelling', () => {
    const svc: [string, string][] = [
      ['feaa', '10eb016578616d706c650078'],
      ['0000FEAA-0000-1000-8000-00805F9B34FB', '20000bb8188000000064000004d2'],
    ];
    expect(decodeAll({ svc }).map((d) => d.label)).toEqual(['Eddystone-URL', 'Eddystone-TLM']);
  });

  it('decodes Fast Pair model ids and account-key data', () => {
    expect(decodeAll({ svc: [['fe2c', 'f52494']] })).toEqual([
      { kind: 'fast-pair', label: 'Fast Pair', fields: [['model', 'f52494']] },
    ]);
    expect(decodeAll({ svc: [['fe2c', '0060112233445566']] })[0]?.fields).toEqual([
      ['account keys', true],
      ['show UI', true],
    ]);
    expect(decodeAll({ svc: [['fe2c', '0062112233445566']] })[0]?.fields[1]).toEqual(['show UI', false]);
  });

  it('decodes Swift Pair and CDP from Microsoft data', () => {
    const out = decodeAll({
      mfr: [
        [6, '0300804b6579626f617264'],
        [6, '010920'],
      ],
    });
    expect(out.map((d) => d.label)).toEqual(['Swift Pair', 'Microsoft CDP']);
    expect(out[0]?.fields).toEqual([['name', 'Keyboard']]);
  });

  it('flags Tile by service UUID or service data, once', () => {
    expect(decodeAll({ uuids: ['feed'] })).toEqual([
      { kind: 'tile', label: 'Tile', tracker: true, fields: [] },
    ]);
    expect(decodeAll({ uuids: ['feec'], svc: [['feec', '0102']] })).toEqual([
      { kind: 'tile', label: 'Tile', tracker: true, fields: [['data', '0102']] },
    ]);
  });

  it('flags SmartTag by 0xFD5A service data (state, age, privacy id) and by 0xFD59', () => {
    expect(decodeAll({ svc: [['fd5a', '1a0102031122334455667788000000aabbccdd']] })).toEqual([
      {
        kind: 'smarttag',
        label: 'SmartTag',
        tracker: true,
        fields: [
          ['state', 0x1a],
          ['age', 0x030201],
          ['id', '1122334455667788'],
        ],
      },
    ]);
    expect(decodeAll({ uuids: ['0000fd59-0000-1000-8000-00805f9b34fb'] })[0]?.label).toBe('SmartTag');
  });

  it('decodes Exposure Notification', () => {
    expect(decodeAll({ uuids: ['fd6f'], svc: [['fd6f', `${ZERO16}01020304`]] })).toEqual([
      {
        kind: 'exposure-notification',
        label: 'Exposure Notification',
        fields: [
          ['rpi', ZERO16],
          ['aem', '01020304'],
        ],
      },
    ]);
  });

  it('decodes BTHome', () => {
    expect(decodeAll({ svc: [['fcd2', '4002ca09']] })).toEqual([
      { kind: 'bthome', label: 'BTHome', fields: [['temperature', 25.06]] },
    ]);
  });

  it('returns nothing for unknown or malformed input', () => {
    expect(decodeAll({})).toEqual([]);
    expect(
      decodeAll({ name: 'x', mfr: [[0x75, '42040120']], uuids: ['zz', '180f'], svc: [['feaa', 'zz']] }),
    ).toEqual([]);
  });
});

describe('classify', () => {
  const nearby: [number, string] = [0x4c, '10054c1ccde401'];

  it('puts a tracker first', () => {
    const findMy: [number, string] = [0x4c, `1219 10${'00'.repeat(24)}`.replace(' ', '')];
    expect(classify({ mfr: [nearby, findMy] })?.label).toBe('AirTag (Find My)');
    expect(classify({ uuids: ['feaa', 'feed'], svc: [['feaa', '10eb0361']] })?.label).toBe('Tile');
  });

  it('prefers a specific decode over generic Continuity messages', () => {
    expect(classify({ mfr: [nearby, [0x4c, `07190102202b980a010000${ZERO16}`]] })?.label).toBe('AirPods');
    expect(classify({ mfr: [nearby] })?.label).toBe('Nearby Info');
  });

  it('returns undefined when nothing decodes', () => {
    expect(classify({ uuids: ['180f'] })).toBeUndefined();
  });
});
