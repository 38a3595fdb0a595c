import { hostname } from 'node:os'
import type { Config } from '../config/schema.ts'
import type { Roles } from '../server/start.ts'
import { SOURCE_DISPLAY, displayName } from '../sources/display.ts'
import { ALL_SOURCES, isSecured } from '../sources/index.ts'

/**
 * What `serve` prints once it listens: the URLs to give each sender (every route of
 * every source in SOURCES) and the overview's, so a new user need not read the log.
 */
export function startBanner(config: Config, port: number, roles: Roles): string {
  const local = config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host
  const publicHost = local === 'localhost' ? hostname() : local
  const webhooks = ALL_SOURCES.flatMap((s) => (s.routes ?? []).map((r) => ({ who: displayName(s.name), url: `http://${publicHost}:${port}${r.path}`, secured: isSecured(s, config), how: SOURCE_DISPLAY[s.name]?.sender })))
  const width = Math.max('overview'.length, ...webhooks.map((w) => w.who.length))
  const urlWidth = Math.max(0, ...webhooks.map((w) => w.url.length))
  const lines = [`doraflow is running (${[roles.ingest && 'webhook ingest', roles.process && 'processor and API'].filter(Boolean).join(', ')}) — Ctrl-C stops it`]
  if (roles.process) lines.push(`  ${'overview'.padEnd(width)}  http://${local}:${port}/`)
  if (roles.ingest) {
    for (const w of webhooks) lines.push(`  ${w.who.padEnd(width)}  ${w.url.padEnd(urlWidth)}  ${w.secured ? 'secret set' : 'NO SECRET: loopback only'}${w.how ? ` · ${w.how}` : ''}`)
    lines.push('  (behind a proxy or another host name, give the senders that URL; `doraflow doctor --url URL` checks it)')
  }
  return `\n${lines.join('\n')}\n\n`
}
