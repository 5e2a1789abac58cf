import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DemoSource } from './demo-source.js';
import { readRecording } from './recording.js';
import { ReplaySource } from './replay-source.js';
import type { Advertisement, ScanParams, SourceError } from './scan-source.js';
import { describeSourceContract } from './source-contract.js';
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

  it('reports a recording that cannot be written as an error event and keeps scanning', async () => {
    const source = withRecorder(new DemoSource({ rate: 200 }), join(dir, 'no-such-dir', 'r.jsonl'));
    const errors: SourceError[] = [];
    const failed = new Promise((r) => source.once('error', (e) => r(errors.push(e))));
    let adverts = 0;
    source.on('advert', () => adverts++);
    await source.start(PARAMS);
    await failed;
    await new Promise((r) => setTimeout(r, 100));
    await source.close();
    expect(errors[0]!.code).toBe('record-failed');
    expect(errors[0]!.message).toMatch(/cannot write the recording .*no-such-dir/);
    expect(adverts).toBeGreaterThan(0);
  });
});
