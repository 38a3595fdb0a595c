import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import type { DomainEvent } from '../contracts/events.ts'
import type { Projection } from '../contracts/records.ts'
import { loadCorrections } from './correction-targets.ts'
import { project } from './project/index.ts'
import { replaceServices, type ReplaceOptions } from './sink.ts'
import { recomputeReleases, releaseServices, withFlagOwners } from './releases/store.ts'
import { closeRoutings } from '../sources/routing.ts'
import { isMovable, upcast } from './upcast.ts'

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

interface FactBody {
  body: string
  entity: string
  type: string
  routing: string
}

/**
 * Recomputes every service reachable from `seed` routings from its facts in
 * ClickHouse and replaces its derived rows. The state a processor needs is
 * rebuilt from ClickHouse each time, so any replica can do it.
 */
export async function recompute(db: Db, config: Config, seed: Iterable<string>, opts: ReplaceOptions = {}): Promise<string[]> {
  let { routings, services } = closeRoutings(await withFlagOwners(db, config, seed), config)
  if (routings.size === 0) return []
  let facts: FactBody[] = []
  for (let round = 0; round < 8; round++) {
    facts = await db.query<FactBody>('SELECT body, entity, type, routing FROM facts WHERE routing IN {routings:Array(String)}', { routings: [...routings] })
    const entities = [...new Set(facts.filter(isMovable).map((f) => f.entity))]
    if (entities.length === 0) break
    const extra = await db.query<{ routing: string }>(
      'SELECT DISTINCT routing FROM facts WHERE entity IN {entities:Array(String)} AND routing NOT IN {routings:Array(String)}',
      { entities, routings: [...routings] },
    )
    if (extra.length === 0) break
    ;({ routings, services } = closeRoutings([...routings, ...extra.map((r) => r.routing)], config))
  }
  const projection = await projectByComponent([...facts.filter((f) => f.type !== 'CorrectionRecorded'), ...(await loadCorrections(db))], config)
  const names = new Set(services)
  for (const rows of [projection.deployments, projection.changes, projection.pullRequests, projection.failedAttempts, projection.incidents, projection.incidentEvents]) {
    for (const r of rows) names.add(r.service)
  }
  for (const s of releaseServices(facts, config)) names.add(s)
  const list = [...names].sort()
  await replaceServices(db, list, projection, opts)
  await recomputeReleases(db, config, list, projection, facts, opts)
  return list
}

class UnionFind<K> {
  readonly #parent = new Map<K, K>()
  find(x: K): K {
    let p = this.#parent.get(x)
    if (p === undefined) {
      this.#parent.set(x, x)
      return x
    }
    if (p === x) return x
    p = this.find(p)
    this.#parent.set(x, p)
    return p
  }
  union(a: K, b: K): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra !== rb) this.#parent.set(rb, ra)
  }
}

const COMPONENTS_PER_PROJECTION = 24

const serviceNames = (p: Projection): Set<string> => {
  const s = new Set<string>()
  for (const rows of [p.deployments, p.changes, p.pullRequests, p.failedAttempts, p.incidents, p.incidentEvents]) for (const r of rows) s.add(r.service)
  return s
}

/**
 * project() over the facts, one independent component at a time: routings
 * joined by the configuration (closeRoutings) or by an entity reported under
 * several of them. The projection of a service scans the events of everything
 * projected with it, so projecting a thousand services at once is quadratic;
 * per component it is linear. Components whose projections name the same
 * service (an implied service two sources share) are projected together
 * again, so the rows are those of one project() over all the facts.
 */
export async function projectByComponent(all: readonly FactBody[], config: Config): Promise<Projection> {
  // Corrections (§18) belong to no component: every projection reads all of them.
  const corrections = all.filter((f) => f.type === 'CorrectionRecorded').map((f) => JSON.parse(f.body) as DomainEvent)
  const facts = corrections.length ? all.filter((f) => f.type !== 'CorrectionRecorded') : all
  const uf = new UnionFind<string>()
  const closed = new Set<string>()
  const byEntity = new Map<string, string>()
  for (const f of facts) {
    if (!closed.has(f.routing)) {
      for (const r of closeRoutings([f.routing], config).routings) {
        closed.add(r)
        uf.union(f.routing, r)
      }
    }
    if (isMovable(f)) {
      const other = byEntity.get(f.entity)
      if (other === undefined) byEntity.set(f.entity, f.routing)
      else uf.union(other, f.routing)
    }
  }
  // Components packed into bins of a few: project() builds its service directory
  // from the whole configuration on every call, so one call per component would
  // trade the quadratic scan for thousands of directory builds.
  const binOf = new Map<string, string>()
  let groups = new Map<string, DomainEvent[]>()
  let n = 0
  for (const f of facts) {
    if (++n % 500 === 0) await yieldToLoop()
    const root = uf.find(f.routing)
    let bin = binOf.get(root)
    if (bin === undefined) binOf.set(root, (bin = String(Math.floor(binOf.size / COMPONENTS_PER_PROJECTION))))
    let g = groups.get(bin)
    if (!g) groups.set(bin, (g = []))
    g.push(upcast(JSON.parse(f.body)))
  }
  for (;;) {
    // One project() per bin, handing the event loop back in between (ingest shares it).
    const parts: { root: string; events: DomainEvent[]; p: Projection }[] = []
    for (const [root, events] of groups) {
      parts.push({ root, events, p: project(corrections.length ? [...events, ...corrections] : events, config) })
      await yieldToLoop()
    }
    const owner = new Map<string, string>()
    const merge = new UnionFind<string>()
    let overlap = false
    for (const part of parts) {
      for (const name of serviceNames(part.p)) {
        const o = owner.get(name)
        if (o === undefined) owner.set(name, part.root)
        else {
          merge.union(o, part.root)
          overlap = true
        }
      }
    }
    if (!overlap) {
      const out: Projection = { deployments: [], changes: [], pullRequests: [], failedAttempts: [], incidents: [], incidentEvents: [] }
      for (const { p } of parts) {
        for (const k of Object.keys(out) as (keyof Projection)[]) for (const r of p[k]) (out[k] as object[]).push(r)
      }
      return out
    }
    const next = new Map<string, DomainEvent[]>()
    for (const part of parts) {
      const root = merge.find(part.root)
      const g = next.get(root)
      if (g) for (const e of part.events) g.push(e)
      else next.set(root, [...part.events])
    }
    groups = next
  }
}
