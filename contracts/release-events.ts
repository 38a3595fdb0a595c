/**
 * Release-engineering domain events (METRICS.md §12, §15): flag changes and
 * rollout steps. Like every domain event they carry `key` (identity) and
 * `routing`; they are members of the one DomainEvent union (domain/events.ts).
 */

export type FlagProvider = 'launchdarkly' | 'unleash' | 'flagsmith' | 'generic'

/**
 * The state of a flag in one environment after a change, as far as this
 * change tells it. A key left out means "unchanged by this change": an
 * Unleash strategy event says the rollout but not whether the flag is on.
 * Exposure = on ? (rollout ?? 100) : 0.
 */
export interface FlagState {
  on?: boolean
  /** Percentage 0–100 served "on" by a percentage rollout; null = no percentage rollout (everyone). */
  rollout?: number | null
}

/** One change of one flag in one environment (LaunchDarkly, Unleash, Flagsmith, our JSON). */
export interface FlagChanged {
  type: 'FlagChanged'
  key: string
  /** `flag:<flag key>`: the service is decided by the `flags` globs at projection time. */
  routing: string
  provider: FlagProvider
  /** The provider's project (LaunchDarkly project key, Unleash project, Flagsmith project): the fallback service name. */
  project: string | null
  flag: string
  /** Named by the sender (our JSON); otherwise the globs decide. */
  service: string | null
  environment: string
  state: FlagState
  /** The state before this change as the provider states it (LaunchDarkly previousVersion, Unleash preData, Flagsmith previous_state); null when it does not. */
  previous: FlagState | null
  changedAt: string
  actor: string | null
}

export type RolloutPhase = 'progressing' | 'paused' | 'completed' | 'aborted' | 'failed'

/** One step of a progressive rollout (Flagger, Argo Rollouts through our template, our JSON). Never a deployment. */
export interface RolloutStepReported {
  type: 'RolloutStepReported'
  key: string
  /** `named:<service>`. */
  routing: string
  origin: 'flagger' | 'argo' | 'generic'
  /** The rollout's identity: Flagger `<name>.<namespace>`, Argo `<uid>:<pod hash>`, our `rollout`. */
  rollout: string
  service: string
  environment: string | null
  /** Traffic weight of the current step, 0–100; null when this event does not say. */
  weight: number | null
  phase: RolloutPhase
  at: string
  sha: string | null
  message: string | null
}
