// The kinds of device in the demo crowd and the advertising data each one sends, built AD structure by
// AD structure. Payload layouts follow the public descriptions of each format (Apple Continuity, Find My,
// iBeacon, Eddystone, Microsoft CDP, Fast Pair, BTHome v2, Tile, SmartTag, Exposure Notification).

import {
  type AdPart,
  be16,
  be32,
  completeName,
  flags,
  le16,
  mfrData,
  svcData16,
  txPower,
  uuid16List,
  uuid128List,
} from './ad-builder.js';

const utf8 = new TextEncoder();
const hex4 = (b: Uint8Array, o: number): string =>
  (((b[o]! << 8) | b[o + 1]!) >>> 0).toString(16).toUpperCase().padStart(4, '0');

const APPLE = 0x004c;
const MICROSOFT = 0x0006;

/** A device of the crowd as the kinds see it; the scene owns and updates it. */
export type DemoDevice = {
  /** Position in the scene (stable). */
  readonly index: number;
  readonly kind: Kind;
  /** Which name / model / hostile string this device uses. */
  readonly variant: number;
  /** 32 bytes of identity for the current address epoch (address, keys, auth tags derive from it). */
  id: Uint8Array;
  /** Advertisements sent so far. */
  count: number;
  /** Scene time in seconds when this advertisement is sent. */
  sec: number;
  /** Sensor state (BTHome, Eddystone TLM): degrees C, % RH, battery %. */
  temp: number;
  hum: number;
  batt: number;
  /** Increments whenever the sensor values change. */
  measurement: number;
};

export type AddressKind = 'public' | 'static' | 'rpa' | 'nrpa';

export type Kind = {
  readonly kind: string;
  readonly addr: AddressKind;
  /** The address (and the identity bytes) change every ~15 minutes of scene time. */
  readonly rotate: boolean;
  readonly conn: boolean;
  /** Carried by people: arrives, stays a while, walks away. */
  readonly mobile: boolean;
  /** Relative advertising rate, 0..1 (1 = the busiest advertisers). */
  readonly rate: number;
  /** RSSI at one metre, dBm. */
  readonly power: number;
  build(d: DemoDevice): { adv: AdPart[]; rsp?: AdPart[] };
};

/** Names that try to break a page: HTML, script, bidi override, control characters, a 248-byte name. */
export const HOSTILE_NAMES: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'Invoice\u202Efdp.exe',
  'nul\u0000byte',
  '\u001b[31mRED\u001b[0m',
  'bell\u0007\u0007',
  longName(248),
];

/** A name of exactly `bytes` UTF-8 bytes, with some multi-byte characters in it. */
function longName(bytes: number): string {
  let s = 'Ünïcödé long name ';
  while (utf8.encode(s).length < bytes - 10) s += 'and more ';
  while (utf8.encode(s).length < bytes) s += '.';
  return s;
}

const NAMES = [
  'Galaxy Watch5 (#)',
  'Mi Smart Band 7',
  'LE-Bose QC35 II',
  'Fitbit Charge 5',
  '[TV] Samsung Q70 Series',
  'JBL Flip 6',
  'Forerunner 255',
  'Govee_H6163_#',
  'Pro Controller',
  'WH-1000XM4',
  'Echo Dot-#',
  'Kitchen speaker',
];
const NAMED_COMPANIES = [0x0075, 0x0157, 0x009e, 0x0087, 0x0501, 0x012d, 0x0171, 0x00e0];
const UNNAMED_COMPANIES = [0x0059, 0x0075, 0x00e0, 0x038f, 0x0006, 0x02e5, 0x0822];
const FAST_PAIR = [
  ['Pixel Buds Pro', [0x71, 0x7f, 0x41]],
  ['WH-1000XM5', [0xd4, 0x46, 0xa7]],
  ['JBL Live 660NC', [0x46, 0x1b, 0xd3]],
] as const;

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
const slice = (b: Uint8Array, from: number, to: number): Uint8Array => b.subarray(from, to);

/** Nearby Info: activity in the low nibble of the first byte, changing every minute or so. */
function nearbyInfo(d: DemoDevice): number[] {
  const activity = pick([3, 7, 11, 5, 13, 7, 14, 1], Math.floor(d.sec / 70) + d.variant);
  return [0x10, 0x05, 0x10 | activity, 0x18, ...slice(d.id, 6, 9)];
}

function build(kind: string, addr: AddressKind, o: Omit<Kind, 'kind' | 'addr'>): Kind {
  return { kind, addr, ...o };
}

/** Every kind of device the crowd draws from, by name. */
export const KINDS = {
  iphone: build('iphone', 'rpa', {
    rotate: true,
    conn: true,
    mobile: true,
    rate: 0.7,
    power: -50,
    build: (d) => ({ adv: [flags(0x1a), mfrData(APPLE, nearbyInfo(d)), txPower(12)] }),
  }),
  macbook: build('macbook', 'rpa', {
    rotate: true,
    conn: true,
    mobile: false,
    rate: 0.5,
    power: -55,
    build: (d) => ({
      adv: [
        flags(0x1a),
        mfrData(APPLE, [
          0x0c,
          0x0e,
          0x00,
          ...be16(Math.floor(d.sec / 40)),
          ...slice(d.id, 9, 20),
          ...nearbyInfo(d),
        ]),
      ],
    }),
  }),
  airpods: build('airpods', 'rpa', {
    rotate: true,
    conn: true,
    mobile: true,
    rate: 0.5,
    power: -60,
    build: (d) => {
      const pods = Math.max(1, Math.round(d.batt / 10));
      const payload = [
        0x01,
        0x0e,
        0x20,
        0x2b,
        (pods << 4) | pods,
        0x18,
        0x31,
        0x00,
        0x00,
        ...slice(d.id, 8, 24),
      ];
      return { adv: [mfrData(APPLE, [0x07, payload.length, ...payload])] };
    },
  }),
  airtag: build('airtag', 'static', {
    rotate: false,
    conn: false,
    mobile: false,
    rate: 0.25,
    power: -62,
    build: (d) => ({ adv: [mfrData(APPLE, [0x12, 0x19, 0x10, ...slice(d.id, 6, 28), d.id[0]! >> 6, 0x00])] }),
  }),
  ibeacon: build('ibeacon', 'public', {
    rotate: false,
    conn: false,
    mobile: false,
    rate: 0.8,
    power: -59,
    build: (d) => ({
      adv: [
        flags(0x06),
        mfrData(APPLE, [0x02, 0x15, ...slice(d.id, 8, 24), ...be16(100), ...be16(d.index), 0xc5]),
      ],
    }),
  }),
  'eddystone-uid': build('eddystone-uid', 'static', {
    rotate: false,
    conn: false,
    mobile: false,
    rate: 0.8,
    power: -58,
    build: (d) => ({
      adv: [flags(0x06), uuid16List(0xfeaa), svcData16(0xfeaa, [0x00, 0xee, ...slice(d.id, 8, 24), 0, 0])],
    }),
  }),
  'eddystone-url': build('eddystone-url', 'static', {
    rotate: false,
    conn: false,
    mobile: false,
    rate: 0.6,
    power: -58,
    build: () => ({
      adv: [
        flags(0x06),
        uuid16List(0xfeaa),
        svcData16(0xfeaa, [0x10, 0xee, 0x03, ...utf8.encode('example'), 0x00, ...utf8.encode('demo')]),
      ],
    }),
  }),
  'eddystone-tlm': build('eddystone-tlm', 'static', {
    rotate: false,
    conn: false,
    mobile: false,
    rate: 0.4,
    power: -60,
    build: (d) => {
      const mv = 2600 + Math.round(d.batt * 4);
      const temp = Math.round(d.temp * 256) & 0xffff;
      return {
        adv: [
          flags(0x06),
          uuid16List(0xfeaa),
          svcData16(0xfeaa, [
            0x20,
            0x00,
            ...be16(mv),
            ...be16(temp),
            ...be32(d.count),
            ...be32(Math.floor(d.sec * 10)),
          ]),
        ],
      };
    },
  }),
  windows: build('windows', 'nrpa', {
    rotate: true,
    conn: false,
    mobile: false,
    rate: 0.3,
    power: -56,
    build: (d) => ({ adv: [mfrData(MICROSOFT, [0x01, 0x09, 0x20, 0x02, ...slice(d.id, 6, 26)])] }),
  }),
  'fast-pair': build('fast-pair', 'rpa', {
    rotate: true,
    conn: true,
    mobile: true,
    rate: 0.4,
    power: -58,
    build: (d) => {
      const [name, model] = pick(FAST_PAIR, d.variant);
      return { adv: [flags(0x06), svcData16(0xfe2c, model), txPower(-10)], rsp: [completeName(name)] };
    },
  }),
  bthome: build('bthome', 'public', {
    rotate: false,
    conn: false,
    mobile: false,
    rate: 0.2,
    power: -64,
    build: (d) => {
      const t = Math.round(d.temp * 100) & 0xffff;
      const h = Math.round(d.hum * 100);
      const objects = [
        0x00,
        d.measurement & 255,
        0x01,
        Math.round(d.batt),
        0x02,
        ...le16(t),
        0x03,
        ...le16(h),
      ];
      return {
        adv: [
          flags(0x06),
          svcData16(0xfcd2, [0x40, ...objects]),
          completeName(`ATC_${hex4(d.id, 3)}${hex4(d.id, 4).slice(2)}`),
        ],
      };
    },
  }),
  tile: build('tile', 'static', {
    rotate: false,
    conn: true,
    mobile: false,
    rate: 0.3,
    power: -62,
    build: (d) => ({
      adv: [flags(0x06), uuid16List(0xfeed), svcData16(0xfeed, [0x02, 0x00, ...slice(d.id, 8, 16)])],
    }),
  }),
  smarttag: build('smarttag', 'rpa', {
    rotate: true,
    conn: false,
    mobile: false,
    rate: 0.3,
    power: -63,
    build: (d) => {
      const age = Math.floor(d.sec / 900);
      return {
        adv: [flags(0x06), svcData16(0xfd5a, [0x21, age & 255, (age >> 8) & 255, 0, ...slice(d.id, 8, 22)])],
      };
    },
  }),
  exposure: build('exposure', 'nrpa', {
    rotate: true,
    conn: false,
    mobile: true,
    rate: 0.3,
    power: -55,
    build: (d) => ({ adv: [flags(0x1a), uuid16List(0xfd6f), svcData16(0xfd6f, slice(d.id, 6, 26))] }),
  }),
  'heart-rate': build('heart-rate', 'public', {
    rotate: false,
    conn: true,
    mobile: true,
    rate: 0.6,
    power: -55,
    build: (d) => ({
      adv: [
        flags(0x06),
        uuid16List(0x180d, 0x180f),
        completeName(`Polar H10 ${hex4(d.id, 2)}${hex4(d.id, 4)}`),
      ],
      rsp: [txPower(4)],
    }),
  }),
  named: build('named', 'rpa', {
    rotate: true,
    conn: true,
    mobile: true,
    rate: 0.4,
    power: -58,
    build: (d) => {
      const name = pick(NAMES, d.variant).replace('#', hex4(d.id, 10));
      const adv: AdPart[] = [flags(0x06), mfrData(pick(NAMED_COMPANIES, d.variant), slice(d.id, 12, 18))];
      if (d.variant % 3 === 0) adv.push(uuid128List(slice(d.id, 16, 32)));
      const n = completeName(name);
      const room = 31 - adv.reduce((sum, [, data]) => sum + data.length + 2, 0);
      // Odd variants put the name in the advertising data when it fits, the rest in the scan response.
      return d.variant % 2 && n[1].length + 2 <= room ? { adv: [...adv, n] } : { adv, rsp: [n, txPower(0)] };
    },
  }),
  unnamed: build('unnamed', 'nrpa', {
    rotate: true,
    conn: false,
    mobile: true,
    rate: 0.35,
    power: -62,
    build: (d) => ({
      adv: [flags(0x1a), mfrData(pick(UNNAMED_COMPANIES, d.variant), slice(d.id, 10, 12 + (d.variant % 10)))],
    }),
  }),
  hostile: build('hostile', 'rpa', {
    rotate: false,
    conn: true,
    mobile: false,
    rate: 0.2,
    power: -57,
    build: (d) => {
      const name = completeName(pick(HOSTILE_NAMES, d.variant));
      const len = name[1].length + 2;
      if (len + 3 <= 31) return { adv: [flags(0x06), name] };
      if (len <= 31) return { adv: [name] };
      return { adv: [flags(0x06), uuid16List(0x180f)], rsp: [name] };
    },
  }),
} as const satisfies Record<string, Kind>;

export type KindName = keyof typeof KINDS;
