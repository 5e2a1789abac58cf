// The programmatic API: start a simulator (what the CLI and other packages' tests use).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CoreBackend } from './core/core-backend.js';
import type { CoreHost } from './core/core-host.js';
import { DEFAULT_SCAN, ScanEngine } from './engine/scan-engine.js';
import { LOG_LEVELS, type LogFn, type LogLevel } from './log.js';
import { type PickOptions, pickSource } from './pick-source.js';
import { ENVELOPE_BYTES } from './server/frame-builder.js';
import { LIVE_SERVER_DEFAULTS, LiveServer } from './server/live-server.js';
import { PROFILES, type ProfileName, resolveTiming, type Timing } from './server/profiles.js';

export * as coreCodec from './core/codec.js';
export { CORE_DIED_REASON } from './core/core-backend.js';
export type { CoreExit, CoreHost } from './core/core-host.js';
export { LOG_LEVELS, type LogLevel } from './log.js';

export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../device-ui/dist/', import.meta.url));

/**
 * The simulator's own defaults, each documented here once; the listen address and port are the server's
 * (LIVE_SERVER_DEFAULTS), the source options pick-source's (PICK_DEFAULTS) and each source's.
 */
export const SIMULATOR_DEFAULTS = {
  /** The device's limits (`open` relaxes them for load tests). */
  profile: 'nano',
  /** Least severe level logged. */
  logLevel: 'info',
  /** The built page: device-ui/dist beside this package. */
  uiDir: DEFAULT_UI_DIR,
} as const satisfies { profile: ProfileName; logLevel: LogLevel; uiDir: string };

export type SimulatorOptions = PickOptions & {
  /** Listen address. Default LIVE_SERVER_DEFAULTS.host. */
  host?: string;
  /** Listen port; 0 picks a free one. Default LIVE_SERVER_DEFAULTS.port. */
  port?: number;
  /** Origins allowed besides same-origin, compared exactly. Default []. */
  allowOrigins?: string[];
  /** Pairing token required at the handshake (`?token=` or cookie `bleshark_token`). Default: none. */
  token?: string;
  /** `nano` enforces the device's limits; `open` relaxes them for load tests. Default SIMULATOR_DEFAULTS.profile. */
  profile?: ProfileName;
  /** PEM certificate / key files: serve https + wss. Default: none (http + ws). */
  tlsCert?: string;
  tlsKey?: string;
  /** The built page. Default SIMULATOR_DEFAULTS.uiDir. */
  uiDir?: string;
  /** Least severe level logged. Default SIMULATOR_DEFAULTS.logLevel. */
  logLevel?: LogLevel;
  /** Receives each log line (never message contents). Default: writes to stderr. */
  log?: (line: string) => void;
  /** Interval overrides for tests (ping, pong, stuck, status, batch, buffer threshold). Default: none. */
  timing?: Partial<Timing>;
};

export type RunningSimulator = {
  /** http(s)://host:port */
  url: string;
  /** ws(s)://host:port/scan/live */
  wsUrl: string;
  port: number;
  sourceName: string;
  demo: boolean;
  /** Why `auto` fell back to demo, when it did. */
  fallbackReason?: string;
  /** The engine (tests compare client tables with its ground truth). */
  engine: ScanEngine;
  /** Closes every client with 1001, stops the source and closes the server. */
  close(): Promise<void>;
};

/** `--core PATH`: the C core's harness serves the clients (the Nano's limits; `profile` must be nano). */
export type CoreSimulatorOptions = SimulatorOptions & {
  /** The harness program (`npx bleshark-bridge core-host` builds firmware-bridge/out/bleshark-core-host). */
  core: string;
  /** Environment of the harness. Default process.env. */
  coreEnv?: NodeJS.ProcessEnv;
};

export type RunningCoreSimulator = Omit<RunningSimulator, 'engine'> & {
  /** The running harness (its pid, and the end of its stderr: sanitizer reports land there). */
  core: CoreHost;
  /**
   * Resolves with one line when the harness ended while running (every client was closed with 1011); the
   * simulator is then of no use and should be closed (the CLI exits 1).
   */
  died: Promise<string>;
};

const PACKAGE_VERSION = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

function makeLog(options: SimulatorOptions): LogFn {
  const min = LOG_LEVELS.indexOf(options.logLevel ?? SIMULATOR_DEFAULTS.logLevel);
  const sink = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  return (level, message) => {
    if (LOG_LEVELS.indexOf(level) >= min) sink(`${level}: ${message}`);
  };
}

const urlHost = (h: string): string => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

function readTls(options: SimulatorOptions): { cert: Buffer; key: Buffer } | undefined {
  if (!options.tlsCert && !options.tlsKey) return undefined;
  if (!options.tlsCert || !options.tlsKey) throw new Error('--tls-cert and --tls-key go together');
  return { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = makeLog(options);
  const profile = options.profile ?? SIMULATOR_DEFAULTS.profile;
  const limits = PROFILES[profile];
  if (!limits) throw new Error(`unknown profile "${profile}" (nano or open)`);
  const timing = resolveTiming(limits, options.timing);
  const tls = readTls(options);

  const picked = await pickSource(options, log);
  const { source } = picked;
  const engine = new ScanEngine({
    source,
    maxDevices: limits.maxDevices,
    // A record must fit in one frame beside the envelope.
    maxRecordBytes: limits.maxFrameBytes - ENVELOPE_BYTES,
    rateIntervalMs: Math.min(timing.statusIntervalMs, 2000),
    log,
  });
  const epoch = randomBytes(8).readBigUInt64BE().toString(36).slice(0, 12);
  const address = ['02', ...randomBytes(5).toString('hex').match(/../g)!].join(':');
  const host = options.host ?? LIVE_SERVER_DEFAULTS.host;
  const server = new LiveServer({
    engine,
    host,
    port: options.port ?? LIVE_SERVER_DEFAULTS.port,
    limits,
    timing,
    allowOrigins: options.allowOrigins ?? [],
    ...(options.token ? { token: options.token } : {}),
    ...(tls ? { tls } : {}),
    uiDir: options.uiDir ?? SIMULATOR_DEFAULTS.uiDir,
    device: {
      model: 'BLEShark Nano (simulator)',
      firmware: `sim-${PACKAGE_VERSION}`,
      address,
      source: source.name,
      demo: source.demo,
    },
    epoch,
    log,
  });
  // Scanning starts at launch, like the device on boot (active, duplicates on), and before the port opens:
  // a source that cannot start (a missing or foreign replay file, a recording that cannot be written) is
  // a start-up failure, not an idle page.
  let port: number;
  try {
    await engine.start(DEFAULT_SCAN);
    port = await server.listen();
  } catch (err) {
    await engine.stop().catch(() => {});
    engine.close();
    await source.close().catch(() => {});
    throw err;
  }
  if (options.record) log('info', `recording every discovery to ${options.record}`);
  const scheme = tls ? 'https' : 'http';
  const hostPort = `${urlHost(host)}:${port}`;
  let closing: Promise<void> | undefined;
  const running: RunningSimulator = {
    url: `${scheme}://${hostPort}`,
    wsUrl: `${tls ? 'wss' : 'ws'}://${hostPort}/scan/live`,
    port,
    sourceName: source.name,
    demo: source.demo,
    engine,
    close() {
      closing ??= (async () => {
        await server.close();
        await engine.stop().catch(() => {});
        engine.close();
        await source.close().catch(() => {});
      })();
      return closing;
    },
  };
  if (picked.fallbackReason) running.fallbackReason = picked.fallbackReason;
  return running;
}

/**
 * Starts the simulator with the C core in place of the engine and sessions (`--core PATH`): the source,
 * HTTP, the page, the upgrade checks and pings are the simulator's; the harness answers every client.
 * Rejects (the CLI exits 2) when the harness cannot start.
 */
export async function startCoreSimulator(options: CoreSimulatorOptions): Promise<RunningCoreSimulator> {
  const log = makeLog(options);
  const profile = options.profile ?? SIMULATOR_DEFAULTS.profile;
  if (profile !== 'nano')
    throw new Error(
      `--core runs with the Nano's limits, which the core is built with: leave out --profile ${profile}`,
    );
  const limits = PROFILES.nano;
  const timing = resolveTiming(limits, options.timing);
  const tls = readTls(options);
  const picked = await pickSource(options, log);
  const { source } = picked;
  const t0 = performance.now();
  const now = () => Math.floor(performance.now() - t0);
  const epoch = randomBytes(8).readBigUInt64BE().toString(36).slice(0, 12);
  const address = ['02', ...randomBytes(5).toString('hex').match(/../g)!].join(':');
  const device = {
    model: 'BLEShark Nano (simulator, C core)',
    firmware: `core-${PACKAGE_VERSION}`,
    address,
    source: source.name,
    demo: source.demo,
  };
  const backend = new CoreBackend({
    path: options.core,
    source,
    init: {
      model: device.model,
      firmware: device.firmware,
      address,
      epoch,
      maxDevices: limits.maxDevices,
      hashSeed: randomBytes(4).readUInt32LE(0),
      // Scanning starts at launch, like the device on boot and the TypeScript engine (DEFAULT_SCAN).
      scanOnInit: true,
      capsOff: 0,
    },
    now,
    timing,
    maxClients: limits.maxClients,
    log,
    ...(options.coreEnv ? { env: options.coreEnv } : {}),
  });
  const host = options.host ?? LIVE_SERVER_DEFAULTS.host;
  const server = new LiveServer({
    backend,
    host,
    port: options.port ?? LIVE_SERVER_DEFAULTS.port,
    limits,
    timing,
    allowOrigins: options.allowOrigins ?? [],
    ...(options.token ? { token: options.token } : {}),
    ...(tls ? { tls } : {}),
    uiDir: options.uiDir ?? SIMULATOR_DEFAULTS.uiDir,
    device,
    epoch,
    log,
  });
  let port: number;
  try {
    await backend.start();
    port = await server.listen();
  } catch (err) {
    await server.close().catch(() => {});
    await backend.close().catch(() => {});
    await source.close().catch(() => {});
    throw new Error(`the C core: ${err instanceof Error ? err.message : String(err)}`);
  }
  log('info', `the C core (${options.core}, pid ${backend.host.pid}) serves /scan/live`);
  if (options.record) log('info', `recording every discovery to ${options.record}`);
  const scheme = tls ? 'https' : 'http';
  const hostPort = `${urlHost(host)}:${port}`;
  let closing: Promise<void> | undefined;
  const running: RunningCoreSimulator = {
    url: `${scheme}://${hostPort}`,
    wsUrl: `${tls ? 'wss' : 'ws'}://${hostPort}/scan/live`,
    port,
    sourceName: source.name,
    demo: source.demo,
    core: backend.host,
    died: backend.died.then(
      (e) => `the C core (${options.core}) ${e.why}; every client was closed with 1011`,
    ),
    close() {
      closing ??= (async () => {
        await server.close();
        await backend.close().catch(() => {});
        await source.close().catch(() => {});
      })();
      return closing;
    },
  };
  if (picked.fallbackReason) running.fallbackReason = picked.fallbackReason;
  return running;
}
