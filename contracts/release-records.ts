/**
 * What the release projection derives (METRICS.md §12–§15): the rows of the
 * release tables. Times are epoch milliseconds (UTC); durations are seconds.
 */

/** One production change of a flag, with what it meant. */
export interface FlagChangeRecord {
  id: string // the fact key
  service: string
  team: string
  provider: string
  flag: string
  environment: string
  changedAt: number
  exposureBefore: number
  exposureAfter: number
  actor: string | null
  /** 0 → more than 0. */
  isRelease: boolean
  /** The first change at or after a release that reaches 100 (before exposure fell back to 0). */
  isFullRelease: boolean
  /** On a full release: the release it completes. */
  releasedAt: number | null
  rolloutSeconds: number | null
  /** More than 0 → 0 while an incident of the service is open. */
  isKillSwitch: boolean
  timeToKillSeconds: number | null
  killIncidentId: string | null
}

export type RecoveryPath = 'rollback' | 'kill_switch' | 'fix_forward' | 'other'
export const RECOVERY_PATHS: readonly RecoveryPath[] = ['rollback', 'kill_switch', 'fix_forward', 'other']

/** §13: how a failed, recovered deployment was recovered. */
export interface RecoveryPathRecord {
  deploymentId: string
  service: string
  team: string
  deployedAt: number
  path: RecoveryPath
  recoverySeconds: number
  /** The rollback deployment, the kill switch (flag change id) or the fix deployment; null for other. */
  via: string | null
}

/** §14: a deployment inside a freeze that covers its service. */
export interface FreezeDeploymentRecord {
  deploymentId: string
  service: string
  team: string
  deployedAt: number
  /** `config:<name>` or `annotation:<id>`: the first freeze that covers it. */
  freeze: string
  freezeName: string
  failed: boolean
}

/** §15: one attempt of a progressive rollout. */
export interface RolloutRecord {
  id: string // rollout identity, `#n` for the n-th attempt after the first
  rollout: string
  service: string
  team: string
  origin: string
  environment: string | null
  startedAt: number
  endedAt: number
  phase: string
  maxWeight: number
  /** Ended aborted or failed before reaching weight 100. */
  canaryAbort: boolean
  abortedAt: number | null
  sha: string | null
}

export interface ReleaseProjection {
  flagChanges: FlagChangeRecord[]
  recoveryPaths: RecoveryPathRecord[]
  freezeDeployments: FreezeDeploymentRecord[]
  rollouts: RolloutRecord[]
}
