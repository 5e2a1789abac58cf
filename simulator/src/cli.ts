#!/usr/bin/env node
// `bleshark-sim`: the command line of the simulator. `main` is exported so tests can run it in-process.
import type { EventEmitter } from 'node:events';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PICK_DEFAULTS } from './pick-source.js';
import { LIVE_SERVER_DEFAULTS } from './server/live-server.js';
import { PROFILE_NAMES, type ProfileName } from './server/profiles.js';
import {
  LOG_LEVELS,
  type LogLevel,
  type RunningCoreSimulator,
  type RunningSimulator,
  SIMULATOR_DEFAULTS,
  type SimulatorOptions,
  startCoreSimulator,
  startSimulator,
} from './simulator.js';
import { SOURCE_NAMES, type SourceName } from './sources/scan-source.js';

export const USAGE = `Usage: bleshark-sim [options] [FILE]

A Node stand-in for the BLEShark Nano: serves the page (device-ui/dist) at / and the live scan at /scan/live.

Options:
  --source NAME       auto | noble | demo | replay | hci-replay (default: ${PICK_DEFAULTS.source}: noble, else demo within ${PICK_DEFAULTS.autoTimeoutMs / 1000} s)
  --replay FILE       recording (replay) or HCI capture (hci-replay) to play; or give FILE (default: none)
  --record FILE       also write every discovery, timestamped, as JSONL for --replay; never the replayed file (default: off)
  --host ADDR         address to listen on (default: ${LIVE_SERVER_DEFAULTS.host})
  --port N            port to listen on; 0 picks a free port (default: ${LIVE_SERVER_DEFAULTS.port})
  --allow-origin URL  an extra allowed Origin, exact (scheme://host:port); repeat to add (default: same-origin only)
  --token TEXT        pairing token required at the handshake as ?token= or cookie bleshark_token (default: none)
  --profile NAME      nano (the device's limits) | open (64 clients, 20,000 devices, fast batches) (default: ${SIMULATOR_DEFAULTS.profile})
  --seed N            seed of the demo scene (default: 1)
  --rate N            demo adverts per second (default: 60)
  --devices N         devices in the demo scene (default: 40)
  --speed X           replay speed factor; 0 = as fast as possible (default: 1)
  --loop              replay: start again at the end (default: off)
  --tls-cert FILE     PEM certificate: serve https + wss (with --tls-key) (default: off)
  --tls-key FILE      PEM private key for --tls-cert (default: off)
  --core PATH         serve /scan/live from the C core's harness at PATH (default: off, the TypeScript engine)
                      npx bleshark-bridge core-host builds firmware-bridge/out/bleshark-core-host; the source,
                      HTTP, the page, Origin/Host/token checks and pings stay here; nano profile only
  --log-level LEVEL   ${LOG_LEVELS.join(' | ')} (default: ${SIMULATOR_DEFAULTS.logLevel})
  -h, --help          show this help

Exit codes: 0 stopped by SIGINT, SIGTERM or SIGHUP; 1 failed while running (with --core: the core's harness
ended, after closing every client with 1011); 2 bad option or cannot start (with --core: the harness cannot
run or ended during start-up).
`;

export type CliIo = {
  /** stdout lines. */
  out: (line: string) => void;
  /** stderr lines (logs, errors). */
  err: (line: string) => void;
  /** Where SIGINT / SIGTERM come from. Default: process. */
  signals?: EventEmitter;
};

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

class UsageError extends Error {}

const OPTIONS = {
  source: { type: 'string' },
  replay: { type: 'string' },
  record: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  token: { type: 'string' },
  profile: { type: 'string' },
  seed: { type: 'string' },
  rate: { type: 'string' },
  devices: { type: 'string' },
  speed: { type: 'string' },
  loop: { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'log-level': { type: 'string' },
  core: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What the command line asks for: the simulator's options, and the C core's harness when --core is given. */
export type CliOptions = SimulatorOptions & { core?: string };

function num(
  name: string,
  v: string | undefined,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${v}"`,
    );
  return n;
}

function oneOf<T extends string>(name: string, v: string | undefined, list: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(list as readonly string[]).includes(v))
    throw new UsageError(`--${name} must be one of ${list.join(', ')}, got "${v}"`);
  return v as T;
}

/** Parses argv into simulator options; throws a UsageError naming the bad option. */
export function parseCli(argv: string[]): { help: true } | { help: false; options: CliOptions } {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(
      err instanceof Error ? (err.message.split('\n')[0] ?? 'bad arguments') : 'bad arguments',
    );
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  const source =
    oneOf<'auto' | SourceName>('source', v.source, ['auto', ...SOURCE_NAMES]) ?? PICK_DEFAULTS.source;
  const positionals = parsed.positionals;
  if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.length}`);
  const replay = v.replay ?? positionals[0];
  if (positionals.length && v.replay)
    throw new UsageError('--replay and a positional FILE both given; use one');
  if ((source === 'replay' || source === 'hci-replay') && !replay)
    throw new UsageError(`--source ${source} needs --replay FILE (or FILE)`);
  if (replay && source !== 'replay' && source !== 'hci-replay')
    throw new UsageError(`--replay FILE needs --source replay or --source hci-replay`);
  if (Boolean(v['tls-cert']) !== Boolean(v['tls-key']))
    throw new UsageError('--tls-cert and --tls-key go together');
  if (v.host !== undefined && v.host.trim() === '') throw new UsageError('--host must not be empty');
  const origins = v['allow-origin'] ?? [];
  for (const o of origins) {
    let ok = false;
    try {
      const u = new URL(o);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o;
    } catch {}
    if (!ok)
      throw new UsageError(
        `--allow-origin must be an exact origin like http://host:5173 (no path, no *), got "${o}"`,
      );
  }
  if (v.token !== undefined && v.token === '') throw new UsageError('--token must not be empty');
  if (v.core !== undefined && v.core.trim() === '') throw new UsageError('--core must not be empty');
  if (v.core !== undefined && v.profile !== undefined && v.profile !== 'nano')
    throw new UsageError(`--core runs with the Nano's limits: leave out --profile ${v.profile}`);
  const options: CliOptions = { source, allowOrigins: origins };
  const set = <K extends keyof CliOptions>(k: K, val: CliOptions[K] | undefined) => {
    if (val !== undefined) options[k] = val;
  };
  set('replay', replay);
  set('record', v.record);
  set('host', v.host);
  set('port', num('port', v.port, 0, 65535, true));
  set('token', v.token);
  set('profile', oneOf<ProfileName>('profile', v.profile, PROFILE_NAMES));
  set('seed', num('seed', v.seed, 0, 2 ** 32 - 1, true));
  set('rate', num('rate', v.rate, 0.001, 1_000_000, false));
  set('devices', num('devices', v.devices, 1, 1_000_000, true));
  set('speed', num('speed', v.speed, 0, 1_000_000, false));
  set('loop', v.loop);
  set('tlsCert', v['tls-cert']);
  set('tlsKey', v['tls-key']);
  set('logLevel', oneOf<LogLevel>('log-level', v['log-level'], LOG_LEVELS));
  set('core', v.core);
  return { help: false, options };
}

/** Exit codes: documented in the README beside the options. */
export const EXIT = {
  /** Stopped by SIGINT, SIGTERM or SIGHUP (every client closed with 1001), or --help. */
  ok: 0,
  /** An unexpected failure while running (with --core: the harness ended; every client got 1011). */
  failed: 1,
  /** A bad option, or it cannot start: the port, a TLS file, a source, a --record file or the --core harness. */
  usage: 2,
} as const;

/** Signals that stop the simulator cleanly. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Runs the CLI: resolves with the exit code (see EXIT). */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    io.err(`bleshark-sim: ${err instanceof Error ? err.message : String(err)} (see --help)`);
    return EXIT.usage;
  }
  if (parsed.help) {
    io.out(USAGE.trimEnd());
    return EXIT.ok;
  }
  // Listening for the stop signals starts before anything else, so a signal that comes early (during the
  // start, or at once after the listening line) still stops it cleanly; the listeners stay in the process
  // until it exits, so a second signal (Ctrl-C in a terminal reaches `npm start` and this process alike,
  // and the wrapper forwards it too) cannot kill it half-way through closing.
  const signals = io.signals ?? process;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const onSignal = () => stop();
  for (const s of STOP_SIGNALS) signals.on(s, onSignal);
  const release = () => {
    if (signals !== process) for (const s of STOP_SIGNALS) signals.off(s, onSignal);
  };
  let sim: RunningSimulator | RunningCoreSimulator;
  const { core, ...options } = parsed.options;
  try {
    sim = core
      ? await startCoreSimulator({ ...options, core, log: io.err })
      : await startSimulator({ ...options, log: io.err });
  } catch (err) {
    release();
    io.err(`bleshark-sim: cannot start: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.usage;
  }
  io.out(`listening on ${sim.url}`);
  io.out(
    `source: ${sim.sourceName}${sim.demo ? ' (demo data)' : ''}` +
      (sim.fallbackReason ? ` (noble unavailable: ${sim.fallbackReason})` : ''),
  );
  const died = 'died' in sim ? sim.died : new Promise<never>(() => {});
  const ended = await Promise.race([stopped.then(() => undefined), died]);
  if (ended !== undefined) {
    io.err(`bleshark-sim: ${ended}`);
    await sim.close();
    release();
    return EXIT.failed;
  }
  io.err('info: shutting down: closing every client with 1001');
  await sim.close();
  release();
  return EXIT.ok;
}

const isEntry = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();

if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bleshark-sim: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(EXIT.failed);
    },
  );
}
