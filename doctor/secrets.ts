import type { Config } from '../config/schema.ts'
import { SOURCE_DISPLAY, displayName } from '../sources/display.ts'
import { ALL_SOURCES, isSecured } from '../sources/index.ts'
import { check, type Check } from './check.ts'

/** The secret of every source that takes deliveries (SOURCES): without one, its webhooks are accepted from loopback only. */
export function secretChecks(config: Config): Check[] {
  const sources = ALL_SOURCES.filter((s) => (s.routes ?? []).length > 0).map((s) => {
    const name = displayName(s.name)
    if (isSecured(s, config)) return check(`secrets.${s.name}`, 'ok', `${name}: secret set`)
    const what = s.unauthenticated?.((config as unknown as Record<string, never>)[s.name]) ?? name
    return check(`secrets.${s.name}`, 'warn', `${what}: no secret — its webhooks are accepted from loopback only, so the sender cannot reach doraflow`, SOURCE_DISPLAY[s.name]?.secretFix ?? 'set its secret in doraflow.yaml (see INTERFACE.md)')
  })
  const api = config.api.tokens.length + (config.api.adminTokens?.length ?? 0)
  return [
    ...sources,
    api > 0
      ? check('secrets.api', 'ok', `API: ${config.api.tokens.length} read and ${config.api.adminTokens?.length ?? 0} admin token(s)`)
      : check('secrets.api', config.server.host === '127.0.0.1' ? 'ok' : 'warn', `API: no tokens — /api/* and the overview are open to anyone who reaches port ${config.server.port}`, config.server.host === '127.0.0.1' ? null : 'set api.tokens (and api.adminTokens) before exposing the port, or listen on 127.0.0.1 only'),
  ]
}
