import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ad from './index.js';
import { classify, decodeAll, fromHex, parseAdStructures, parseAdvertisement, toHex } from './index.js';

/** An AD blob from type+data hex strings, each given its length byte. */
const blobOf = (...structs: string[]) =>
  structs.map((x) => (x.length / 2).toString(16).padStart(2, '0') + x).join('');

/** Valid payloads of every decoded kind, as whole AD blobs, for mutation. */
const SEEDS = [
  blobOf('0106', 'ff4c000215d546df97475747efbe093e2dcbdd0c771536cdc9b5'),
  blobOf('039ffe', `169ffe${'00'.repeat(20)}`),
  blobOf('16aafe10eb016578616d706c650078', '16aafe20000bb8188000000064000004d2'),
  blobOf(
    '16aafe00e70102030405060708090aa1a2a3a4a5a60000',
    `ff4c001219 10${'00'.repeat(24)}`.replace(' ', ''),
  ),
  blobOf('16d2fc4002ca0903bf130f01', '16d2fc44530248695402abcd3a04'),
  blobOf('162cfef52494', 'ff06000300804d6f757365'),
  blobOf(`ff4c0007190102202b980a010000${'00'.repeat(16)}`),
  blobOf('03edfe', '16ecfe0102', '165afd1a0102031122334455667788000000aabbccdd'),
  blobOf(`166ffd${'00'.repeat(20)}`, '094e616d65c0ffeeed', '0841'),
];

/** A valid blob with a few bytes overwritten, dropped, inserted or cut off. */
const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS.map((h) => fromHex(h)!)),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 })), {
      maxLength: 4,
    }),
  )
  .map(([seed, edits]) => {
    const b = Array.from(seed);
    for (const [at, v, op] of edits) {
      const i = at % (b.length + 1);
      if (op === 0) b[i] = v;
      else if (op === 1) b.splice(i, 1);
      else if (op === 2) b.splice(i, 0, v);
      else b.length = i;
    }
    return Uint8Array.from(b);
  });

const blob = fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated);
const RUNS = { seed: 20240611, numRuns: 2000 };

describe('ad module', () => {
  it('exports the public API', () => {
    expect(Object.keys(ad).sort()).toEqual(
      [
        'classify',
        'advertFieldSchemas',
        'clampTo',
        'isRealAddress',
        'MAC_ADDRESS',
        'patternOf',
        'required',
        'companyName',
        'decodeAll',
        'decodeUtf8',
        'fromHex',
        'normalizeUuid',
        'parseAdStructures',
        'parseAdvertisement',
        'serviceName',
        'shortUuid',
        'toHex',
        'toLongUuid',
        'uuidFromLe',
      ].sort(),
    );
  });

  it('starts from well-formed seeds', () => {
    for (const h of SEEDS) expect(parseAdStructures(fromHex(h)!).error).toBeUndefined();
  });

  it('never produces a structure that extends past its input', () => {
    fc.assert(
      fc.property(blob, (b) => {
        const { structures, error } = parseAdStructures(b);
        for (const s of structures) {
          expect(s.offset + 2 + s.data.length).toBeLessThanOrEqual(b.length);
          expect(s.data).toEqual(b.subarray(s.offset + 2, s.offset + 2 + s.data.length));
          expect(b[s.offset]).toBe(s.data.length + 1);
        }
        if (error) expect(error).toMatch(/^AD structure at offset \d+ claims \d+ bytes, \d+ remain$/);
      }),
      RUNS,
    );
  });

  it('parses and decodes random and mutated payloads without throwing', () => {
    fc.assert(
      fc.property(fc.array(blob, { minLength: 1, maxLength: 2 }), (chunks) => {
        const f = parseAdvertisement(...chunks);
        const total = chunks.reduce((n, c) => n + c.length, 0);
        for (const [, hex] of [...f.mfr, ...f.svc]) expect(hex.length / 2).toBeLessThanOrEqual(total);
        expect(new Set(f.uuids).size).toBe(f.uuids.length);
        const all = decodeAll(f);
        expect(classify(f) === undefined).toBe(all.length === 0);
        for (const d of all) {
          expect(typeof d.kind).toBe('string');
          for (const [, v] of d.fields) expect(['string', 'number', 'boolean']).toContain(typeof v);
        }
      }),
      RUNS,
    );
  });

  it('decodes arbitrary payloads under every decoder without throwing', () => {
    const uuid = fc.constantFrom('fcd2', 'feaa', 'fe2c', 'feed', 'feec', 'fd5a', 'fd59', 'fd6f', 'zz', '');
    const hex = fc.uint8Array({ maxLength: 40 }).map(toHex);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0x4c, 6, 0x75, 0), hex)),
        fc.array(fc.tuple(uuid, hex)),
        fc.array(uuid),
        (mfr, svc, uuids) => {
          decodeAll({ mfr, svc, uuids });
          classify({ mfr, svc, uuids });
        },
      ),
      RUNS,
    );
  });
});
