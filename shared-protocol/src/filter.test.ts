import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../test-support/fixtures.js';
import { parseUp } from './codec.js';
import {
  asciiLower,
  BLANK_CODE_POINTS,
  containsText,
  type FilterSubject,
  isEmptyFilter,
  isVisibleName,
  matchesFilter,
} from './filter.js';
import type { DeviceRecord } from './messages/device-record.js';
import type { Filter } from './messages/scan-state.js';

// Every device record in the golden down fixtures, by address.
const records = new Map<string, DeviceRecord>();
for (const f of loadFixtures().down)
  if (f.message.type === 'batch' || f.message.type === 'snapshot')
    for (const r of f.message.d ?? []) records.set(r.addr, r);
const rec = (addr: string): DeviceRecord => {
  const r = records.get(addr);
  if (!r) throw new Error(`no fixture record ${addr}`);
  return r;
};
const all = [...records.values()];

const ibeacon = rec('c4:7c:8d:6a:3e:21'); // Apple iBeacon, no name, rssi -67
const polar = rec('f8:2a:11:c0:9d:44'); // "Polar H10 8A1C2B3D", 180d, company 107, connectable, rssi -60
const bthome = rec('a4:c1:38:5e:2f:71'); // "ATC_5E2F71", service data fcd2 only
const eddystone = rec('d0:2e:ab:31:55:02'); // feaa in uuids and svc
const nordic = rec('c8:2b:96:5f:a0:1e'); // every field: mfr 89 + 76, 128-bit UUID in uuids and svc
const mac = rec('4f1c2e7a-9b3d-4e5f-8a6b-7c8d9e0f1a2b'); // opaque macOS id, "MX Master 3"
const bare: FilterSubject = { addr: '00:00:00:00:00:01', rssi: -50, conn: false };

const matching = (f: Filter) => all.filter((d) => matchesFilter(d, f)).map((d) => d.addr);

describe('matchesFilter', () => {
  it('has fixture records to work with', () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  it('matches every device with an empty filter', () => {
    expect(matching({})).toHaveLength(all.length);
    expect(matchesFilter(bare, {})).toBe(true);
  });

  describe('text', () => {
    it('matches a substring of the name, ignoring ASCII case', () => {
      expect(matchesFilter(polar, { text: 'polar' })).toBe(true);
      expect(matchesFilter(polar, { text: 'H10 8a1c' })).toBe(true);
      expect(matchesFilter(polar, { text: 'POLAR H10' })).toBe(true);
      expect(matchesFilter(polar, { text: 'garmin' })).toBe(false);
    });

    it('matches a substring of the address, ignoring case', () => {
      expect(matchesFilter(ibeacon, { text: 'c4:7c' })).toBe(true);
      expect(matchesFilter(ibeacon, { text: 'C4:7C:8D' })).toBe(true);
      expect(matchesFilter(mac, { text: '9B3D-4E5F' })).toBe(true);
      expect(matchesFilter(ibeacon, { text: 'c4:7d' })).toBe(false);
    });

    it('checks only the address of a device without a name', () => {
      expect(matchesFilter(bare, { text: '00:01' })).toBe(true);
      expect(matchesFilter(bare, { text: 'undefined' })).toBe(false);
    });

    it('does not narrow when empty', () => {
      expect(matching({ text: '' })).toHaveLength(all.length);
    });

    it('folds case in ASCII only, as documented: a name "ÄPFEL" does not match "äpfel"', () => {
      expect(matchesFilter({ ...bare, name: 'ÄPFEL' }, { text: 'äpfel' })).toBe(false);
      expect(matchesFilter({ ...bare, name: 'ÄPFEL' }, { text: 'Äpfel' })).toBe(true);
      expect(matchesFilter({ ...bare, name: 'kettle' }, { text: '\u212a' })).toBe(false);
    });
  });

  describe('minRssi', () => {
    it('keeps devices at exactly the minimum and drops one dBm below', () => {
      expect(matchesFilter({ ...bare, rssi: -70 }, { minRssi: -70 })).toBe(true);
      expect(matchesFilter({ ...bare, rssi: -71 }, { minRssi: -70 })).toBe(false);
      expect(matchesFilter({ ...bare, rssi: -127 }, { minRssi: -127 })).toBe(true);
      expect(matchesFilter({ ...bare, rssi: 20 }, { minRssi: 20 })).toBe(true);
    });

    it('filters the fixture records by their rssi', () => {
      expect(matching({ minRssi: -60 }).every((a) => rec(a).rssi >= -60)).toBe(true);
      expect(matching({ minRssi: -60 })).toContain(polar.addr);
      expect(matching({ minRssi: -60 })).not.toContain(ibeacon.addr);
    });
  });

  describe('company', () => {
    it('keeps devices with manufacturer data from the company', () => {
      const apple = matching({ company: 76 });
      expect(apple).toEqual(expect.arrayContaining([ibeacon.addr, nordic.addr]));
      expect(apple.every((a) => rec(a).mfr?.some(([c]) => c === 76))).toBe(true);
      expect(matchesFilter(polar, { company: 76 })).toBe(false);
    });

    it('drops devices without manufacturer data', () => {
      expect(matchesFilter(bare, { company: 76 })).toBe(false);
      expect(matchesFilter(eddystone, { company: 76 })).toBe(false);
    });

    it('treats company 0 as a company, not as absent', () => {
      expect(matchesFilter(bare, { company: 0 })).toBe(false);
      expect(matchesFilter({ ...bare, mfr: [[0, '']] }, { company: 0 })).toBe(true);
      expect(isEmptyFilter({ company: 0 })).toBe(false);
    });
  });

  describe('exclude', () => {
    it('hides devices with manufacturer data from any listed company', () => {
      expect(matchesFilter(ibeacon, { exclude: [76] })).toBe(false);
      expect(matchesFilter(nordic, { exclude: [89] })).toBe(false); // the first of two entries
      expect(matchesFilter(nordic, { exclude: [6, 76] })).toBe(false); // the second of two entries
      expect(matchesFilter(polar, { exclude: [76, 6] })).toBe(true);
    });

    it('keeps devices without manufacturer data and does not narrow when empty', () => {
      expect(matchesFilter(bare, { exclude: [76] })).toBe(true);
      expect(matchesFilter(eddystone, { exclude: [76] })).toBe(true);
      expect(matching({ exclude: [] })).toHaveLength(all.length);
    });

    it('wins over company when both name the same company', () => {
      expect(matchesFilter(ibeacon, { company: 76, exclude: [76] })).toBe(false);
    });
  });

  describe('service', () => {
    it('finds a UUID in the service list', () => {
      expect(matchesFilter(polar, { service: '180d' })).toBe(true);
      expect(matchesFilter(polar, { service: '180a' })).toBe(false);
    });

    it('finds a UUID that is only the key of service data', () => {
      expect(bthome.uuids).toBeUndefined();
      expect(matchesFilter(bthome, { service: 'fcd2' })).toBe(true);
      expect(matchesFilter({ ...bare, svc: [['feaa', '00']] }, { service: 'feaa' })).toBe(true);
      expect(matchesFilter(eddystone, { service: 'feaa' })).toBe(true);
    });

    it('accepts the 16-bit UUID in its 4-digit, 8-digit, 128-bit and upper-case forms', () => {
      for (const service of ['180d', '180D', '0000180d', '0000180D', '0000180d-0000-1000-8000-00805f9b34fb'])
        expect(matchesFilter(polar, { service }), service).toBe(true);
      expect(matchesFilter(polar, { service: '0000180d-0000-1000-8000-00805F9B34FB' })).toBe(true);
      expect(matchesFilter({ ...bare, uuids: ['0000180d'] }, { service: '180d' })).toBe(true);
    });

    it('matches a vendor 128-bit UUID with or without dashes, in any case', () => {
      for (const service of [
        '6e400001-b5a3-f393-e0a9-e50e24dcca9e',
        '6E400001-B5A3-F393-E0A9-E50E24DCCA9E',
        '6e400001b5a3f393e0a9e50e24dcca9e',
      ])
        expect(matchesFilter(nordic, { service }), service).toBe(true);
      expect(matchesFilter(nordic, { service: '6e400002-b5a3-f393-e0a9-e50e24dcca9e' })).toBe(false);
      expect(matchesFilter(polar, { service: '6e400001' })).toBe(false); // 32-bit on the SIG base, not the vendor UUID
    });

    it('drops devices without services and matches nothing for a service it cannot read', () => {
      expect(matchesFilter(bare, { service: '180d' })).toBe(false);
      expect(matchesFilter(ibeacon, { service: 'feaa' })).toBe(false);
      expect(matching({ service: '----' })).toEqual([]);
      expect(matching({ service: '12345' })).toEqual([]);
    });

    it('refuses (in filterSchema) a service that normalizeUuid cannot read, e.g. "12345" or "----"', () => {
      for (const service of ['12345', '----', '180d-'])
        expect(parseUp(JSON.stringify({ type: 'filter', filter: { service } }))).toMatchObject({
          ok: false,
          code: 'invalid-field',
        });
      expect(parseUp(JSON.stringify({ type: 'filter', filter: { service: '180D' } })).ok).toBe(true);
    });
  });

  describe('connectable and named', () => {
    it('keeps only connectable devices when connectable is true', () => {
      expect(matchesFilter(polar, { connectable: true })).toBe(true);
      expect(matchesFilter(ibeacon, { connectable: true })).toBe(false);
      expect(matching({ connectable: true }).every((a) => rec(a).conn)).toBe(true);
    });

    it('keeps only devices with a name that shows when named is true', () => {
      expect(matchesFilter(polar, { named: true })).toBe(true);
      expect(matchesFilter(ibeacon, { named: true })).toBe(false);
      expect(matchesFilter({ ...bare, name: '' }, { named: true })).toBe(false);
      expect(matchesFilter({ ...bare, name: ' ' }, { named: true })).toBe(false);
      expect(matchesFilter({ ...bare, name: '\u3164\u3164' }, { named: true })).toBe(false);
      expect(matchesFilter({ ...bare, name: '\u3164x' }, { named: true })).toBe(true);
    });

    it('does not narrow when false', () => {
      expect(matching({ connectable: false, named: false })).toHaveLength(all.length);
    });
  });

  describe('combinations', () => {
    const every: Filter = {
      text: 'polar',
      minRssi: -80,
      company: 107,
      service: '180d',
      connectable: true,
      named: true,
      exclude: [76, 6],
    };

    it('keeps a device only when every present rule holds', () => {
      expect(matching(every)).toEqual([polar.addr]);
    });

    it('drops the device when any single rule fails', () => {
      const failing: Filter[] = [
        { ...every, text: 'garmin' },
        { ...every, minRssi: -59 },
        { ...every, company: 76 },
        { ...every, service: 'fe2c' },
        { ...every, exclude: [107] },
      ];
      for (const f of failing) expect(matchesFilter(polar, f), JSON.stringify(f)).toBe(false);
      expect(matchesFilter({ ...polar, conn: false }, every)).toBe(false);
      expect(matchesFilter({ ...polar, name: '' }, every)).toBe(false);
    });

    it('uses the filter of the all-fields fixture on its intended device', () => {
      const f = loadFixtures().up.find((x) => x.name === 'filter-all-fields')?.message;
      expect(f?.type).toBe('filter');
      if (f?.type === 'filter') expect(matching(f.filter)).toEqual([polar.addr]);
    });
  });
});

describe('containsText (the one text folding, also used by the page)', () => {
  it('folds A-Z only and matches a substring', () => {
    expect(asciiLower('AbC-ÄÉ\u212a')).toBe('abc-ÄÉ\u212a');
    expect(containsText('Polar H10', 'h10')).toBe(true);
    expect(containsText('CAFÉ', 'café')).toBe(false);
    expect(containsText(undefined, '')).toBe(false);
    expect(containsText('', '')).toBe(false);
    expect(containsText('x', '')).toBe(true);
  });
});

describe('isEmptyFilter', () => {
  it('is true for fields that narrow nothing', () => {
    expect(isEmptyFilter({})).toBe(true);
    expect(isEmptyFilter({ text: '', connectable: false, named: false, exclude: [] })).toBe(true);
  });

  it('is false as soon as one field narrows', () => {
    const narrowing: Filter[] = [
      { text: 'a' },
      { minRssi: -127 },
      { company: 0 },
      { service: '180d' },
      { connectable: true },
      { named: true },
      { exclude: [76] },
    ];
    for (const f of narrowing) expect(isEmptyFilter(f), JSON.stringify(f)).toBe(false);
  });

  it('agrees with matchesFilter: an empty filter matches every fixture record', () => {
    for (const f of [{}, { text: '', connectable: false, named: false, exclude: [] }] as Filter[]) {
      expect(isEmptyFilter(f)).toBe(true);
      expect(matching(f)).toHaveLength(all.length);
    }
  });
});

describe('isVisibleName', () => {
  const blank = [
    '\u3164', // HANGUL FILLER
    '\u00ad', // soft hyphen
    '\u180e', // Mongolian vowel separator
    '\u034f', // combining grapheme joiner
    '\u206a\u206b\u206c\u206d\u206e\u206f', // deprecated format characters
    '\u{e0041}\u{e0042}\u{e007f}\u{e0000}', // tag characters
    '\u200b\u200c\u200d', // zero-width space, non-joiner, joiner
    '\u2060\u2061\u2062\u2063\u2064', // word joiner, invisible operators
    '\ufeff', // BOM
    '\u115f\u1160\uffa0', // Hangul fillers
    '\ufe0f\ufe00\u{e0100}\u{e01ef}', // variation selectors
    '\u202e\u202a\u2066\u2069\u200e\u200f\u061c', // bidi controls
    ' \t\n\r\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000', // whitespace
    '\u0000\u001b\u007f\u0085\u009f', // controls
    '\u2800', // braille pattern blank: an empty cell
  ];
  it.each(blank)('counts %j as no name', (name) => {
    expect(isVisibleName(name)).toBe(false);
    expect(passesNamedOf(name)).toBe(false);
  });

  it.each(['A', ' x ', '\u3164\u3164.', 'Ünïcödé', 'שלום', '漢字', '😀', '\u2764\ufe0f', '\u0301', '\ud800'])(
    'counts %j as a name',
    (name) => {
      expect(isVisibleName(name)).toBe(true);
      expect(passesNamedOf(name)).toBe(true);
    },
  );

  it('counts a missing or empty name as no name', () => {
    expect(isVisibleName(undefined)).toBe(false);
    expect(isVisibleName('')).toBe(false);
  });

  it('shows nothing of BLANK_CODE_POINTS and everything else, code point by code point', () => {
    // The list is what firmware copies; this checks it against the Unicode properties of this engine (a
    // newer Unicode version that assigns more format characters fails here: extend the list and the docs).
    const blank = new Set<number>();
    for (const r of BLANK_CODE_POINTS.split(' ')) {
      const [a, b = a] = r.split('-').map((h) => Number.parseInt(h, 16));
      for (let c = a!; c <= b!; c++) blank.add(c);
    }
    const wrong: string[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c === 0xd800) c = 0xe000; // surrogates are not characters
      if (isVisibleName(String.fromCodePoint(c)) === blank.has(c)) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
    expect(blank.size).toBeGreaterThan(4000);
  });

  it('is listed in docs/protocol.md as it is here', () => {
    const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    expect(doc.replace(/\s+/g, ' ')).toContain(BLANK_CODE_POINTS);
  });
});

const passesNamedOf = (name: string) => matchesFilter({ ...bare, name }, { named: true });
