import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeSourceContract } from '../../test/source-contract.js';
import { DemoSource } from './demo-source.js';
import { readRecording } from './recording.js';
import { ReplaySource } from './replay-source.js';
import type { Advertisement, ScanParams, SourceError } from './scan-source.js';
import { withRecorder } from './with-recorder.js';

const dir = mkdtempSync(join(tmpdir(), 'bleshark-with-recorder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `r${n++}.jsonl`);
const PARAMS: ScanParams = { mode: 'active', interval: 100, window: 100, duplicates: true };
const strip = ({ at: _at, ...rest }: Advertisement) => rest;

describeSourceContract('demo with recorder', async () => withRecorder(new DemoSource({ rate: 400 }), file()));

describe('withRecorder', () => {
  it('records what the source emits, and a replay gives back the same advertisements in order', async () => {
    const f = file();
    const source = withRecorder(new DemoSource({ seed: 5, rate: 500 }), f);
    expect(source.name).toBe('demo');
    expect(source.demo).toBe(true);
    const live: Advertisement[] = [];
    source.on('advert', (ad) => live.push(ad));
    await source.start(PARAMS);
    await new Promise((r) => setTimeout(r, 400));
    await source.close();
    expect(live.length).toBeGreaterThan(100);

    const { header, entries } = await readRecording(f);
    expect(header.source).toBe('demo');
    expect(entries.map((e) => e.ad)).toEqual(live.map(strip));

    const replay = new ReplaySource({ file: f, speed: 0 });
    const replayed: Advertisement[] = [];
    replay.on('advert', (ad) => replayed.push(ad));
    const ended = new Promise((r) => replay.once('end', () => r(undefined)));
    await replay.start(PARAMS);
    await ended;
    await replay.close();
    expect(replayed.map(strip)).toEqual(live.map(strip));
  });

  it('forwards state, end and errors of the wrapped source', async () => {
    const f = file();
    const inner = new DemoSource({ rate: 100 });
    const source = withRecorder(inner, f);
    const events: string[] = [];
    source.on('state', (s) => events.push(s));
    source.on('end', () => events.push('end'));
    source.on('error', (e) => events.push(e.code));
    await source.start(PARAMS);
    await source.stop();
    inner.emit('end');
    inner.emit('error', Object.assign(new Error('x'), { code: 'scan-failed' }) as SourceError);
    await source.close();
    expect(events).toEqual(['scanning', 'stopped', 'end', 'scan-failed']);
    expect(existsSync(f)).toBe(true);
  });

  it('rejects the first start with record-failed when the recording cannot be written, and stops the source', async () => {
    const targets = [
      join(dir, 'no-such-dir', 'r.jsonl'),
      dir,
      ...(existsSync('/dev/full') ? ['/dev/full'] : []),
    ];
    for (const target of targets) {
      const inner = new DemoSource({ rate: 200 });
      const source = withRecorder(inner, target);
      const states: string[] = [];
      const errors: SourceError[] = [];
      source.on('state', (s) => states.push(s));
      source.on('error', (e) => errors.push(e));
      const err = (await source.start(PARAMS).catch((e: unknown) => e)) as SourceError;
      expect(err.code).toBe('record-failed');
      expect(err.message).toContain(`cannot write the recording ${target}`);
      expect(states.at(-1)).toBe('stopped');
      expect(errors).toEqual([]);
      await source.close();
    }
  });

  it('leaves an existing recording untouched when the source cannot start', async () => {
    const f = file();
    writeFileSync(f, 'an earlier recording\n');
    const source = withRecorder(new ReplaySource({ file: join(dir, 'missing.jsonl') }), f);
    await expect(source.start(PARAMS)).rejects.toMatchObject({ code: 'recording-unreadable' });
    await source.close();
    expect(readFileSync(f, 'utf8')).toBe('an earlier recording\n');
  });

  it('keeps what the source emitted while the recording was being created', async () => {
    const input = file();
    const live = withRecorder(new DemoSource({ seed: 3, rate: 1000 }), input);
    await live.start(PARAMS);
    await new Promise((r) => setTimeout(r, 100));
    await live.close();
    const recorded = (await readRecording(input)).entries.map((e) => e.ad);
    // At speed 0 the replay emits its first chunk before the recording's header is written.
    const f = file();
    const source = withRecorder(new ReplaySource({ file: input, speed: 0 }), f);
    const ended = new Promise((r) => source.once('end', () => r(undefined)));
    await source.start(PARAMS);
    await ended;
    await source.close();
    expect((await readRecording(f)).entries.map((e) => e.ad)).toEqual(recorded);
  });
});
