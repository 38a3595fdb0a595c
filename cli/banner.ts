import { hostname } from 'node:os'
import type { Config } from '../config/schema.ts'
import type { Roles } from '../runtime/server.ts'

/** Where each sender posts, with the configuration key of its secret. */
const WEBHOOKS = [
  { who: 'GitHub', path: '/webhooks/github', how: 'JSON; push, pull_request, deployment_status, issues', secret: (c: Config) => c.github.webhookSecrets.length > 0 },
  { who: 'PagerDuty', path: '/webhooks/pagerduty', how: 'a V3 webhook subscription', secret: (c: Config) => c.pagerduty.webhookSecrets.length > 0 },
  { who: 'other tools', path: '/events', how: 'doraflow JSON or CloudEvents', secret: (c: Config) => c.events.tokens.length > 0 },
]

/**
 * What `serve` prints once it listens: the URLs to give GitHub and PagerDuty and the
 * overview's, so a new user need not read the log to find them.
 */
export function startBanner(config: Config, port: number, roles: Roles): string {
  const local = config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host
  const publicHost = local === 'localhost' ? hostname() : local
  const lines = [`doraflow is running (${[roles.ingest && 'webhook ingest', roles.process && 'processor and API'].filter(Boolean).join(', ')}) — Ctrl-C stops it`]
  const width = Math.max('overview'.length, ...WEBHOOKS.map((w) => w.who.length))
  if (roles.process) lines.push(`  ${'overview'.padEnd(width)}  http://${local}:${port}/`)
  if (roles.ingest) {
    const urls = WEBHOOKS.map((w) => `http://${publicHost}:${port}${w.path}`)
    const urlWidth = Math.max(...urls.map((u) => u.length))
    WEBHOOKS.forEach((w, i) => lines.push(`  ${w.who.padEnd(width)}  ${urls[i]!.padEnd(urlWidth)}  ${w.secret(config) ? 'secret set' : 'NO SECRET: loopback only'} · ${w.how}`))
    lines.push('  (behind a proxy or another host name, give the senders that URL; `doraflow doctor --url URL` checks it)')
  }
  return `\n${lines.join('\n')}\n\n`
}
