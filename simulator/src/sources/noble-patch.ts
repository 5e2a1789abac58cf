// Every run-time correction to @abandonware/noble 1.9.2-26, in this one file. They touch only the Linux
// (hci-socket) bindings of ONE noble instance (the live adapter's, or hci-replay's fresh copy), are
// installed once per instance and stay for its lifetime; their messages go to the log of the driver
// that holds the instance, and nowhere once it let go. noble-patch.test.ts fails loudly when one of the
// internals they rely on changes (see nobleInternalProblems), and when noble no longer needs them.
//
// 1. Hci#processLe[Extended]AdvertisingReport (once per LE Meta event): the event is split into one call
//    per report (noble hands an extended report everything after its header as data, gluing a second
//    report onto the first) and reports whose lengths run past the event are dropped and logged, where
//    noble would print "Caught illegal packet" with console.warn and lose the reports after them too.
// 2. The Gap's advertising-report entries (its listeners on the Hci: the one place every report passes,
//    from an adapter or from the fake socket). noble's AD parser throws on a structure too short for its
//    type (`01 0a`: TX power without its byte; `01 16`: service data without its UUID) and the report is
//    lost with a console.warn. Such structures are left out of what noble parses, as the device and
//    parseAdvertisement ignore them; the driver's HCI tap still gets the raw bytes whole.
//    noble counts every legacy type but ADV_NONCONN_IND as connectable, the Core spec only ADV_IND and
//    ADV_DIRECT_IND: ADV_SCAN_IND is handed to noble as ADV_NONCONN_IND (not connectable, reported at
//    once, its scan response inherits that). Extended reports carry a connectable bit, read right.
//    Whatever a discover listener throws is caught and logged instead of printed by noble.
// 3. NobleBindings#onStateChange: the console.log lines noble prints for `unauthorized` / `unsupported`
//    are left out (the driver turns those states into errors that say what to do).
// 4. Hci#pollIsDevUp re-arms a 1 s setTimeout forever: its timer is unref'd (never keeps the process
//    alive) and stops for good on release({ stopPolling: true }). The global setTimeout is swapped only
//    during that synchronous call.
import type { EventEmitter } from 'node:events';
import { parseAdStructures } from '@bleshark/shared-protocol';
import { LE_ADVERTISING_REPORT, LE_EXTENDED_ADVERTISING_REPORT, splitReports } from '../hci/adv-reports.js';
import type { LogFn } from '../log.js';
import type { NobleInstance } from './noble-instance.js';

type Method = (this: unknown, ...args: never[]) => unknown;
type Internal = EventEmitter & Record<string, unknown>;

const ADV_SCAN_IND = 0x02;
const ADV_NONCONN_IND = 0x03;

/** Payload bytes noble's parser needs per AD type; with fewer it throws or makes up a value. */
const NOBLE_MIN_PAYLOAD: Record<number, number> = { 8: 1, 9: 1, 10: 1, 22: 2, 32: 4, 33: 16, 255: 2 };

/** The methods each patch wraps or calls, with the parameter count noble 1.9.2-26 declares. */
export const NOBLE_METHODS = {
  hci: { processLeAdvertisingReport: 2, processLeExtendedAdvertisingReport: 2, pollIsDevUp: 0 },
  gap: { onHciLeAdvertisingReport: 6, onHciLeExtendedAdvertisingReport: 7, parseServices: 5 },
  bindings: { onStateChange: 1 },
} as const;

/** The Hci events whose Gap listener is replaced, and the Gap method each listener is bound from. */
const ENTRIES = [
  ['leAdvertisingReport', 'onHciLeAdvertisingReport'],
  ['leExtendedAdvertisingReport', 'onHciLeExtendedAdvertisingReport'],
] as const;

type Internals = { bindings: Internal; hci: Internal; gap: Internal };

function internalsOf(noble: NobleInstance): Internals | undefined {
  const bindings = noble._bindings as Internal | undefined;
  const hci = bindings?._hci as Internal | undefined;
  const gap = bindings?._gap as Internal | undefined;
  return bindings && hci && gap ? { bindings, hci, gap } : undefined;
}

/** The Gap's own listener for `event` (noble binds its prototype method in the Gap constructor). */
function gapListener(hci: Internal, event: string, method: string, gap: Internal): Method | undefined {
  const arity = (gap[method] as Method | undefined)?.length;
  const found = hci.listeners(event).filter((l) => l.name === `bound ${(gap[method] as Method).name}`);
  return found.length === 1 && found[0]!.length === arity ? (found[0] as Method) : undefined;
}

/**
 * What no longer matches the noble internals these patches rely on ([] when all do); undefined when
 * noble does not run on its hci-socket bindings (macOS, Windows), where nothing is patched. Call it
 * on an instance nobody has attached listeners to yet (it looks for the Gap's own listeners).
 */
export function nobleInternalProblems(noble: NobleInstance): string[] | undefined {
  const found = internalsOf(noble);
  if (!found) return undefined;
  const problems: string[] = [];
  for (const [part, methods] of Object.entries(NOBLE_METHODS)) {
    for (const [name, arity] of Object.entries(methods)) {
      const fn = found[part as keyof Internals][name];
      if (typeof fn !== 'function') problems.push(`${part}.${name} is missing`);
      else if (fn.length !== arity)
        problems.push(`${part}.${name} takes ${fn.length} parameters, not ${arity}`);
    }
  }
  if (!('_state' in found.bindings)) problems.push('bindings._state is missing');
  if (!problems.length) {
    for (const [event, method] of ENTRIES) {
      if (!gapListener(found.hci, event, method, found.gap))
        problems.push(`the Gap does not listen to the Hci's ${event} with ${method}`);
    }
  }
  return problems;
}

/** Advertising data without the AD structures noble cannot parse (and without zero padding). */
export function nobleSafeAd(eir: Buffer): Buffer {
  const kept = parseAdStructures(eir).structures.filter(
    ({ type, data }) => data.length >= (NOBLE_MIN_PAYLOAD[type] ?? 0),
  );
  const size = kept.reduce((n, s) => n + 2 + s.data.length, 0);
  if (size === eir.length) return eir;
  const out = Buffer.alloc(size);
  let o = 0;
  for (const { type, data } of kept) {
    out[o] = data.length + 1;
    out[o + 1] = type;
    out.set(data, o + 2);
    o += 2 + data.length;
  }
  return out;
}

/** Per instance: where messages go now, and the poll timer. */
class PatchState {
  log: LogFn | undefined;
  polling = true;
  pollTimer: NodeJS.Timeout | undefined;
  readonly problems: string[];
  private readonly told = new Set<string>();

  constructor(problems: string[]) {
    this.problems = problems;
  }

  /** The first message of a kind as a warning, the ones after it at debug level. */
  note(kind: string, message: string): void {
    const first = !this.told.has(kind);
    this.told.add(kind);
    this.log?.(
      first ? 'warn' : 'debug',
      `noble: ${message}${first ? ' (repeats are logged at debug level)' : ''}`,
    );
  }
}

const STATES = new WeakMap<object, PatchState>();

export type NoblePatch = {
  /** False when noble does not run on its hci-socket bindings (nothing to patch). */
  readonly applies: boolean;
  /** Internals that no longer match (then only the poll timer is held); see nobleInternalProblems. */
  readonly problems: readonly string[];
  /** Stops routing messages to this patch's log; `stopPolling` ends noble's adapter poll for good. */
  release(options?: { stopPolling?: boolean }): void;
};

/** Patches `noble` (once per instance) and routes its messages to `log` until release(). */
export function patchNoble(noble: NobleInstance, log?: LogFn): NoblePatch {
  const found = internalsOf(noble);
  if (!found) return { applies: false, problems: [], release: () => {} };
  let state = STATES.get(noble);
  if (!state) {
    state = new PatchState(nobleInternalProblems(noble) ?? []);
    STATES.set(noble, state);
    install(found, state);
  }
  state.log = log;
  const held = state;
  return {
    applies: true,
    problems: held.problems,
    release({ stopPolling = false } = {}) {
      if (held.log === log) held.log = undefined;
      if (stopPolling) {
        held.polling = false;
        clearTimeout(held.pollTimer);
      }
    },
  };
}

function install({ bindings, hci, gap }: Internals, state: PatchState): void {
  holdPollTimer(hci, state);
  if (state.problems.length) return;

  for (const [method, subevent] of [
    ['processLeAdvertisingReport', LE_ADVERTISING_REPORT],
    ['processLeExtendedAdvertisingReport', LE_EXTENDED_ADVERTISING_REPORT],
  ] as const) {
    const parse = hci[method] as (this: Internal, count: number, data: Buffer) => void;
    hci[method] = function processReports(this: Internal, count: number, data: Buffer): void {
      const { reports, malformed } = splitReports(subevent, count, data);
      for (const report of reports) parse.call(this, 1, report as Buffer);
      if (malformed)
        state.note(
          'malformed',
          `dropped ${malformed} advertising report(s) whose lengths run past the event`,
        );
    };
  }

  const [legacy, extended] = ENTRIES.map(([event, method]) => {
    const entry = gapListener(hci, event, method, gap)!;
    hci.off(event, entry as (...args: unknown[]) => void);
    return entry as (...args: unknown[]) => void;
  }) as [(...args: unknown[]) => void, (...args: unknown[]) => void];
  const guard = (run: () => void): void => {
    try {
      run();
    } catch (err) {
      state.note('threw', `a discovery failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  hci.on('leAdvertisingReport', (status: number, type: number, address, addressType, eir: Buffer, rssi) =>
    guard(() =>
      legacy(
        status,
        type === ADV_SCAN_IND ? ADV_NONCONN_IND : type,
        address,
        addressType,
        nobleSafeAd(eir),
        rssi,
      ),
    ),
  );
  hci.on('leExtendedAdvertisingReport', (status, type, address, addressType, tx, rssi, eir: Buffer) =>
    guard(() => extended(status, type, address, addressType, tx, rssi, nobleSafeAd(eir))),
  );

  const onStateChange = bindings.onStateChange as (this: Internal, s: string) => void;
  bindings.onStateChange = function quietStateChange(this: Internal, s: string): void {
    if ((s === 'unauthorized' || s === 'unsupported') && this._state !== s) {
      state.log?.('debug', `noble: adapter state ${s}`);
      this._state = s;
      this.emit('stateChange', s);
    } else onStateChange.call(this, s);
  };
}

function holdPollTimer(hci: Internal, state: PatchState): void {
  const poll = hci.pollIsDevUp;
  if (typeof poll !== 'function') return;
  hci.pollIsDevUp = function pollIsDevUp(this: Internal): void {
    if (!state.polling) return;
    const real = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      state.pollTimer = real(fn, ms).unref();
      return state.pollTimer;
    }) as typeof setTimeout;
    try {
      poll.call(this);
    } finally {
      globalThis.setTimeout = real;
    }
  };
}
