import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfigText } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'
import { createLogger } from '../../server/logger.ts'
import { startServer, type Running } from '../../server/start.ts'
import { GITHUB_SECRET, PAGERDUTY_SECRET, SCENARIO_CONFIG_YAML } from './scenario.ts'

export function scenarioConfig(dir: string = mkdtempSync(join(tmpdir(), 'doraflow-'))): Config {
  const config = parseConfigText(SCENARIO_CONFIG_YAML, { GH_SECRET: GITHUB_SECRET, PD_SECRET: PAGERDUTY_SECRET })
  config.log.path = join(dir, 'log')
  config.clickhouse.path = join(dir, 'clickhouse')
  config.server.host = '127.0.0.1'
  config.processor.pollIntervalMs = 50
  return config
}

export async function startTestServer(config: Config): Promise<Running & { url: string }> {
  const running = await startServer(config, createLogger({ level: 'warn' }))
  return Object.assign(running, { url: `http://127.0.0.1:${running.port}` })
}
