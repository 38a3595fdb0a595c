import type { FlagChanged, RolloutStepReported } from '../../contracts/release-events.ts'
import type { GenericFlag, GenericRollout } from './release-generic-schema.ts'

/** Our `{"kind": "flag"}`: the exposure after the change, stated whole. */
export function genericFlag(e: GenericFlag, key: string): FlagChanged {
  return {
    type: 'FlagChanged',
    key,
    routing: e.service ? `named:${e.service}` : `flag:${e.flag}`,
    provider: 'generic',
    project: e.project ?? null,
    flag: e.flag,
    service: e.service ?? null,
    environment: e.environment,
    state: { on: e.exposure > 0, rollout: e.exposure },
    previous: null,
    changedAt: e.changedAt,
    actor: e.actor ?? null,
  }
}

/** Our `{"kind": "rollout"}` (also what the Argo Rollouts template posts). */
export function genericRollout(e: GenericRollout, key: string): RolloutStepReported {
  return {
    type: 'RolloutStepReported',
    key,
    routing: `named:${e.service}`,
    origin: e.source,
    rollout: e.rollout,
    service: e.service,
    environment: e.environment ?? null,
    weight: e.weight ?? null,
    phase: e.phase,
    at: e.at,
    sha: e.sha?.toLowerCase() ?? null,
    message: e.message ?? null,
  }
}
