import type { RolloutPhase } from '../../contracts/release-events.ts'

/**
 * What the messages Flagger's scheduler records say about a canary's traffic
 * (fluxcd/flagger pkg/controller/scheduler.go at 2944581a: recordEventInfof /
 * recordEventWarningf calls). Weights appear only in this text. Messages not
 * listed say nothing about weight; the payload's phase then decides.
 */
interface Reading {
  phase?: RolloutPhase
  /** The canary's traffic weight after this event; undefined: not said. */
  weight?: number | null
}

const RULES: [RegExp, (m: RegExpExecArray) => Reading][] = [
  [/^Advance \S+ canary weight (\d+)$/, (m) => ({ phase: 'progressing', weight: Number(m[1]) })],
  // Promotion: the primary takes traffic back step by step; the canary's share is what is left.
  [/^Advance \S+ primary weight (\d+)$/, (m) => ({ phase: 'progressing', weight: 100 - Number(m[1]) })],
  [/^New revision detected! (Scaling up|Restarting analysis for) \S+$/, () => ({ phase: 'progressing', weight: 0 })],
  [/^Starting canary analysis for \S+$/, () => ({ phase: 'progressing', weight: 0 })],
  [/^Routing all traffic to canary$/, () => ({ phase: 'progressing', weight: 100 })],
  [/^Stop traffic mirroring and route all traffic to canary$/, () => ({ phase: 'progressing', weight: 100 })],
  [/^Halt \S+ advancement/, () => ({ phase: 'paused' })],
  [/^Promotion completed! /, () => ({ phase: 'completed' })],
  // "Rolling back … failed checks threshold reached N" precedes "Canary failed!": only the latter ends the attempt.
  [/^Rolling back \S+ /, () => ({ phase: 'progressing' })],
  [/^Canary failed! Scaling down \S+$/, () => ({ phase: 'failed', weight: 0 })],
]

export function readMessage(message: string): Reading {
  for (const [re, read] of RULES) {
    const m = re.exec(message.trim())
    if (m) return read(m)
  }
  return {}
}

/** Flagger's canary phases (flaggerv1.CanaryPhase*) as rollout phases; null: not a rollout step (initialisation, termination). */
export function phaseOf(flaggerPhase: string): RolloutPhase | null {
  switch (flaggerPhase) {
    case 'Progressing':
    case 'Promoting':
    case 'Finalising':
      return 'progressing'
    case 'Waiting':
    case 'WaitingPromotion':
      return 'paused'
    case 'Succeeded':
      return 'completed'
    case 'Failed':
      return 'failed'
    default:
      return null
  }
}
