import type { FlagChanged, FlagState } from '../../contracts/release-events.ts'
import type { IncidentRecord } from '../../contracts/records.ts'
import type { ServiceDirectory } from '../project/services.ts'
import { byTimeThenKey, ms, seconds } from '../project/time.ts'
import type { FlagChangeRecord } from '../../contracts/release-records.ts'
import type { FlagOwners } from '../../sources/flags/owners.ts'

interface Full {
  on: boolean
  rollout: number | null
}

const OFF: Full = { on: false, rollout: null }
const apply = (s: Full, change: FlagState): Full => ({ on: change.on ?? s.on, rollout: change.rollout === undefined ? s.rollout : change.rollout })
/** METRICS.md §12: flag off → 0; on with no percentage rollout → 100; a rollout → its percentage. */
export const exposureOf = (s: Full): number => (s.on ? Math.min(100, Math.max(0, s.rollout ?? 100)) : 0)

/** §12 kill switch: the earliest incident of the service open at `t` (started at or before, not resolved before). */
function earliestOpen(t: number, incidents: IncidentRecord[]): IncidentRecord | null {
  let found: IncidentRecord | null = null
  for (const i of incidents) {
    if (i.startedAt > t || (i.resolvedAt !== null && i.resolvedAt < t)) continue
    if (!found || i.startedAt < found.startedAt || (i.startedAt === found.startedAt && i.id < found.id)) found = i
  }
  return found
}

interface Timeline {
  service: string
  team: string
  provider: string
  flag: string
  environment: string
  changes: FlagChanged[]
}

/** Production flag changes grouped into one timeline per (service, provider, environment, flag). */
function timelines(changes: FlagChanged[], dir: ServiceDirectory, owners: FlagOwners): Timeline[] {
  const m = new Map<string, Timeline>()
  for (const e of changes) {
    const svc = dir.named(owners.serviceOf(e))
    // The provider is the envelope kind (our JSON: generic): its source's production rule, else the default one.
    if (!dir.isProduction(svc, e.provider, e.environment, null)) continue
    const env = e.environment.toLowerCase()
    const id = JSON.stringify([svc.name, e.provider, env, e.flag])
    let t = m.get(id)
    if (!t) m.set(id, (t = { service: svc.name, team: svc.team, provider: e.provider, flag: e.flag, environment: env, changes: [] }))
    t.changes.push(e)
  }
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t)
}

/**
 * Releases, full releases and kill switches of flags
 * (METRICS.md §12). `changes` must be unique by key; the result depends only on
 * the set: each timeline is ordered by (changedAt, key).
 */
export function projectFlags(changes: FlagChanged[], incidents: IncidentRecord[], dir: ServiceDirectory, owners: FlagOwners): FlagChangeRecord[] {
  const incidentsOf = new Map<string, IncidentRecord[]>()
  for (const i of incidents) incidentsOf.set(i.service, [...(incidentsOf.get(i.service) ?? []), i])
  const flagChanges: FlagChangeRecord[] = []
  for (const t of timelines(changes, dir, owners)) {
    const ordered = [...t.changes].sort(byTimeThenKey((e) => ms(e.changedAt)))
    // Before the first change we know of: what its provider says it was, else off.
    let state: Full = ordered[0]?.previous ? apply(OFF, ordered[0].previous) : OFF
    let openRelease: number | null = null
    for (const e of ordered) {
      const at = ms(e.changedAt)
      const before = exposureOf(state)
      state = apply(state, e.state)
      const after = exposureOf(state)
      const isRelease = before === 0 && after > 0
      if (isRelease) openRelease = at
      const isFullRelease = openRelease !== null && after === 100
      const releasedAt = isFullRelease ? openRelease : null
      if (isFullRelease || after === 0) openRelease = null
      const switchedOff = before > 0 && after === 0
      const incident = switchedOff ? earliestOpen(at, incidentsOf.get(t.service) ?? []) : null
      flagChanges.push({
        id: e.key,
        service: t.service,
        team: t.team,
        provider: t.provider,
        flag: t.flag,
        environment: t.environment,
        changedAt: at,
        exposureBefore: before,
        exposureAfter: after,
        actor: e.actor,
        isRelease,
        isFullRelease,
        releasedAt,
        rolloutSeconds: releasedAt === null ? null : seconds(releasedAt, at),
        isKillSwitch: incident !== null,
        timeToKillSeconds: incident ? seconds(incident.startedAt, at) : null,
        killIncidentId: incident?.id ?? null,
      })
    }
  }
  return flagChanges
}
