import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import type { DomainEvent } from '../domain/events.ts'
import { project } from './project/index.ts'
import { replaceServices } from './sink.ts'

/** The routings a configured service draws its facts from. */
function routingsOf(s: Config['services'][number]): string[] {
  return [...s.repositories.map((r) => `github:${r.toLowerCase()}`), ...s.pagerdutyServices.map((p) => `pagerduty:${p}`), `named:${s.name}`]
}

/**
 * Closes a set of routings over the configuration: a service reached through
 * one of its sources brings all its other sources, so that its projection is
 * computed from all its facts (and a repository shared by two services brings
 * both).
 */
export function closeRoutings(seed: Iterable<string>, config: Config): { routings: Set<string>; services: Set<string> } {
  const routings = new Set(seed)
  const services = new Set<string>()
  let grew = true
  while (grew) {
    grew = false
    for (const s of config.services) {
      if (services.has(s.name)) continue
      const own = routingsOf(s)
      if (own.some((r) => routings.has(r))) {
        services.add(s.name)
        for (const r of own) routings.add(r)
        grew = true
      }
    }
  }
  return { routings, services }
}

interface FactBody {
  body: string
  entity: string
  type: string
}

// Only these entities can be reported under more than one routing.
const MOVABLE = ['IncidentTransitioned', 'ExternalDeploymentReported']

/**
 * Recomputes every service reachable from `seed` routings from its facts in
 * ClickHouse and replaces its derived rows. The state a processor needs is
 * rebuilt from ClickHouse each time, so any replica can do it.
 */
export async function recompute(db: Db, config: Config, seed: Iterable<string>, opts: { skipDelete?: boolean } = {}): Promise<string[]> {
  let { routings, services } = closeRoutings(seed, config)
  if (routings.size === 0) return []
  let facts: FactBody[] = []
  for (let round = 0; round < 8; round++) {
    facts = await db.query<FactBody>('SELECT body, entity, type FROM facts WHERE routing IN {routings:Array(String)}', { routings: [...routings] })
    const entities = [...new Set(facts.filter((f) => MOVABLE.includes(f.type)).map((f) => f.entity))]
    if (entities.length === 0) break
    const extra = await db.query<{ routing: string }>(
      'SELECT DISTINCT routing FROM facts WHERE entity IN {entities:Array(String)} AND routing NOT IN {routings:Array(String)}',
      { entities, routings: [...routings] },
    )
    if (extra.length === 0) break
    ;({ routings, services } = closeRoutings([...routings, ...extra.map((r) => r.routing)], config))
  }
  const events = facts.map((f) => JSON.parse(f.body) as DomainEvent)
  const projection = project(events, config)
  const names = new Set(services)
  for (const rows of [projection.deployments, projection.changes, projection.pullRequests, projection.failedAttempts, projection.incidents, projection.incidentEvents]) {
    for (const r of rows) names.add(r.service)
  }
  const list = [...names].sort()
  await replaceServices(db, list, projection, opts)
  return list
}
