import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOSTILE_NAMES } from './demo-kinds.js';
import { createRecorder, parseRecording, readRecording } from './recording.js';
import { type Advertisement, SourceError } from './scan-source.js';

const dir = mkdtempSync(join(tmpdir(), 'bleshark-recording-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `r${n++}.jsonl`);

const HEADER = '{"bleshark":"recording","version":1,"source":"demo","started":"2025-01-01T00:00:00.000Z"}';
const AD = '{"t":5,"addr":"aa:bb:cc:dd:ee:ff","addrType":"random","rssi":-60,"conn":true}';

function ad(i: number, extra: Partial<Advertisement> = {}): Advertisement {
  return {
    addr: `c0:00:00:00:00:${i.toString(16).padStart(2, '0')}`,
    addrType: 'random',
    rssi: -50 - i,
    conn: i % 2 === 0,
    ...extra,
  };
}

/** The SourceError that `text` makes parseRecording throw. */
function errorOf(text: string): SourceError {
  try {
    parseRecording(text, 'x.jsonl');
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('parsed without error');
}

describe('recording', () => {
  it('round-trips advertisements with their offsets', async () => {
    const f = file();
    const rec = createRecorder(f, 'demo');
    const now = Date.now();
    const ads = [
      ad(1, {
        at: now,
        name: 'Kitchen',
        tx: -4,
        mfr: [[76, '1005']],
        uuids: ['180d', 'feaa'],
        adv: '020106',
      }),
      ad(2, { at: now + 40, svc: [['fcd2', '40']], rsp: '0309', pid: 'abc123' }),
      ad(3, { at: now + 1000 }),
    ];
    for (const a of ads) rec.write(a);
    await rec.close();
    const { header, entries } = await readRecording(f);
    expect(header).toMatchObject({ bleshark: 'recording', version: 1, source: 'demo' });
    expect(Number.isNaN(Date.parse(header.started))).toBe(false);
    expect(entries.map((e) => e.ad)).toEqual(ads.map(({ at: _at, ...rest }) => rest));
    expect(entries[1]!.t - entries[0]!.t).toBe(40);
    expect(entries[2]!.t - entries[0]!.t).toBe(1000);
    expect(rec.count).toBe(3);
  });

  it('writes the header first, then one line per advertisement with t first', async () => {
    const f = file();
    const rec = createRecorder(f, 'noble');
    rec.write(ad(1));
    await rec.close();
    const lines = readFileSync(f, 'utf8').split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ bleshark: 'recording', version: 1, source: 'noble' });
    expect(lines[1]).toMatch(/^\{"t":\d+,"addr":"c0:00:00:00:00:01"/);
    expect(lines[2]).toBe('');
    expect(lines.length).toBe(3);
  });

  it('writes what the engine takes, so every line replays: a TX power byte 0x80 (-128) is clamped, no address is skipped', async () => {
    const f = file();
    const rec = createRecorder(f, 'noble');
    rec.write(ad(1, { tx: -128 }));
    rec.write({ addr: '', addrType: 'public', rssi: -50, conn: false });
    rec.write(ad(2, { tx: 127, rssi: -300 }));
    await rec.close();
    const { entries } = await readRecording(f);
    expect(entries.map((e) => e.ad)).toEqual([
      { ...ad(1), tx: -127 },
      { ...ad(2), rssi: -127 },
    ]);
    expect(rec.count).toBe(2);
  });

  it('carries hostile names exactly', async () => {
    const f = file();
    const rec = createRecorder(f, 'demo');
    const names = [...HOSTILE_NAMES, 'lone \ud800 surrogate', 'line\nbreak\r\u2028', '"quoted" \\ back'];
    for (const [i, name] of names.entries()) rec.write(ad(i, { name }));
    await rec.close();
    const text = readFileSync(f, 'utf8');
    expect(text.split('\n').length).toBe(names.length + 2);
    const { entries } = await readRecording(f);
    expect(entries.map((e) => e.ad.name)).toEqual(names);
  });

  it('flushes buffered lines on its own before close', async () => {
    const f = file();
    const rec = createRecorder(f, 'demo', { flushMs: 10 });
    rec.write(ad(1));
    // Waits (polling, up to 15 s on a busy machine) for the flush timer, without closing.
    const deadline = Date.now() + 15_000;
    const lines = () => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length : 0);
    while (lines() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(f, 'utf8').split('\n').length).toBe(3);
    await rec.close();
  });

  it('reports a write failure once and rejects close with it', async () => {
    const errors: SourceError[] = [];
    const rec = createRecorder(join(dir, 'missing-dir', 'r.jsonl'), 'demo', {
      onError: (e) => errors.push(e),
    });
    rec.write(ad(1));
    await expect(rec.close()).rejects.toThrow(/cannot write the recording .*missing-dir/);
    expect(errors.length).toBe(1);
    expect(errors[0]!.code).toBe('record-failed');
  });

  it('open() resolves once the header is written, and rejects when the file cannot be written', async () => {
    const f = file();
    const rec = createRecorder(f, 'demo');
    await rec.open();
    expect(readFileSync(f, 'utf8')).toMatch(/^\{"bleshark":"recording","version":1,"source":"demo",.*\}\n$/);
    await rec.close();
    const bad = [join(dir, 'missing-dir', 'r.jsonl'), ...(existsSync('/dev/full') ? ['/dev/full'] : [])];
    for (const target of bad) {
      const errors: SourceError[] = [];
      const failing = createRecorder(target, 'demo', { onError: (e) => errors.push(e) });
      await expect(failing.open()).rejects.toMatchObject({ code: 'record-failed' });
      expect(errors).toHaveLength(1);
      await expect(failing.close()).rejects.toThrow(/cannot write the recording/);
    }
  });

  it('with deferOpen touches no file before open(), and keeps the lines written meanwhile', async () => {
    const f = file();
    const never = createRecorder(f, 'demo', { deferOpen: true });
    never.write(ad(1));
    await never.close();
    expect(existsSync(f)).toBe(false);
    const rec = createRecorder(f, 'demo', { deferOpen: true, flushMs: 10 });
    rec.write(ad(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(f)).toBe(false);
    await rec.open();
    rec.write(ad(2));
    await rec.close();
    expect((await readRecording(f)).entries.map((e) => e.ad.addr)).toEqual([ad(1).addr, ad(2).addr]);
  });

  it('names the line of invalid JSON', () => {
    const e = errorOf(`${HEADER}\n${AD}\n{"t":6,\n`);
    expect(e.code).toBe('recording-invalid');
    expect(e.message).toMatch(/^x\.jsonl:3: not valid JSON/);
  });

  it('names the line and field of a bad advertisement', () => {
    expect(errorOf(`${HEADER}\n${AD}\n${AD.replace('-60', '-600')}\n`).message).toMatch(
      /^x\.jsonl:3: rssi: expected integer/,
    );
    expect(errorOf(`${HEADER}\n${AD.replace('"t":5,', '')}\n`).message).toMatch(/^x\.jsonl:2: t: required/);
    expect(errorOf(`${HEADER}\n${AD.replace('"conn":true', '"conn":true,"adv":"0g"')}\n`).message).toMatch(
      /^x\.jsonl:2: adv:/,
    );
    expect(errorOf(`${HEADER}\n${AD}\n${AD.replace('"t":5', '"t":4')}\n`).message).toMatch(
      /^x\.jsonl:3: t goes backwards/,
    );
    expect(errorOf(`${HEADER}\n\n${AD}\n`).message).toMatch(/^x\.jsonl:2: empty line/);
  });

  it('says when the last line was cut off', () => {
    expect(errorOf(`${HEADER}\n${AD}\n{"t":9,"addr":"aa`).message).toMatch(/:3: .*cut off/);
  });

  it('refuses files that are not recordings, or of another version', () => {
    expect(errorOf('').message).toMatch(/^x\.jsonl:1: empty file/);
    expect(errorOf('btsnoop\0\n').message).toMatch(/^x\.jsonl:1: not a BLEShark recording/);
    expect(errorOf(`${HEADER.replace('"version":1', '"version":2')}\n`).message).toMatch(
      /:1: recording version 2 is not supported/,
    );
  });

  it('accepts a recording without advertisements or without the final newline', () => {
    expect(parseRecording(`${HEADER}\n`).entries).toEqual([]);
    expect(parseRecording(`${HEADER}\n${AD}`).entries.length).toBe(1);
  });

  it('drops fields it does not know', () => {
    const { entries } = parseRecording(
      `${HEADER}\n${AD.replace('"conn":true', '"conn":true,"evil":"<x>"')}\n`,
    );
    expect(entries[0]!.ad).toEqual({ addr: 'aa:bb:cc:dd:ee:ff', addrType: 'random', rssi: -60, conn: true });
  });

  it('rejects a missing file with a SourceError naming it', async () => {
    const f = join(dir, 'nope.jsonl');
    await expect(readRecording(f)).rejects.toThrow(`cannot read the recording ${f}: no such file`);
    writeFileSync(f, `${HEADER}\n`);
    await expect(readRecording(f)).resolves.toMatchObject({ entries: [] });
  });
});
