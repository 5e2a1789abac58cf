import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFixtureDist } from '../test/fixture-dist.js';
import { COMMANDS, runCli } from './cli.js';
import type { CommandIo } from './command.js';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
  return { io, out, err };
};

let fx = { root: '', dist: '', out: '' };
beforeEach(async () => {
  fx = await makeFixtureDist();
});
afterEach(async () => {
  await rm(fx.root, { recursive: true, force: true });
});

describe('bleshark-bridge', () => {
  it('lists pack, protocol-header and check in --help', async () => {
    const c = capture();
    expect(await runCli(['--help'], c.io)).toBe(0);
    const text = c.out.join('\n');
    for (const name of ['pack', 'protocol-header', 'check']) expect(text).toContain(`  ${name} `);
    expect(Object.keys(COMMANDS)).toEqual(['pack', 'protocol-header', 'check']);
  });

  it('exits 2 on no or an unknown command', async () => {
    expect(await runCli([], capture().io)).toBe(2);
    const c = capture();
    expect(await runCli(['flash'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown command "flash"/);
  });

  it('says check is not implemented yet', async () => {
    const c = capture();
    expect(await runCli(['check', 'ws://127.0.0.1:1/scan/live'], c.io)).toBe(1);
    expect(c.err).toEqual(['check: not implemented yet']);
  });

  it('packs, printing the size line and what it wrote, then nothing on a rerun', async () => {
    const c = capture();
    expect(await runCli(['pack', '--input', fx.dist, '--out', fx.out], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/^page: 60 bytes -> \d+ bytes gzipped \(budget 14336\)$/);
    expect(c.out).toContain('  created  bleshark_web_ui.h');
    expect(c.out.at(-1)).toBe(`5 written, 0 unchanged in ${fx.out}`);
    const again = capture();
    expect(await runCli(['pack', '--input', fx.dist, '--out', fx.out], again.io)).toBe(0);
    expect(again.out.at(-1)).toBe(`0 written, 5 unchanged in ${fx.out}`);
  });

  it('fails pack over budget with exit 1, still printing the size line', async () => {
    const c = capture();
    expect(await runCli(['pack', '--input', fx.dist, '--out', fx.out, '--budget', '30'], c.io)).toBe(1);
    expect(c.out).toEqual([expect.stringMatching(/^page: 60 bytes -> \d+ bytes gzipped \(budget 30\)$/)]);
    expect(c.err.join('\n')).toMatch(/over the budget of 30 bytes/);
  });

  it('fails pack without a built page, telling to run npm run build', async () => {
    const c = capture();
    expect(await runCli(['pack', '--input', join(fx.root, 'nope'), '--out', fx.out], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/npm run build/);
  });

  it('rejects bad options with exit 2', async () => {
    expect(await runCli(['pack', '--budget', 'lots'], capture().io)).toBe(2);
    expect(await runCli(['pack', '--frobnicate'], capture().io)).toBe(2);
    expect(await runCli(['protocol-header', 'extra'], capture().io)).toBe(2);
  });

  it('writes the protocol header into --out', async () => {
    const c = capture();
    expect(await runCli(['protocol-header', '--out', fx.out], c.io)).toBe(0);
    expect(c.out).toEqual(['  created  bleshark_protocol.h', `1 written, 0 unchanged in ${fx.out}`]);
    expect(await readFile(join(fx.out, 'bleshark_protocol.h'), 'utf8')).toContain(
      '#define BLESHARK_ENDPOINT_PATH',
    );
  });

  it('prints each command help', async () => {
    for (const name of ['pack', 'protocol-header']) {
      const c = capture();
      expect(await runCli([name, '--help'], c.io)).toBe(0);
      expect(c.out.join('\n')).toMatch(new RegExp(`^Usage: bleshark-bridge ${name}`));
    }
  });
});
