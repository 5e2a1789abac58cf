import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    // Tests wait for events; on a busy 2-core machine those can take seconds, so the bounds are generous.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    name: 'firmware-bridge',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
  },
});
