import { readSharedJson } from '@bleshark/shared-protocol/test-support';
import { describe, expect, it } from 'vitest';
import {
  mapPeripheral,
  type NoblePeripheral,
  nobleManufacturer,
  nobleTxPower,
  nobleUuid,
  PeripheralMemory,
} from './noble-mapping.js';

const buf = (hex: string) => Buffer.from(hex, 'hex');
const base: NoblePeripheral = {
  id: '112233445566',
  address: '11:22:33:44:55:66',
  addressType: 'random',
  connectable: true,
  rssi: -50,
};

describe('mapPeripheral', () => {
  it("maps the plain fields and drops noble's empty ones", () => {
    const ad = mapPeripheral(
      { ...base, advertisement: { serviceData: [], serviceUuids: [] } },
      new PeripheralMemory(),
      5,
    );
    expect(ad).toEqual({ addr: '11:22:33:44:55:66', addrType: 'random', rssi: -50, conn: true, at: 5 });
  });

  it('uses the peripheral id where macOS hides the address, with pid set', () => {
    for (const address of ['', 'unknown', undefined]) {
      const ad = mapPeripheral(
        { ...base, id: 'A1B2c3d4E5f6', address, addressType: 'unknown' },
        new PeripheralMemory(),
      );
      expect(ad).toMatchObject({ addr: 'a1b2c3d4e5f6', addrType: 'unknown', pid: 'A1B2c3d4E5f6' });
    }
  });

  it('reads connectable 1/0 as a boolean and treats RSSI 127 as the weakest', () => {
    expect(mapPeripheral({ ...base, connectable: 0 }, new PeripheralMemory()).conn).toBe(false);
    expect(mapPeripheral({ ...base, connectable: 1 }, new PeripheralMemory()).conn).toBe(true);
    expect(mapPeripheral({ ...base, rssi: 127 }, new PeripheralMemory()).rssi).toBe(-127);
  });

  it('treats txPowerLevel 127 as absent and reads unsigned extended TX power as signed', () => {
    expect(nobleTxPower(127)).toBeUndefined();
    expect(nobleTxPower(246)).toBe(-10);
    expect(nobleTxPower(-20)).toBe(-20);
    expect(nobleTxPower(undefined)).toBeUndefined();
    expect(
      mapPeripheral({ ...base, advertisement: { txPowerLevel: 127 } }, new PeripheralMemory()).tx,
    ).toBeUndefined();
  });

  it("pads noble's short 16-bit UUIDs and dashes 128-bit ones", () => {
    expect(nobleUuid('fe1')).toBe('0fe1');
    expect(nobleUuid('180A')).toBe('180a');
    expect(nobleUuid('adabfb006e7d4601bda2bffaa68956ba')).toBe('adabfb00-6e7d-4601-bda2-bffaa68956ba');
    expect(nobleUuid('0000180f00001000800000805f9b34fb')).toBe('180f');
    expect(nobleUuid('xyz')).toBeUndefined();
  });

  it('splits manufacturer data into company and payload (noble keeps only the last structure)', () => {
    expect(nobleManufacturer(buf('4c000215'))).toEqual([[76, '0215']]);
    expect(nobleManufacturer(buf('1304'))).toEqual([[1043, '']]);
    expect(nobleManufacturer(buf('13'))).toEqual([]);
  });

  it('merges service data and UUIDs wiped by a later scan response (no raw bytes)', () => {
    const memory = new PeripheralMemory();
    const adv = { serviceUuids: ['fea0'], serviceData: [{ uuid: 'fea0', data: buf('03fa') }] };
    expect(mapPeripheral({ ...base, advertisement: adv }, memory).svc).toEqual([['fea0', '03fa']]);
    const wiped = mapPeripheral(
      { ...base, advertisement: { localName: 'Kitchen Home', serviceUuids: [], serviceData: [] } },
      memory,
    );
    expect(wiped).toMatchObject({ name: 'Kitchen Home', uuids: ['fea0'], svc: [['fea0', '03fa']] });
  });

  it('prefers the raw bytes of the HCI tap: every manufacturer entry, 32-bit UUIDs, the name re-decoded', () => {
    const memory = new PeripheralMemory();
    // flags, two manufacturer structures, a 32-bit UUID list, a name with an invalid byte
    memory.noteRaw(base.address!, buf('02010605ff0102030405ff0203aabb050578563412'), false);
    memory.noteRaw(base.address!, buf('0409ff4142'), true);
    const ad = mapPeripheral(
      { ...base, advertisement: { localName: 'noble', manufacturerData: buf('0302aabb') } },
      memory,
    );
    expect(ad.mfr).toEqual([
      [0x0201, '0304'],
      [0x0302, 'aabb'],
    ]);
    expect(ad.uuids).toEqual(['12345678']);
    expect(ad.name).toBe('\ufffdAB');
    expect(ad.adv).toBe('02010605ff0102030405ff0203aabb050578563412');
    expect(ad.rsp).toBe('0409ff4142');
  });

  it('keeps its memory bounded, forgetting the oldest first', () => {
    const memory = new PeripheralMemory(3);
    for (let i = 0; i < 5; i++) memory.entry(`k${i}`);
    expect(memory.size).toBe(3);
  });
});

type Observed = {
  final_state_per_peripheral: {
    address: string;
    advertisement: {
      serviceData: { uuid: string; data: string }[];
      serviceUuids: string[];
      localName?: string;
    };
  }[];
};
const legacy = readSharedJson<Observed>('hci/bumble_hci_data_001.observed.noble-1.9.2-26.json');
const extended = readSharedJson<Observed>(
  'hci/bumble_hci_data_001.as_ext_adv_reports.observed.noble-1.9.2-26.extended.json',
);

describe.skipIf(!legacy || !extended)(
  'the merge against what noble really emitted (../shared/data/hci)',
  () => {
    it('restores, from what was seen before, the service data noble wiped in extended mode', () => {
      const wiped = extended!.final_state_per_peripheral.filter((p) => {
        const before = legacy!.final_state_per_peripheral.find((l) => l.address === p.address)!;
        return p.advertisement.serviceData.length === 0 && before.advertisement.serviceData.length > 0;
      });
      // Kitchen Home, Charge 2 and Sense lose their service data to the scan response in noble's extended mode.
      expect(wiped.map((p) => p.address).sort()).toEqual([
        '46:e9:3e:a8:7f:19',
        'f9:7f:a1:18:5b:df',
        'fc:ac:44:bc:cf:f0',
      ]);
      for (const p of wiped) {
        const before = legacy!.final_state_per_peripheral.find((l) => l.address === p.address)!;
        const memory = new PeripheralMemory();
        const toNoble = (a: Observed['final_state_per_peripheral'][number]['advertisement']) => ({
          ...a,
          serviceData: a.serviceData.map((s) => ({ uuid: s.uuid, data: buf(s.data) })),
        });
        mapPeripheral({ ...base, address: p.address, advertisement: toNoble(before.advertisement) }, memory);
        const ad = mapPeripheral(
          { ...base, address: p.address, advertisement: toNoble(p.advertisement) },
          memory,
        );
        expect(ad.svc).toEqual(before.advertisement.serviceData.map((s) => [s.uuid, s.data]));
        expect(ad.uuids).toEqual(before.advertisement.serviceUuids.map((u) => nobleUuid(u)));
      }
    });
  },
);
