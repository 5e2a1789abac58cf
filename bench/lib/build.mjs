// Builds the packages the benchmarks import (their dist/) when a dist file is missing or older than its
// sources, with the root `npm run build` (once).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './machine.mjs';

/** Package -> [a built file that must exist, the source folders it comes from]. */
const OUTPUTS = {
  'shared-protocol': ['shared-protocol/dist/index.js', ['shared-protocol/src']],
  simulator: ['simulator/dist/cli.js', ['simulator/src', 'shared-protocol/src']],
  'device-ui': [
    'device-ui/dist/index.html',
    ['device-ui/src', 'device-ui/index.html', 'shared-protocol/src'],
  ],
  'firmware-bridge': [
    'firmware-bridge/dist/check/command.js',
    ['firmware-bridge/src', 'shared-protocol/src'],
  ],
};

function newest(path) {
  const p = join(ROOT, path);
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.endsWith('.test.ts')) continue;
    m = Math.max(m, newest(join(path, e.name)));
  }
  return m;
}

/** The packages whose built output is missing or stale. */
export function staleOutputs(pkgs = Object.keys(OUTPUTS)) {
  return pkgs.filter((p) => {
    const [out, srcs] = OUTPUTS[p];
    const built = newest(out);
    return built === 0 || srcs.some((s) => newest(s) > built);
  });
}

/** Runs `npm run build` when needed. Fails only when a needed output is still missing afterwards. */
export async function ensureBuilt(pkgs = Object.keys(OUTPUTS)) {
  const stale = staleOutputs(pkgs);
  if (!stale.length) return;
  console.log(`bench: building (${stale.join(', ')} missing or older than sources): npm run build`);
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) console.warn(`bench: npm run build exited with ${r.status}; using what is built`);
  const missing = pkgs.filter((p) => !existsSync(join(ROOT, OUTPUTS[p][0])));
  if (missing.length)
    throw new Error(`bench: ${missing.map((p) => OUTPUTS[p][0]).join(', ')} missing after the build`);
}
