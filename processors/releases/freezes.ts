import { DateTime } from 'luxon'
import type { FreezeConfig } from '../../config/release-schema.ts'
import type { DeploymentRecord } from '../../contracts/records.ts'
import type { ServiceDirectory } from '../project/services.ts'
import type { FreezeDeploymentRecord } from '../../contracts/release-records.ts'

/** A `freeze`-tagged annotation (METRICS.md §14). */
export interface FreezeAnnotation {
  id: string
  text: string
  at: number
  endAt: number | null
  service: string | null
  team: string | null
}

/** A freeze as a rule: does it cover a service, and from when to when in that service's timezone. */
export interface Freeze {
  id: string
  name: string
  covers: (service: string, team: string) => boolean
  window: (timezone: string) => { from: number; to: number }
}

const local = (text: string, zone: string) => DateTime.fromISO(text, { zone }).toMillis()

export function configFreeze(f: FreezeConfig): Freeze {
  const all = f.services.length === 0 && f.teams.length === 0
  return {
    id: `config:${f.name}`,
    name: f.name,
    covers: (service, team) => all || f.services.includes(service) || f.teams.includes(team),
    window: (zone) => ({ from: local(f.from, zone), to: local(f.to, zone) }),
  }
}

/** An annotation without `endAt` marks an instant, not a window: it freezes nothing (docs/DECISIONS.md). */
export function annotationFreeze(a: FreezeAnnotation): Freeze | null {
  if (a.endAt === null || a.endAt <= a.at) return null
  const w = { from: a.at, to: a.endAt }
  return {
    id: `annotation:${a.id}`,
    name: a.text,
    covers: (service, team) => (a.service === null || a.service === service) && (a.team === null || a.team === team),
    window: () => w,
  }
}

/** Config freezes in their order, then annotation freezes by (at, id): the first that covers a deployment names it. */
export function freezesOf(config: readonly FreezeConfig[], annotations: readonly FreezeAnnotation[]): Freeze[] {
  const fromAnnotations = [...annotations].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).map(annotationFreeze)
  return [...config.map(configFreeze), ...fromAnnotations.filter((f): f is Freeze => f !== null)]
}

/** §14: deployments whose deployedAt is inside ([from, to)) a freeze that covers their service. */
export function freezeDeployments(deployments: readonly Pick<DeploymentRecord, 'id' | 'service' | 'team' | 'deployedAt' | 'failed'>[], freezes: Freeze[], dir: ServiceDirectory): FreezeDeploymentRecord[] {
  const out: FreezeDeploymentRecord[] = []
  for (const d of deployments) {
    const zone = dir.named(d.service, d.team).timezone
    const f = freezes.find((x) => {
      if (!x.covers(d.service, d.team)) return false
      const w = x.window(zone)
      return d.deployedAt >= w.from && d.deployedAt < w.to
    })
    if (f) out.push({ deploymentId: d.id, service: d.service, team: d.team, deployedAt: d.deployedAt, freeze: f.id, freezeName: f.name, failed: d.failed })
  }
  return out
}
