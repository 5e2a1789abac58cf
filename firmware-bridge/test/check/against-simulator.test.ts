// The checker against the reference device: every check must pass.
import { startSimulator } from '@bleshark/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/check/command.js';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('check against the simulator', () => {
  it('passes every check in under 20 s', async () => {
    sim = await startSimulator({
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      profile: 'nano',
      seed: 7,
      log: () => {},
    });
    const out: string[] = [];
    const err: string[] = [];
    const t0 = Date.now();
    const code = await checkCommand([sim.wsUrl], { out: (l) => out.push(l), err: (l) => err.push(l) });
    const ms = Date.now() - t0;
    const failures = out.filter((l) => l.startsWith('fail'));
    if (failures.length) console.log(`checker failures against the simulator:\n${failures.join('\n')}`);
    console.log(`${out.at(-1)} in ${ms} ms`);
    expect(failures, failures.join('\n')).toEqual([]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^\d+ passed, 0 failed/);
  }, 40_000);

  it('passes the token and origin checks when pairing and an allowlist are on', async () => {
    const origin = 'http://page.example';
    sim = await startSimulator({
      source: 'demo',
      port: 0,
      host: '127.0.0.1',
      profile: 'nano',
      seed: 7,
      token: 's3cret',
      allowOrigins: [origin],
      log: () => {},
    });
    const out: string[] = [];
    const args = [
      sim.wsUrl,
      '--token',
      's3cret',
      '--origin',
      origin,
      '--only',
      'handshake.token',
      '--only',
      'handshake.*-origin',
      '--only',
      'app.hello-first',
    ];
    const code = await checkCommand(args, { out: (l) => out.push(l), err: () => {} });
    expect(
      out.filter((l) => !l.startsWith('pass')),
      out.join('\n'),
    ).toEqual(['8 passed, 0 failed']);
    expect(code).toBe(0);
  }, 20_000);
});
