import type { FlagChanged, FlagState, RolloutPhase, RolloutStepReported } from '../../contracts/release-events.ts'
import type { DeploymentRecord, IncidentRecord } from '../../contracts/records.ts'
import { T } from '../project/builders.ts'

/** Given/when/then builders for the release projection: readable defaults, explicit keys. */
export function flag(o: { key: string; flag: string; at: string; state: FlagState; previous?: FlagState; env?: string; service?: string; project?: string; provider?: FlagChanged['provider'] }): FlagChanged {
  return {
    type: 'FlagChanged',
    key: o.key,
    routing: `flag:${o.flag}`,
    provider: o.provider ?? 'generic',
    project: o.project ?? null,
    flag: o.flag,
    service: o.service ?? null,
    environment: o.env ?? 'production',
    state: o.state,
    previous: o.previous ?? null,
    changedAt: T(o.at),
    actor: null,
  }
}

/** A change to an exposure, as our own JSON gives it. */
export const exposure = (pct: number): FlagState => ({ on: pct > 0, rollout: pct })

export function step(o: { key: string; rollout: string; at: string; weight: number | null; phase: RolloutPhase; service?: string }): RolloutStepReported {
  const service = o.service ?? 'checkout'
  return { type: 'RolloutStepReported', key: o.key, routing: `named:${service}`, origin: 'generic', rollout: o.rollout, service, environment: 'production', weight: o.weight, phase: o.phase, at: T(o.at), sha: null, message: null }
}

export function deployment(o: { id: string; at: string; service?: string; team?: string; failed?: boolean; recoveredAt?: string; causes?: string[]; changes?: number; rollback?: boolean }): DeploymentRecord {
  const deployedAt = Date.parse(T(o.at))
  const recoveredAt = o.recoveredAt ? Date.parse(T(o.recoveredAt)) : null
  return {
    id: o.id,
    service: o.service ?? 'checkout',
    team: o.team ?? 'payments',
    origin: 'generic',
    repo: null,
    environment: 'production',
    version: o.id,
    sha: null,
    artifact: o.id,
    deployedAt,
    url: null,
    previousId: null,
    isRollback: o.rollback ?? false,
    failed: o.failed ?? false,
    failureCauses: o.causes ?? [],
    rework: false,
    reworkCauses: [],
    recoveredAt,
    recoverySeconds: recoveredAt === null ? null : (recoveredAt - deployedAt) / 1000,
    changeCount: o.changes ?? 1,
    incidentIds: [],
    correction: null,
  }
}

export function incident(o: { id: string; startedAt: string; resolvedAt?: string; service?: string }): IncidentRecord {
  const startedAt = Date.parse(T(o.startedAt))
  const resolvedAt = o.resolvedAt ? Date.parse(T(o.resolvedAt)) : null
  return {
    id: o.id,
    service: o.service ?? 'checkout',
    team: 'payments',
    origin: 'generic',
    title: o.id,
    url: null,
    startedAt,
    acknowledgedAt: null,
    resolvedAt,
    restoreSeconds: resolvedAt === null ? null : (resolvedAt - startedAt) / 1000,
    acknowledgeSeconds: null,
    urgency: null,
    priority: null,
    status: resolvedAt === null ? 'open' : 'resolved',
    reopenCount: 0,
    linkKind: 'none',
    deploymentIds: [],
    correction: null,
  }
}

export const RELEASE_CONFIG = {
  services: [
    { name: 'checkout', team: 'payments', timezone: 'Europe/Berlin', repositories: ['acme/checkout'], flags: ['checkout-*'] },
    { name: 'checkout-admin', team: 'payments', flags: ['checkout-admin-*', 'checkout-*'] },
    { name: 'search', team: 'discovery', repositories: ['acme/search'], flags: ['search.*'] },
  ],
  freezes: [{ name: 'holidays', from: '2026-12-21', to: '2027-01-04', teams: ['payments'] }],
}
