import { missingSharedData, readSharedJson, requireSharedData } from '@bleshark/shared-protocol/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { advertProblems, describeSourceContract } from '../../test/source-contract.js';
import { HciReplaySource } from './hci-replay-source.js';
import type { Advertisement, ScanParams } from './scan-source.js';

const PARAMS: ScanParams = { mode: 'active', interval: 100, window: 50, duplicates: true };

type TsharkReport = {
  frame: number;
  event_type: string[];
  address_type: string[];
  address: string[];
  rssi: string[];
  local_name: string[] | null;
  ad_tx_power: string[] | null;
  company_id: string[] | null;
  manufacturer_payload_after_company_id: string[] | null;
  uuid16: string[] | null;
  service_data_payload: string[] | null;
};
type ObservedPeripheral = {
  address: string;
  connectable: boolean | number;
  rssi: number;
  advertisement: {
    localName?: string;
    txPowerLevel?: number;
    manufacturerData?: string;
    serviceUuids: string[];
    serviceData: { uuid: string; data: string }[];
  };
};
type Observed = {
  discover_event_sequence: ObservedPeripheral[];
  final_state_per_peripheral: ObservedPeripheral[];
};

/** Plays a capture to its end through the real noble and returns every advert, in order. */
export async function replayAll(file: string): Promise<Advertisement[]> {
  const source = new HciReplaySource({ file, speed: 0 });
  const got: Advertisement[] = [];
  source.on('advert', (ad) => got.push(ad));
  const ended = new Promise<void>((resolve) => source.once('end', resolve));
  await source.start(PARAMS);
  await ended;
  await source.close();
  return got;
}

const EXPOSURE_NOTIFICATION = '3d:3b:f6:80:0e:92';
const last = (ads: Advertisement[]) => new Map(ads.map((a) => [a.addr, a]));
const scanResponse = (r: TsharkReport) =>
  (Number.parseInt(r.event_type[0]!, 16) & 0x0c) === (r.event_type[0]!.length > 4 ? 0x08 : 0x04);

/** What tshark decoded for one address: the fields a discovery must agree with. */
function expected(reports: TsharkReport[], addr: string) {
  const mine = reports.filter((r) => r.address[0] === addr);
  const adv = mine.filter((r) => !scanResponse(r));
  const lastAdv = adv[adv.length - 1];
  return {
    addrType: mine[0]!.address_type[0] === '0x00' ? 'public' : 'random',
    rssis: mine.map((r) => Number(r.rssi[0])),
    name: mine.flatMap((r) => r.local_name ?? []).pop(),
    tx: mine
      .flatMap((r) => r.ad_tx_power ?? [])
      .map(Number)
      .pop(),
    mfr: (lastAdv?.company_id ?? []).map((c, i) => {
      const payload = lastAdv!.manufacturer_payload_after_company_id![i]!;
      return [Number.parseInt(c, 16), payload === '<MISSING>' ? '' : payload];
    }),
    uuid16: [...new Set(mine.flatMap((r) => r.uuid16 ?? []).map((u) => u.slice(2)))].sort(),
    svc: lastAdv?.service_data_payload ?? [],
  };
}

const VARIANTS = [
  [
    'H4 stream',
    'hci/bumble_hci_data_001.h4.bin',
    'hci/bumble_hci_data_001.expected.tshark.json',
    'hci/bumble_hci_data_001.observed.noble-1.9.2-26.json',
  ],
  [
    'btsnoop',
    'hci/bumble_hci_data_001.le_adv_reports.btsnoop',
    'hci/bumble_hci_data_001.expected.tshark.json',
    'hci/bumble_hci_data_001.observed.noble-1.9.2-26.json',
  ],
  [
    'extended btsnoop',
    'hci/bumble_hci_data_001.as_ext_adv_reports.btsnoop',
    'hci/bumble_hci_data_001.as_ext_adv_reports.expected.tshark.json',
    'hci/bumble_hci_data_001.as_ext_adv_reports.observed.noble-1.9.2-26.extended.json',
  ],
  [
    'extended H4',
    'hci/bumble_hci_data_001.as_ext_adv_reports.h4.bin',
    'hci/bumble_hci_data_001.as_ext_adv_reports.expected.tshark.json',
    'hci/bumble_hci_data_001.as_ext_adv_reports.observed.noble-1.9.2-26.extended.json',
  ],
] as const;

for (const [label, rel, tsharkRel, observedRel] of VARIANTS) {
  const file = requireSharedData(rel);
  const tshark = readSharedJson<{ reports: TsharkReport[] }>(tsharkRel);
  const observed = readSharedJson<Observed>(observedRel);
  const ready = file && tshark && observed;
  describe.skipIf(!ready)(
    ready ? `hci-replay of the real ${label} capture through noble` : missingSharedData(rel),
    () => {
      let ads: Advertisement[];
      beforeAll(async () => {
        ads = await replayAll(file!);
      });

      it("emits valid adverts in the same order and with the same RSSI as noble's own discover events", () => {
        for (const ad of ads) expect(advertProblems(ad), JSON.stringify(ad)).toBe('');
        expect(ads.map((a) => [a.addr, a.rssi, a.conn])).toEqual(
          observed!.discover_event_sequence.map((p) => [p.address, p.rssi, Boolean(p.connectable)]),
        );
      });

      it('agrees with tshark on address, type, RSSI, name, TX power, manufacturer data, UUIDs and service data', () => {
        const devices = last(ads);
        expect(devices.size).toBe(14);
        for (const [addr, ad] of devices) {
          const want = expected(tshark!.reports, addr);
          expect(ad.addrType, addr).toBe(want.addrType);
          expect(want.rssis, addr).toContain(ad.rssi);
          expect(ad.name, addr).toBe(want.name);
          expect(ad.tx, addr).toBe(want.tx);
          expect(ad.mfr ?? [], addr).toEqual(want.mfr);
          const ours16 = [
            ...new Set(
              [...(ad.uuids ?? []), ...(ad.svc ?? []).map(([u]) => u)].filter((u) => u.length === 4),
            ),
          ].sort();
          expect(ours16, addr).toEqual(want.uuid16);
          if (addr === EXPOSURE_NOTIFICATION) continue; // tshark gap, checked below
          expect(
            (ad.svc ?? []).map(([, d]) => d),
            addr,
          ).toEqual(want.svc);
        }
      });

      it('carries Exposure Notification service data, which tshark dissects itself and leaves out of service_data', () => {
        const want = expected(tshark!.reports, EXPOSURE_NOTIFICATION);
        expect(want.uuid16).toEqual(['fd6f']);
        expect(want.svc).toEqual([]);
        const noble = observed!.final_state_per_peripheral.find((p) => p.address === EXPOSURE_NOTIFICATION)!;
        const ours = last(ads).get(EXPOSURE_NOTIFICATION)!;
        expect(ours.svc).toEqual(noble.advertisement.serviceData.map((d) => [d.uuid, d.data]));
        expect(ours.adv).toContain(ours.svc![0]![1]);
      });

      it('matches the (addr, rssi) of reports in capture order: every advert is a report noble acted on', () => {
        const reports = tshark!.reports.map((r) => `${r.address[0]} ${r.rssi[0]}`);
        let i = 0;
        for (const ad of ads) {
          while (i < reports.length && reports[i] !== `${ad.addr} ${ad.rssi}`) i++;
          expect(i, `${ad.addr} ${ad.rssi}`).toBeLessThan(reports.length);
        }
      });

      it('noble drops fc:f1:36:c2:61:d4 (one ADV_IND, no scan response, never seen twice): 14 of 15 devices', () => {
        const all = new Set(tshark!.reports.map((r) => r.address[0]));
        expect(all.size).toBe(15);
        expect(all.has('fc:f1:36:c2:61:d4')).toBe(true);
        expect(ads.some((a) => a.addr === 'fc:f1:36:c2:61:d4')).toBe(false);
        expect(observed!.final_state_per_peripheral.some((p) => p.address === 'fc:f1:36:c2:61:d4')).toBe(
          false,
        );
      });

      it('noble keeps the RSSI of the scan response for Charge 2; its later ADV_IND (-29) is not reported', () => {
        const charge = last(ads).get('fc:ac:44:bc:cf:f0')!;
        expect(charge.rssi).toBe(-31);
        expect(expected(tshark!.reports, 'fc:ac:44:bc:cf:f0').rssis.at(-1)).toBe(-29);
      });

      it('carries the 128-bit UUIDs noble reports undashed in the dashed wire form (tshark leaves uuid128 empty)', () => {
        const sense = observed!.final_state_per_peripheral.find((p) => p.address === 'f9:7f:a1:18:5b:df')!;
        const ours = last(ads).get('f9:7f:a1:18:5b:df')!;
        expect(ours.uuids).toContain('abbaff00-e56a-484c-b832-8b17cf6cbfe8');
        if (sense.advertisement.serviceUuids.length)
          expect(sense.advertisement.serviceUuids).toEqual(['abbaff00e56a484cb8328b17cf6cbfe8']);
        expect(ours.adv).toMatch(/^0201061106e8bf6ccf/);
      });

      it('maps STANMORE II manufacturer data with an empty payload (company 0x0413 only)', () => {
        expect(last(ads).get('54:b7:e5:49:8c:ac')!.mfr).toEqual([[0x0413, '']]);
      });

      if (label.startsWith('extended')) {
        it('extended: noble wipes service data and UUIDs on the scan response; the merge keeps them', () => {
          for (const addr of [
            '46:e9:3e:a8:7f:19',
            'fc:ac:44:bc:cf:f0',
            'f9:7f:a1:18:5b:df',
            '54:b7:e5:49:8c:ac',
          ]) {
            const noble = observed!.final_state_per_peripheral.find((p) => p.address === addr)!;
            expect(noble.advertisement.serviceUuids, addr).toEqual([]);
            expect(noble.advertisement.serviceData, addr).toEqual([]);
            const ours = last(ads).get(addr)!;
            expect(ours.uuids?.length, addr).toBeGreaterThan(0);
          }
          expect(last(ads).get('46:e9:3e:a8:7f:19')!.svc).toEqual([['fea0', '03fa8fca3581356b2020203eff']]);
        });

        it('extended: noble reports txPowerLevel 127 and connectable 1/0; we leave tx out and use booleans', () => {
          const noble = observed!.final_state_per_peripheral.find((p) => p.address === 'f0:18:98:aa:9e:48')!;
          expect(noble.advertisement.txPowerLevel).toBe(127);
          expect(noble.connectable).toBe(1);
          const ours = last(ads).get('f0:18:98:aa:9e:48')!;
          expect(ours.tx).toBeUndefined();
          expect(ours.conn).toBe(true);
          expect(last(ads).get('1d:94:c3:c4:0e:53')!.conn).toBe(false);
        });
      }
    },
  );
}

const btsnoop = requireSharedData(VARIANTS[1][1]);
describeSourceContract(
  'hci-replay',
  async () => new HciReplaySource({ file: btsnoop ?? '/nonexistent', speed: 0, loop: true }),
  {
    failures: [
      {
        what: 'the capture does not exist',
        make: async () => new HciReplaySource({ file: '/nonexistent/x.btsnoop' }),
        code: 'no-file',
        message: /does not exist/,
      },
    ],
  },
);
