/**
 * A throw-away doraflow: its own temporary folder (log, ClickHouse, config), a real
 * `serve` in this process with generated secrets, and the generated quarter fed
 * through the signed webhook endpoints. Nothing is written outside the folder, and
 * `stop` removes it.
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfigText } from '../config/load.ts'
import { QUARTER_DAYS, quarterDeliveries, quarterServicesYaml } from '../generator/quarter.ts'
import { releaseDeliveries } from '../generator/releases.ts'
import { gitlabDeliveries, gitlabServiceYaml } from '../generator/gitlab.ts'
import type { GeneratedDelivery } from '../generator/history.ts'
import { createLogger } from '../server/logger.ts'
import { startServer, type Running } from '../server/start.ts'

export interface DemoInstance {
  dir: string
  url: string
  /** A doraflow.yaml for this instance: `doraflow --config FILE metrics` then asks it over HTTP. */
  configFile: string
  deliveries: GeneratedDelivery[]
  stop(): Promise<void>
}

const secret = () => randomBytes(24).toString('base64url')

function configYaml(o: { dir: string; port: number; github: string; pagerduty: string; gitlab: string; events: string; end: number }): string {
  // A release freeze over the quarter's second-last week, for payments (METRICS.md §14).
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  const freeze = { from: day(o.end - 14 * 86_400_000), to: day(o.end - 7 * 86_400_000) }
  return `# doraflow demo: a throw-away instance (removed when the demo stops)
server:
  host: 127.0.0.1
  port: ${o.port}
log:
  path: ${join(o.dir, 'log')}
clickhouse:
  path: ${join(o.dir, 'clickhouse')}
imports:
  path: ${join(o.dir, 'imports')}
github:
  webhookSecrets: [${o.github}]
pagerduty:
  webhookSecrets: [${o.pagerduty}]
gitlab:
  webhookTokens: [${o.gitlab}]
events:
  tokens: [${o.events}]
freezes:
  - {name: payments pre-audit freeze, from: ${freeze.from}, to: ${freeze.to}, teams: [payments]}
${quarterServicesYaml()}
${gitlabServiceYaml()}
`
}

export async function startDemo(o: { port: number; seed: number; now?: number }): Promise<DemoInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-demo-'))
  let running: Running | null = null
  try {
    const secrets = { github: secret(), pagerduty: secret(), gitlab: secret(), events: secret() }
    const end = Math.floor((o.now ?? Date.now()) / 60_000) * 60_000
    const config = parseConfigText(configYaml({ dir, port: o.port, end, ...secrets }), {})
    // The server's own log goes to a file in the folder: the terminal is the demo's.
    const logger = createLogger({ level: 'info', destination: createWriteStream(join(dir, 'doraflow.log')) })
    running = await startServer(config, logger)
    const configFile = join(dir, 'doraflow.yaml')
    writeFileSync(configFile, configYaml({ dir, port: running.port, end, ...secrets }))
    // The quarter's deployments and incidents, its GitLab-hosted service, its flag releases and canary rollouts, in time order.
    const deliveries = [
      ...quarterDeliveries({ seed: o.seed, end, githubSecret: secrets.github, pagerdutySecret: secrets.pagerduty }),
      ...gitlabDeliveries({ seed: o.seed, end, token: secrets.gitlab, days: QUARTER_DAYS }),
      ...releaseDeliveries({ seed: o.seed, end, eventsToken: secrets.events, days: QUARTER_DAYS }),
    ].sort((a, b) => a.at - b.at)
    const r = running
    return {
      dir,
      url: `http://127.0.0.1:${running.port}`,
      configFile,
      deliveries,
      stop: async () => {
        try {
          await r.stop()
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      },
    }
  } catch (e) {
    await running?.stop().catch(() => {})
    rmSync(dir, { recursive: true, force: true })
    throw e
  }
}
