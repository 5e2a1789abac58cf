import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT_DIR, DEFAULT_OUT_DIR, REPO_ROOT } from './repo-paths.js';

describe('repo paths', () => {
  it('finds the workspace root from the package location', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      workspaces?: string[];
    };
    expect(pkg.workspaces).toContain('firmware-bridge');
    expect(existsSync(join(REPO_ROOT, 'firmware-bridge', 'package.json'))).toBe(true);
  });

  it('defaults to device-ui/dist in and firmware-bridge/out out', () => {
    expect(DEFAULT_INPUT_DIR).toBe(join(REPO_ROOT, 'device-ui', 'dist'));
    expect(DEFAULT_OUT_DIR).toBe(join(REPO_ROOT, 'firmware-bridge', 'out'));
  });
});
