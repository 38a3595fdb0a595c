import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { GITHUB_SECRET, PAGERDUTY_SECRET, servicesYaml } from './workload.ts'

export const PROBE_REPO = 'bench/probe'

/** A doraflow.yaml on the embedded defaults for `repos` configured services (+ the freshness probe); `log` adds lines to the log block (e.g. `kind: kafka`). */
export function writeConfig(dir: string, o: { port: number; repos: number; extra?: string; log?: string[] }): string {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'doraflow.yaml')
  writeFileSync(
    file,
    `server:
  host: 127.0.0.1
  port: ${o.port}
  # No rateLimit override: all load comes from one loopback address, as GitHub's
  # deliveries come from few, and signed deliveries are never charged to it.
log:
  path: ${join(dir, 'log')}
${(o.log ?? []).map((l) => `  ${l}\n`).join('')}clickhouse:
  path: ${join(dir, 'clickhouse')}
github:
  webhookSecrets: [${GITHUB_SECRET}]
pagerduty:
  webhookSecrets: [${PAGERDUTY_SECRET}]
events:
  tokens: [bench-events-token]
metrics:
  timezone: UTC
${o.extra ?? ''}
${servicesYaml(o.repos)}
  - name: probe
    team: bench
    repositories: [${PROBE_REPO}]
`,
  )
  return file
}
