import { defineProject } from 'vitest/config';

// The reliability suite: faults, hostile input, security and a one-minute soak against the real simulator
// (TypeScript sources through the `source` condition) and real Chromium. Loopback only.
export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'reliability',
    include: ['reliability/**/*.test.ts'],
    testTimeout: 60000,
  },
});
