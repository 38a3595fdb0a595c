import type { Config } from '../config/schema.ts'
import { check, type Check } from './check.ts'

/** Webhook secrets per source: without one, a source's webhooks are accepted from loopback only. */
export function secretChecks(config: Config): Check[] {
  const source = (id: string, name: string, set: number, key: string, how: string) =>
    set > 0
      ? check(`secrets.${id}`, 'ok', `${name}: ${set} secret${set > 1 ? 's' : ''} set (${key})`)
      : check(`secrets.${id}`, 'warn', `${name}: no secret (${key}) — its webhooks are accepted from loopback only, so ${name} cannot reach doraflow`, how)
  const api = (config.api.tokens.length + (config.api.adminTokens?.length ?? 0))
  return [
    source('github', 'GitHub', config.github.webhookSecrets.length, 'github.webhookSecrets', 'set GITHUB_WEBHOOK_SECRET (doraflow init generates one) and paste the same value as the webhook\'s "Secret" on GitHub'),
    source('pagerduty', 'PagerDuty', config.pagerduty.webhookSecrets.length, 'pagerduty.webhookSecrets', 'create the V3 webhook subscription in PagerDuty and set PAGERDUTY_WEBHOOK_SECRET to the secret it shows'),
    source('events', 'POST /events', config.events.tokens.length, 'events.tokens', 'set DORAFLOW_EVENTS_TOKEN and send it as "Authorization: Bearer <token>"'),
    api > 0
      ? check('secrets.api', 'ok', `API: ${config.api.tokens.length} read and ${config.api.adminTokens?.length ?? 0} admin token(s)`)
      : check('secrets.api', config.server.host === '127.0.0.1' ? 'ok' : 'warn', `API: no tokens — /api/* and the overview are open to anyone who reaches port ${config.server.port}`, config.server.host === '127.0.0.1' ? null : 'set api.tokens (and api.adminTokens) before exposing the port, or listen on 127.0.0.1 only'),
  ]
}
