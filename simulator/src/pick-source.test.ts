import { describe, expect, it } from 'vitest';
import { FakeSource } from '../test/fake-source.js';
import { pickSource } from './pick-source.js';
import type { SourceName } from './sources/scan-source.js';

const quiet = () => {};

describe('pickSource', () => {
  it('uses a ready source instance as is', async () => {
    const source = new FakeSource();
    expect((await pickSource({ source }, quiet)).source).toBe(source);
  });

  it('rejects an unknown source name with the list of valid names', async () => {
    await expect(pickSource({ source: 'radio' as SourceName }, quiet)).rejects.toThrow(/valid sources: demo/);
  });

  it('auto falls back to demo within the deadline and returns the reason', async () => {
    const lines: string[] = [];
    const picked = await pickSource({ source: 'auto', autoTimeoutMs: 3000 }, (level, m) =>
      lines.push(`${level}: ${m}`),
    );
    expect(picked.source.name).toBe('demo');
    expect(picked.fallbackReason).toBeTruthy();
    expect(lines.some((l) => l.startsWith('warn: noble is not available'))).toBe(true);
    await picked.source.close();
  }, 10_000);
});
