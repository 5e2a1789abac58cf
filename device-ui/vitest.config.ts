import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'device-ui',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'build/**/*.test.ts', 'test/**/*.test.ts'],
    // Browser tests wait on a real simulator; each wait has its own generous bound (15 s: a busy 2-core machine).
    testTimeout: 60000,
    hookTimeout: 60000,
  },
});
