import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingSharedData, requireSharedData } from '../../test-support/shared-data.js';
import { companyName, serviceName } from './names.js';

const IDS = 'assigned-numbers/nordic_company_ids.json';
const idsPath = requireSharedData(IDS);

describe('names', () => {
  it('names the companies the filters and decoders are about, and the services the decoders know', () => {
    expect(companyName(0x004c)).toBe('Apple');
    expect(companyName(0x067c)).toBe('Tile');
    expect(companyName(0xfffe)).toBeUndefined();
    expect(serviceName('180F')).toBe('Battery');
    expect(serviceName('0000feaa-0000-1000-8000-00805f9b34fb')).toBe('Eddystone');
    expect(serviceName('6e400001-b5a3-f393-e0a9-e50e24dcca9e')).toBeUndefined();
    expect(serviceName('toString')).toBeUndefined();
  });

  it.skipIf(!idsPath)(
    idsPath ? 'uses the registered code of every built-in company' : missingSharedData(IDS),
    () => {
      const registered = new Map(
        (JSON.parse(readFileSync(idsPath!, 'utf8')) as { code: number; name: string }[]).map((c) => [
          c.code,
          c.name,
        ]),
      );
      // Every built-in company id below 0x1000 that has a name must match the SIG registry's first word.
      for (let id = 0; id < 0x1000; id++) {
        const mine = companyName(id);
        if (mine)
          expect([id, registered.get(id)?.toLowerCase()]).toEqual([
            id,
            expect.stringContaining(mine.split(' ')[0]!.toLowerCase()),
          ]);
      }
    },
  );
});
