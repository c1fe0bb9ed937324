import { defineConfig } from 'vitest/config';

// One runner for unit, integration (real SQLite, HTTP on 127.0.0.1, socat ptys) and e2e (Chromium via
// playwright-core). Files are isolated per worker; the two cores of CI machines set the pool size.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'eslint/**/*.test.ts', 'e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
