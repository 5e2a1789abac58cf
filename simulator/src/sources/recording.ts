// The session recording format (`--record FILE`, `--replay FILE`): JSON Lines. The first line is a header,
//   {"bleshark":"recording","version":1,"source":"demo","started":"2025-01-01T12:00:00.000Z"}
// then one line per advertisement, `t` (ms since `started`) first and the Advertisement without `at`:
//   {"t":125,"addr":"4c:0b:01:ca:35:83","addrType":"public","rssi":-77,"conn":false,"adv":"0201..."}
// JSON string escapes carry any name (HTML, control characters, bidi overrides, lone surrogates) exactly.
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { advertFieldSchemas, check, int, obj, opt, str } from '@bleshark/shared-protocol';
import { sanitizeAdvert } from '../engine/sanitize-advert.js';
import { type Advertisement, SourceError } from './scan-source.js';

export const RECORDING_VERSION = 1;

export type RecordingHeader = { bleshark: 'recording'; version: number; source: string; started: string };
/** One recorded advertisement and its offset in ms from the start of the recording. */
export type RecordedAdvert = { t: number; ad: Advertisement };
export type Recording = { header: RecordingHeader; entries: RecordedAdvert[] };

/** A recorded advertisement's fields: the wire's rules for each AdvertFields field, and the platform id. */
const AD_FIELDS = { ...advertFieldSchemas, pid: opt(str(64, 1)) };
/** An Advertisement in the form the wire accepts (the same field rules as a device record). */
export const advertisementSchema = obj({ ...AD_FIELDS, at: opt(int(0, Number.MAX_SAFE_INTEGER)) });
const lineSchema = obj({ t: int(0, Number.MAX_SAFE_INTEGER), ...AD_FIELDS });
const headerSchema = obj({
  bleshark: str(20),
  version: int(0, 1000),
  source: str(40, 1),
  started: str(40, 1),
});
const KEYS = Object.keys(AD_FIELDS);

export type Recorder = {
  /** Queues one advertisement; written in order, whole lines only. Ignored after close or a failure. */
  write(ad: Advertisement): void;
  /**
   * Creates (or truncates) the file and writes the header; resolves once the header is written, rejects
   * with the `record-failed` SourceError (a missing directory, no permission, a full disk). Called at once
   * unless `deferOpen`; later calls return the same promise.
   */
  open(): Promise<void>;
  /** Flushes everything queued and closes the file. Rejects with the SourceError of a failed write. */
  close(): Promise<void>;
  /** Advertisements written so far. */
  readonly count: number;
};

export type RecorderOptions = {
  /** Called once when writing fails (disk full, permission); later writes are dropped. */
  onError?: (err: SourceError) => void;
  /** Bytes buffered before a write to the file (default 65536). */
  flushBytes?: number;
  /** Longest time a queued line waits before it is written, ms (default 500). */
  flushMs?: number;
  /** Leave the file alone until open() (lines written before are kept in memory). Default false. */
  deferOpen?: boolean;
};

/**
 * Creates (or truncates) `file` and writes the header (with `deferOpen`, at open()). Lines are buffered
 * and appended in order; a buffer is only ever written whole, so a crash loses at most the last `flushMs`
 * and never splits a line in the middle of the file. `t` is taken from `ad.at` (or the time of the write)
 * minus the time the recorder was created. Closing a recorder that was never opened creates no file.
 */
export function createRecorder(file: string, sourceName: string, options: RecorderOptions = {}): Recorder {
  const flushBytes = options.flushBytes ?? 65536;
  const flushMs = options.flushMs ?? 500;
  const started = Date.now();
  const header: RecordingHeader = {
    bleshark: 'recording',
    version: RECORDING_VERSION,
    source: sourceName,
    started: new Date(started).toISOString(),
  };
  let stream: WriteStream | undefined;
  let opening: Promise<void> | undefined;
  let buffer = '';
  let timer: NodeJS.Timeout | undefined;
  let failure: SourceError | undefined;
  let closed = false;
  let count = 0;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!stream) return;
    if (buffer && !failure) stream.write(buffer);
    buffer = '';
  };
  const open = (): Promise<void> => {
    opening ??= new Promise<void>((resolve, reject) => {
      const out = createWriteStream(file, { flags: 'w' });
      stream = out;
      out.on('error', (err) => {
        if (!failure) {
          failure = new SourceError('record-failed', `cannot write the recording ${file}: ${err.message}`, {
            cause: err,
          });
          if (timer) clearTimeout(timer);
          options.onError?.(failure);
        }
        reject(failure);
      });
      // The header is written on its own and waited for: a path that cannot be written fails here.
      out.write(`${JSON.stringify(header)}\n`, (err) => {
        if (!err) resolve();
      });
      if (buffer) flush();
    });
    return opening;
  };
  if (!options.deferOpen) open().catch(() => undefined);
  return {
    get count() {
      return count;
    },
    write(ad) {
      if (closed || failure) return;
      // What the engine would take from it (bounded, clamped: a TX power byte of 0x80 reads as -128, outside
      // the wire's range), so every line written is one the replay accepts; an advertisement the engine cannot
      // use at all (no usable address) is not recorded.
      const fields = sanitizeAdvert(ad);
      if (!fields) return;
      const t = Math.max(0, Math.round((ad.at ?? Date.now()) - started));
      const pid =
        typeof ad.pid === 'string' && check(AD_FIELDS.pid, ad.pid) === undefined ? { pid: ad.pid } : {};
      buffer += `${JSON.stringify({ t, ...fields, ...pid })}\n`;
      count++;
      if (!stream) return;
      if (buffer.length >= flushBytes) flush();
      else if (!timer) timer = setTimeout(flush, flushMs).unref();
    },
    open,
    close() {
      if (!closed) {
        closed = true;
        flush();
      }
      const out = stream;
      return new Promise<void>((resolve, reject) => {
        const done = () => (failure ? reject(failure) : resolve());
        if (!out || out.closed || failure) done();
        else out.end(() => setImmediate(done));
      });
    },
  };
}

const fail = (file: string, line: number, why: string): SourceError =>
  new SourceError('recording-invalid', `${file}:${line}: ${why}`);

/** Parses the text of a recording; every line is checked. Throws a SourceError naming the line. */
export function parseRecording(text: string, file = 'recording'): Recording {
  const lines = text.split('\n');
  const cutOff = lines.at(-1) !== '';
  if (!cutOff) lines.pop();
  const parse = (i: number): unknown => {
    try {
      return JSON.parse(lines[i]!);
    } catch (err) {
      const last =
        cutOff && i === lines.length - 1 ? ' (the last line is incomplete: the recording was cut off)' : '';
      throw fail(file, i + 1, `not valid JSON: ${(err as Error).message}${last}`);
    }
  };
  if (!lines.length || !lines[0]) throw fail(file, 1, 'empty file, not a BLEShark recording');
  const header = lines[0].startsWith('{') ? parse(0) : undefined;
  const bad = check(headerSchema, header);
  if (bad || (header as RecordingHeader).bleshark !== 'recording')
    throw fail(
      file,
      1,
      `not a BLEShark recording header${bad ? ` (${bad})` : ''}: record one with --record FILE`,
    );
  const h = header as RecordingHeader;
  if (h.version !== RECORDING_VERSION)
    throw fail(
      file,
      1,
      `recording version ${h.version} is not supported (this build reads version ${RECORDING_VERSION})`,
    );
  const entries: RecordedAdvert[] = [];
  let last = 0;
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]!.trim()) throw fail(file, i + 1, 'empty line');
    const value = parse(i) as Record<string, unknown>;
    const problem = check(lineSchema, value);
    if (problem) throw fail(file, i + 1, problem);
    const t = value.t as number;
    if (t < last) throw fail(file, i + 1, `t goes backwards (${t} after ${last})`);
    last = t;
    const ad: Record<string, unknown> = {};
    for (const k of KEYS) if (value[k] !== undefined) ad[k] = value[k];
    entries.push({ t, ad: ad as Advertisement });
  }
  return {
    header: { bleshark: 'recording', version: h.version, source: h.source, started: h.started },
    entries,
  };
}

/** Reads and validates a recording. Rejects with a SourceError that names the file and line. */
export async function readRecording(file: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new SourceError('recording-unreadable', `cannot read the recording ${file}: ${why}`, {
      cause: err,
    });
  }
  return parseRecording(text, file);
}
