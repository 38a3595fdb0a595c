import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // chdb binds one data directory per process: keep each test file in its own fork.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
})
