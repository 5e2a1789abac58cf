// Starts a LiveServer on port 0 with a FakeSource and short timers; every test closes it in afterEach.
import { ScanEngine } from '../src/engine/scan-engine.js';
import { LiveServer } from '../src/server/live-server.js';
import { PROFILES, type ProfileName, resolveTiming, type Timing } from '../src/server/profiles.js';
import { FakeSource } from './fake-source.js';

export type HarnessOptions = {
  profile?: ProfileName;
  timing?: Partial<Timing>;
  token?: string;
  allowOrigins?: string[];
  uiDir?: string;
  maxDevices?: number;
};

export type Harness = Awaited<ReturnType<typeof startHarness>>;

export async function startHarness(o: HarnessOptions = {}) {
  const limits = { ...PROFILES[o.profile ?? 'nano'], ...(o.maxDevices ? { maxDevices: o.maxDevices } : {}) };
  const timing = resolveTiming(limits, { batchIntervalMs: 20, statusIntervalMs: 200, ...o.timing });
  const source = new FakeSource();
  const engine = new ScanEngine({
    source,
    maxDevices: limits.maxDevices,
    maxRecordBytes: limits.maxFrameBytes - 128,
  });
  const logs: string[] = [];
  const server = new LiveServer({
    engine,
    host: '127.0.0.1',
    port: 0,
    limits,
    timing,
    allowOrigins: o.allowOrigins ?? [],
    ...(o.token ? { token: o.token } : {}),
    uiDir: o.uiDir ?? '/nonexistent-ui-dir',
    device: {
      model: 'BLEShark Nano (simulator)',
      firmware: 'sim-test',
      address: '02:00:00:00:00:01',
      source: 'demo',
      demo: true,
    },
    epoch: 'testepoch',
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  const port = await server.listen();
  await engine.start();
  return {
    source,
    engine,
    server,
    port,
    limits,
    timing,
    logs,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/scan/live`,
    async close() {
      await server.close();
      engine.close();
      await source.close();
    },
  };
}
