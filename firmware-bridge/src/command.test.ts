import { describe, expect, it } from 'vitest';
import { parseCommandArgs, printWritten } from './command.js';

describe('parseCommandArgs', () => {
  it('returns values, or a message instead of throwing', () => {
    const ok = parseCommandArgs(['--out', 'x'], { out: { type: 'string' } });
    expect(ok.ok && ok.values.out).toBe('x');
    const bad = parseCommandArgs(['--nope'], { out: { type: 'string' } });
    expect(!bad.ok && bad.message).toMatch(/nope/);
  });
});

describe('printWritten', () => {
  it('lists written files and counts unchanged ones', () => {
    const lines: string[] = [];
    printWritten({ out: (l) => lines.push(l), err: () => {} }, '/o', [
      { path: 'a.h', outcome: 'changed' },
      { path: 'b.h', outcome: 'unchanged' },
    ]);
    expect(lines).toEqual(['  changed  a.h', '1 written, 1 unchanged in /o']);
  });
});
