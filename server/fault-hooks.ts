import { writeFileSync } from 'node:fs'
import type { BatchResult, ProcessorHooks } from '../processors/processor.ts'

/**
 * Test hook, by environment (fault tests run real child processes):
 * DORAFLOW_TEST_PAUSE_BEFORE_COMMIT=FILE — after ClickHouse accepted the
 * first batch of at least DORAFLOW_TEST_PAUSE_MIN_EVENTS events (default 1),
 * write FILE and hang before committing its offset, so the test can kill -9
 * the process exactly between the ClickHouse write and the offset commit.
 */
export function faultTestHooks(env: NodeJS.ProcessEnv): ProcessorHooks {
  const file = env.DORAFLOW_TEST_PAUSE_BEFORE_COMMIT
  if (!file) return {}
  const min = Number(env.DORAFLOW_TEST_PAUSE_MIN_EVENTS ?? 1)
  return {
    beforeCommit: async (r: BatchResult) => {
      if (r.read < min) return
      writeFileSync(file, JSON.stringify(r))
      await new Promise(() => {}) // hang until killed
    },
  }
}

