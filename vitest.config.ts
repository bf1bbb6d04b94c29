import { defineConfig } from 'vitest/config';

export const config = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real binaries (terraform, PostgreSQL, Chromium) are heavy: keep parallelism to the machine's 2 cores.
    maxWorkers: 2,
    // One embedded PostgreSQL server for every test file that needs one (the lock tests): `inject('pgUrl')`.
    globalSetup: ['test/global-setup.ts'],
  },
});

export default config;
