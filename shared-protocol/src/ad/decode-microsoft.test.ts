import { describe, expect, it } from 'vitest';
import { decodeMicrosoft } from './decode-microsoft.js';
import { fromHex } from './hex.js';

const ms = (hex: string) => decodeMicrosoft(fromHex(hex)!);

describe('decodeMicrosoft', () => {
  it('decodes a Swift Pair beacon with its display name', () => {
    expect(ms('0300804d6f757365')).toEqual({
      kind: 'swift-pair',
      label: 'Swift Pair',
      fields: [['name', 'Mouse']],
    });
    expect(ms('030180112233445566')?.fields).toEqual([['mode', 1]]);
  });

  it('decodes a CDP beacon', () => {
    expect(ms(`0109200${'0'.repeat(45)}`)).toEqual({
      kind: 'ms-cdp',
      label: 'Microsoft CDP',
      fields: [
        ['device', 'Windows desktop'],
        ['version', 0],
      ],
    });
    expect(ms('0133')?.fields).toEqual([
      ['device', 19],
      ['version', 1],
    ]);
  });

  it('ignores other payloads', () => {
    for (const hex of ['', '01', '0300', '030380', '0203']) expect(ms(hex)).toBeUndefined();
  });
});
