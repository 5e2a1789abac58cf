// biome-ignore-all lint/complexity/useSimpleNumberKeys: company ids read as in the SIG registry (hex)
import { normalizeUuid } from './uuid.js';

/** Common Bluetooth SIG company identifiers (the full list can be added with addNames). */
const COMPANIES: Record<number, string> = {
  0x0002: 'Intel',
  0x0006: 'Microsoft',
  0x000a: 'Qualcomm (QTIL)',
  0x000d: 'Texas Instruments',
  0x000f: 'Broadcom',
  0x001d: 'Qualcomm',
  0x0030: 'ST Microelectronics',
  0x004c: 'Apple',
  0x0055: 'Plantronics',
  0x0057: 'Harman',
  0x0059: 'Nordic Semiconductor',
  0x005d: 'Realtek',
  0x0065: 'HP',
  0x0067: 'GN Hearing',
  0x006b: 'Polar',
  0x0075: 'Samsung',
  0x0087: 'Garmin',
  0x009e: 'Bose',
  0x00c4: 'LG Electronics',
  0x00cc: 'Beats',
  0x00e0: 'Google',
  0x0103: 'Bang & Olufsen',
  0x0118: 'Radius Networks',
  0x012d: 'Sony',
  0x0131: 'Cypress',
  0x0157: 'Huami (Amazfit)',
  0x0171: 'Amazon',
  0x01ab: 'Meta',
  0x01da: 'Logitech',
  0x0211: 'Telink',
  0x022b: 'Tesla',
  0x027d: 'Huawei',
  0x02c5: 'Lenovo',
  0x02e5: 'Espressif',
  0x02ff: 'Silicon Labs',
  0x038f: 'Xiaomi',
  0x03ff: 'Withings',
  0x0494: 'Sennheiser',
  0x0499: 'Ruuvi',
  0x0553: 'Nintendo',
  0x05a7: 'Sonos',
  0x067c: 'Tile',
  0x072f: 'OnePlus',
  0x079a: 'Oppo',
  0x0822: 'Adafruit',
  0x0837: 'vivo',
  0x08c3: 'Chipolo',
  0x0969: 'Woan (SwitchBot)',
  0x0ba9: 'Allterco (Shelly)',
  0x0ccb: 'Nothing',
};

/** Common 16-bit service UUIDs: SIG services and member services seen in scans. */
const SERVICES: Record<string, string> = {
  '1800': 'Generic Access',
  '1801': 'Generic Attribute',
  '1802': 'Immediate Alert',
  '1803': 'Link Loss',
  '1804': 'Tx Power',
  '1809': 'Health Thermometer',
  '180a': 'Device Information',
  '180d': 'Heart Rate',
  '180f': 'Battery',
  '1810': 'Blood Pressure',
  '1812': 'HID',
  '1816': 'Cycling Speed and Cadence',
  '1818': 'Cycling Power',
  '181a': 'Environmental Sensing',
  '181c': 'User Data',
  '181d': 'Weight Scale',
  '1826': 'Fitness Machine',
  '1827': 'Mesh Provisioning',
  '1828': 'Mesh Proxy',
  '184e': 'Audio Stream Control',
  fcd2: 'BTHome',
  fd3d: 'SwitchBot',
  fd44: 'Find My',
  fd59: 'SmartTag',
  fd5a: 'SmartTag',
  fd6f: 'Exposure Notification',
  fe0f: 'Signify (Hue)',
  fe2c: 'Fast Pair',
  fe59: 'Nordic DFU',
  fe95: 'Xiaomi',
  fe9f: 'Google',
  fea0: 'Google',
  feaa: 'Eddystone',
  feec: 'Tile',
  feed: 'Tile',
};

export const companyName = (id: number): string | undefined => COMPANIES[id];

export function serviceName(uuid: string): string | undefined {
  const u = normalizeUuid(uuid);
  return u === undefined ? undefined : SERVICES[u];
}

/** Extends the built-in tables at run time (for example with a lazily fetched full list). */
export function addNames(companies: Record<number, string>, services: Record<string, string>): void {
  Object.assign(COMPANIES, companies);
  for (const [k, v] of Object.entries(services)) {
    const u = normalizeUuid(k);
    if (u !== undefined) SERVICES[u] = v;
  }
}
