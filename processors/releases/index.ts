import type { Config } from '../../config/schema.ts'
import type { FlagChanged, RolloutStepReported } from '../../contracts/release-events.ts'
import type { DeploymentRecord, IncidentRecord } from '../../contracts/records.ts'
import { ServiceDirectory } from '../project/services.ts'
import { projectFlags } from './flags.ts'
import { freezeDeployments, freezesOf, type FreezeAnnotation } from './freezes.ts'
import { FlagOwners } from '../../sources/flags/owners.ts'
import type { ReleaseProjection } from '../../contracts/release-records.ts'
import { recoveryPaths } from './recovery.ts'
import { projectRollouts } from './rollouts.ts'

export interface ReleaseInput {
  flagChanges: FlagChanged[]
  rolloutSteps: RolloutStepReported[]
  /** What project() derived: the release projection builds on its deployments and incidents. */
  deployments: DeploymentRecord[]
  incidents: IncidentRecord[]
  freezeAnnotations: FreezeAnnotation[]
}

const unique = <T extends { key: string }>(xs: T[]): T[] => {
  const m = new Map<string, T>()
  for (const x of xs) if (!m.has(x.key)) m.set(x.key, x)
  return [...m.keys()].sort().map((k) => m.get(k)!)
}

/**
 * The release projection (METRICS.md §12–§15): a pure function of the set of
 * flag changes and rollout steps, the derived deployments and incidents, and
 * the freezes. Duplicates collapse by key and every order is a total order on
 * (time, key), so arrival order and redeliveries change nothing.
 */
export function projectReleases(input: ReleaseInput, config: Config): ReleaseProjection {
  const dir = new ServiceDirectory(config)
  // Implied services keep the team their records carry.
  for (const d of input.deployments) dir.named(d.service, d.team)
  for (const i of input.incidents) dir.named(i.service, i.team)
  const flagChanges = projectFlags(unique(input.flagChanges), input.incidents, dir, new FlagOwners(config))
  return {
    flagChanges,
    recoveryPaths: recoveryPaths(input.deployments, flagChanges),
    freezeDeployments: freezeDeployments(input.deployments, freezesOf(config.freezes, input.freezeAnnotations), dir),
    rollouts: projectRollouts(unique(input.rolloutSteps), dir),
  }
}
