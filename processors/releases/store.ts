import type { Db } from '../../clickhouse/client.ts'
import { RELEASE_TABLES } from '../../clickhouse/release-migration.ts'
import type { Config } from '../../config/schema.ts'
import type { FlagChanged, RolloutStepReported } from '../../contracts/release-events.ts'
import type { Projection } from '../../contracts/records.ts'
import type { FreezeAnnotation } from './freezes.ts'
import { projectReleases } from './index.ts'
import { freezeDeployments, freezesOf } from './freezes.ts'
import { ServiceDirectory } from '../project/services.ts'
import { FlagOwners } from '../../sources/flags/owners.ts'
import { releaseRows } from './rows.ts'
import type { ReplaceOptions } from '../sink.ts'

type Row = Record<string, unknown>

interface FactBody {
  body: string
  type: string
}

const releaseEvents = (facts: readonly FactBody[]): (FlagChanged | RolloutStepReported)[] =>
  facts.filter((f) => f.type === 'RolloutStepReported' || f.type === 'FlagChanged').map((f) => JSON.parse(f.body) as FlagChanged | RolloutStepReported)

/** Services that only flag changes or rollouts name (a Flagger canary, a provider project): they get release rows too. */
export function releaseServices(facts: readonly FactBody[], config: Config): string[] {
  const owners = new FlagOwners(config)
  return releaseEvents(facts).map((e) => (e.type === 'FlagChanged' ? owners.serviceOf(e) : e.service))
}
type Table = (typeof RELEASE_TABLES)[number]

/**
 * A flag change is filed under `flag:<key>`, which no configured service lists:
 * the `flags` globs (or the provider's project) name its service, whose own
 * routings are added so that its deployments and incidents are projected too.
 */
export async function withFlagOwners(db: Db, config: Config, seed: Iterable<string>): Promise<string[]> {
  const routings = [...seed]
  const flagRoutings = routings.filter((r) => r.startsWith('flag:'))
  if (flagRoutings.length === 0) return routings
  const rows = await db.query<{ routing: string; body: string }>("SELECT routing, any(body) AS body FROM facts WHERE routing IN {r:Array(String)} AND type = 'FlagChanged' GROUP BY routing", { r: flagRoutings })
  const owners = new FlagOwners(config)
  const extra = new Set<string>()
  for (const row of rows) extra.add(`named:${owners.serviceOf(JSON.parse(row.body) as FlagChanged)}`)
  return [...routings, ...extra]
}

async function freezeAnnotations(db: Db): Promise<FreezeAnnotation[]> {
  const rows = await db.query<{ id: string; text: string; at: string; end_at: string | null; service: string; team: string }>(
    "SELECT id, text, toUnixTimestamp64Milli(at) AS at, toUnixTimestamp64Milli(end_at) AS end_at, service, team FROM annotations FINAL WHERE removed = 0 AND has(tags, 'freeze')",
  )
  return rows.map((r) => ({ id: r.id, text: r.text, at: Number(r.at), endAt: r.end_at === null ? null : Number(r.end_at), service: r.service || null, team: r.team || null }))
}

/**
 * Every flag change whose owner is one of `services` (flag changes are few: human edits):
 * those filed under `flag:<key>` — a range of the facts' primary key, not a scan — and those
 * our JSON filed under the named service, already among the facts being projected.
 */
async function flagChangesOf(db: Db, config: Config, services: Set<string>, loaded: readonly FlagChanged[]): Promise<FlagChanged[]> {
  const owners = new FlagOwners(config)
  const rows = await db.query<{ body: string }>("SELECT body FROM facts FINAL WHERE startsWith(routing, 'flag:') AND type = 'FlagChanged'")
  const all = [...rows.map((r) => JSON.parse(r.body) as FlagChanged), ...loaded]
  return all.filter((e) => services.has(owners.serviceOf(e)))
}

const canonical = (r: Row, cols: string[]) => JSON.stringify(cols.map((c) => (typeof r[c] === 'number' ? String(r[c]) : r[c])))

/**
 * Brings the release tables of `services` in line with a fresh projection,
 * writing only what changed: per table and service, the current rows are read
 * back and compared as a multiset; a service whose rows differ is deleted and
 * inserted whole. Idempotent, like processors/sink.ts.
 */
async function replaceReleaseRows(db: Db, services: string[], rows: Partial<Record<Table, Row[]>>, opts: ReplaceOptions = {}): Promise<void> {
  // As in processors/sink.ts: replay knows which services may have rows already (none after its TRUNCATE).
  const stale = opts.skipDelete ? [] : opts.onlyDelete ? services.filter((s) => opts.onlyDelete!.has(s)) : services
  for (const table of RELEASE_TABLES) {
    if (!rows[table]) continue
    const fresh = rows[table].filter((r) => services.includes(r['service'] as string))
    const cols = fresh[0] ? Object.keys(fresh[0]) : null
    const existing = stale.length ? await db.query<Row>(`SELECT * FROM ${table} WHERE service IN {s:Array(String)}`, { s: stale }) : []
    const key = (r: Row) => r['service'] as string
    const sig = (rs: Row[], c: string[]) => rs.map((r) => canonical(r, c)).sort().join('\n')
    const changed = services.filter((s) => {
      const a = existing.filter((r) => key(r) === s)
      const b = fresh.filter((r) => key(r) === s)
      if (a.length !== b.length) return true
      if (a.length === 0) return false
      const c = cols ?? Object.keys(a[0]!)
      return sig(a, c) !== sig(b, c)
    })
    if (changed.length === 0) continue
    if (existing.some((r) => changed.includes(key(r)))) await db.command(`DELETE FROM ${table} WHERE service IN {s:Array(String)}`, { s: changed })
    await db.insert(table, fresh.filter((r) => changed.includes(key(r))))
  }
}

/**
 * The release step of a recompute: the services just projected get their
 * release rows from their flag changes and rollout steps, the deployments and
 * incidents project() derived, and the freezes.
 */
export async function recomputeReleases(db: Db, config: Config, services: string[], projection: Projection, facts: readonly FactBody[], opts: ReplaceOptions = {}): Promise<void> {
  if (services.length === 0) return
  const mine = new Set(services)
  const events = releaseEvents(facts)
  const release = projectReleases(
    {
      flagChanges: await flagChangesOf(db, config, mine, events.filter((e): e is FlagChanged => e.type === 'FlagChanged' && !e.routing.startsWith('flag:'))),
      rolloutSteps: events.filter((e): e is RolloutStepReported => e.type === 'RolloutStepReported' && mine.has(e.service)),
      deployments: projection.deployments.filter((d) => mine.has(d.service)),
      incidents: projection.incidents.filter((i) => mine.has(i.service)),
      freezeAnnotations: await freezeAnnotations(db),
    },
    config,
  )
  await replaceReleaseRows(db, services, releaseRows(release), opts)
}

/**
 * A freeze annotation added or removed changes which deployments are "during
 * a freeze" for any service it covers: the freeze rows of every service are
 * derived again from the deployments table (rare: a release manager's act).
 */
export async function refreshFreezes(db: Db, config: Config): Promise<void> {
  const deployments = (await db.query<{ id: string; service: string; team: string; at: string; failed: number | string }>(
    'SELECT id, service, team, toUnixTimestamp64Milli(deployed_at) AS at, failed FROM deployments',
  )).map((d) => ({ id: d.id, service: d.service, team: d.team, deployedAt: Number(d.at), failed: Number(d.failed) === 1 }))
  const dir = new ServiceDirectory(config)
  for (const d of deployments) dir.named(d.service, d.team)
  const rows = releaseRows({ flagChanges: [], recoveryPaths: [], rollouts: [], freezeDeployments: freezeDeployments(deployments, freezesOf(config.freezes, await freezeAnnotations(db)), dir) })
  const existing = await db.query<{ service: string }>('SELECT DISTINCT service FROM freeze_deployments')
  const services = [...new Set([...deployments.map((d) => d.service), ...existing.map((e) => e.service)])].sort()
  if (services.length) await replaceReleaseRows(db, services, { freeze_deployments: rows.freeze_deployments })
}

/** Whether a batch's annotations can change a freeze: a `freeze` tag, or a removal (whatever it removed). */
export const touchesFreezes = (annotations: readonly { tags: string[]; removed: 0 | 1 }[]): boolean => annotations.some((a) => a.removed === 1 || a.tags.includes('freeze'))
