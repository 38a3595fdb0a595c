import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DomainEvent } from '../../contracts/events.ts'
import type { FlagChanged, RolloutStepReported } from '../../contracts/release-events.ts'
import { project } from '../../processors/project/index.ts'
import { projectReleases } from '../../processors/releases/index.ts'
import { config } from '../project/builders.ts'
import { realisticEvents, SCENARIO_CONFIG } from '../project/scenario.ts'
import { releaseExtras } from './random.ts'

const cfg = config({ ...SCENARIO_CONFIG, services: SCENARIO_CONFIG.services.map((s) => (s.name === 'checkout' ? { ...s, flags: ['checkout-*'] } : s)), freezes: [{ name: 'mid-july', from: '2026-07-02', to: '2026-07-03' }] })

/** The scenario's deployments and incidents, plus flag changes and rollout steps over the same days. */
const releaseScenario = (seed: number): DomainEvent[] => [...realisticEvents(seed), ...releaseExtras(seed)]

/** The two projections chained as the processor chains them. */
function releasesOf(events: DomainEvent[]) {
  const p = project(events, cfg)
  return projectReleases(
    {
      flagChanges: events.filter((e): e is FlagChanged => e.type === 'FlagChanged'),
      rolloutSteps: events.filter((e): e is RolloutStepReported => e.type === 'RolloutStepReported'),
      deployments: p.deployments,
      incidents: p.incidents,
      freezeAnnotations: [],
    },
    cfg,
  )
}

describe('release projection properties', () => {
  it('the scenario is realistic: releases, kill switches or full releases, canary aborts and freeze deployments occur', () => {
    const all = [1, 2, 3, 4, 5].map((seed) => releasesOf(releaseScenario(seed)))
    expect(all.some((r) => r.flagChanges.some((c) => c.isRelease))).toBe(true)
    expect(all.some((r) => r.flagChanges.some((c) => c.isFullRelease))).toBe(true)
    expect(all.some((r) => r.rollouts.some((x) => x.canaryAbort))).toBe(true)
    expect(all.some((r) => r.freezeDeployments.length > 0)).toBe(true)
    expect(all.some((r) => r.recoveryPaths.length > 0)).toBe(true)
  })

  it('order-independent and idempotent: shuffled and redelivered flag, rollout and deployment events give the same release rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), fc.array(fc.nat(), { maxLength: 40 }), (seed, order, dupes) => {
        const events = releaseScenario(seed)
        const expected = releasesOf(events)
        const shuffled = events.map((e, i) => ({ e, k: order[i % order.length]! * 7919 + i })).sort((a, b) => a.k - b.k).map((x) => x.e)
        const redelivered = [...shuffled, ...dupes.map((d) => events[d % events.length]!)]
        expect(releasesOf(redelivered)).toEqual(expected)
      }),
      { numRuns: 60 },
    )
  })
})
