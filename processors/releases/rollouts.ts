import type { RolloutStepReported } from '../../contracts/release-events.ts'
import type { ServiceDirectory } from '../project/services.ts'
import { byTimeThenKey, ms } from '../project/time.ts'
import type { RolloutRecord } from '../../contracts/release-records.ts'

const TERMINAL = new Set(['completed', 'aborted', 'failed'])

/**
 * Progressive rollouts (METRICS.md §15). The steps of one rollout identity are
 * ordered by (at, key) and cut into attempts after each terminal phase (a
 * Flagger canary object is rolled out again and again under one name). An
 * attempt ending aborted or failed before weight 100 is a canary abort; its
 * blast radius is the highest weight it reached.
 */
export function projectRollouts(steps: RolloutStepReported[], dir: ServiceDirectory): RolloutRecord[] {
  const byRollout = new Map<string, RolloutStepReported[]>()
  for (const s of steps) {
    const id = JSON.stringify([s.service, s.origin, s.rollout])
    byRollout.set(id, [...(byRollout.get(id) ?? []), s])
  }
  const out: RolloutRecord[] = []
  for (const [, group] of [...byRollout.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ordered = [...group].sort(byTimeThenKey((e) => ms(e.at)))
    let attempt: RolloutStepReported[] = []
    let n = 0
    const close = () => {
      if (attempt.length === 0) return
      out.push(attemptRecord(attempt, n++, dir))
      attempt = []
    }
    let lastWasTerminal = false
    for (const s of ordered) {
      // Flagger reports one end twice (the "Canary failed!" event, then the post-rollout webhook): one attempt, not two.
      if (attempt.length === 0 && lastWasTerminal && TERMINAL.has(s.phase)) continue
      attempt.push(s)
      lastWasTerminal = TERMINAL.has(s.phase)
      if (lastWasTerminal) close()
    }
    close()
  }
  return out
}

function attemptRecord(steps: RolloutStepReported[], n: number, dir: ServiceDirectory): RolloutRecord {
  const first = steps[0]!
  const last = steps[steps.length - 1]!
  const svc = dir.named(first.service)
  const maxWeight = Math.max(0, ...steps.map((s) => s.weight ?? 0))
  const canaryAbort = (last.phase === 'aborted' || last.phase === 'failed') && maxWeight < 100
  return {
    id: n === 0 ? first.rollout : `${first.rollout}#${n + 1}`,
    rollout: first.rollout,
    service: svc.name,
    team: svc.team,
    origin: first.origin,
    environment: steps.find((s) => s.environment !== null)?.environment ?? null,
    startedAt: ms(first.at),
    endedAt: ms(last.at),
    phase: last.phase,
    maxWeight,
    canaryAbort,
    abortedAt: canaryAbort ? ms(last.at) : null,
    sha: steps.find((s) => s.sha !== null)?.sha ?? null,
  }
}
