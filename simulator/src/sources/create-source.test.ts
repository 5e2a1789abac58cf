import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSource, isSourceName } from './create-source.js';
import { DemoSource } from './demo-source.js';
import { ReplaySource } from './replay-source.js';
import { SOURCE_NAMES, SourceError } from './scan-source.js';

const dir = mkdtempSync(join(tmpdir(), 'bleshark-create-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createSource', () => {
  it('rejects an unknown name with a SourceError that lists the valid names', async () => {
    const err = await createSource('bluetooth', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('unknown-source');
    expect((err as SourceError).message).toBe(
      'unknown source "bluetooth"; valid sources: demo, noble, replay, hci-replay',
    );
    for (const name of SOURCE_NAMES) expect((err as Error).message).toContain(name);
  });

  it('creates the demo source with its options', async () => {
    const source = await createSource('demo', { seed: 3, rate: 123 });
    expect(source).toBeInstanceOf(DemoSource);
    expect(source.name).toBe('demo');
    expect(source.demo).toBe(true);
    expect((source as DemoSource).rate).toBe(123);
    await source.close();
  });

  it('creates the replay source for a file without reading it yet', async () => {
    const f = join(dir, 'later.jsonl');
    const source = await createSource('replay', { file: f, speed: 2, loop: true });
    expect(source).toBeInstanceOf(ReplaySource);
    expect(source.demo).toBe(false);
    writeFileSync(
      f,
      '{"bleshark":"recording","version":1,"source":"demo","started":"2025-01-01T00:00:00.000Z"}\n',
    );
    const ended = new Promise((r) => source.once('end', () => r(undefined)));
    await source.start({ mode: 'active', interval: 100, window: 100, duplicates: true });
    await ended;
    await source.close();
  });

  it('passes on the source’s own option errors', async () => {
    await expect(createSource('demo', { rate: -1 })).rejects.toThrow(/--rate/);
    await expect(createSource('replay', {})).rejects.toMatchObject({ code: 'no-file' });
  });

  it('loads noble and hci-replay only when asked, as SourceErrors when they cannot load', async () => {
    for (const name of ['noble', 'hci-replay'] as const) {
      const result = await createSource(name, { file: join(dir, 'none.btsnoop') }).then(
        async (s) => {
          expect(s.name).toBe(name);
          await s.close();
          return 'created';
        },
        (e: unknown) => {
          expect(e).toBeInstanceOf(SourceError);
          return 'refused';
        },
      );
      expect(['created', 'refused']).toContain(result);
    }
  });

  it('knows the source names', () => {
    expect(isSourceName('demo')).toBe(true);
    expect(isSourceName('auto')).toBe(false);
  });
});
