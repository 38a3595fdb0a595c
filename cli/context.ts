import type { Logger } from 'pino'
import { loadConfig, ConfigError, type LoadedConfig } from '../config/load.ts'
import { createLogger } from '../server/logger.ts'

export interface GlobalOptions {
  config?: string
}

export function load(opts: GlobalOptions): LoadedConfig {
  return loadConfig(opts.config, process.env)
}

export function logger(): Logger {
  return createLogger({ destination: process.stderr })
}

/** Errors a user can act on are printed plainly, without a stack; exit code 2 for usage/config, 1 otherwise. */
export async function runAction(f: () => Promise<void>): Promise<void> {
  try {
    await f()
  } catch (e) {
    const err = e as Error
    if (e instanceof ConfigError) {
      process.stderr.write(`doraflow: ${err.message}\n`)
      process.exit(2)
    }
    process.stderr.write(`doraflow: ${err.message}\n`)
    if (process.env.DORAFLOW_DEBUG) process.stderr.write(`${err.stack}\n`)
    process.exit(1)
  }
}
