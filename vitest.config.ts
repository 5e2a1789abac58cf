import { defineConfig } from 'vitest/config';

// One Vitest project per workspace package; each package's own vitest.config.ts sets its environment.
export default defineConfig({
  test: {
    projects: ['shared-protocol', 'simulator', 'device-ui', 'firmware-bridge', 'bench'],
  },
});
