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
  # All load comes from one loopback address: the per-client token bucket
  # (hardening, default 50 req/s) would measure itself, not the pipeline.
  rateLimit:
    requestsPerSecond: 0
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
