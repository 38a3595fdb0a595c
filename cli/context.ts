import type { Command } from 'commander'
import type { Logger } from 'pino'
import { loadConfig, ConfigError, type LoadedConfig } from '../config/load.ts'
import { createLogger } from '../server/logger.ts'
import { envFor } from '../config/dotenv.ts'

export interface GlobalOptions {
  config?: string
}

export function load(opts: GlobalOptions): LoadedConfig {
  return loadConfig(opts.config, envFor(opts.config ?? './doraflow.yaml', process.env))
}

export function logger(): Logger {
  return createLogger({ destination: process.stderr })
}

/** Commands that make, bring or diagnose their own configuration, so a broken ./doraflow.yaml must not stop them before they start (doctor reports it as a check). */
const OWN_CONFIG = new Set(['init', 'demo', 'doctor'])

/**
 * Every command refuses a bad configuration before it does anything — also the ones
 * (like `query --list`) that would not otherwise read it: a misspelt key is found at
 * the first command a user runs, not when the lost secret is missed.
 */
export function checkConfigBeforeEveryCommand(program: Command): void {
  program.hook('preAction', (_root, action) => {
    if (OWN_CONFIG.has(action.name())) return
    try {
      load(program.opts<GlobalOptions>())
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e
      process.stderr.write(`doraflow: ${e.message}\n`)
      process.exit(2)
    }
  })
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
