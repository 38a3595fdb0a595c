import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { project } from '../../processors/project/index.ts'
import { config } from './builders.ts'
import { realisticEvents, SCENARIO_CONFIG } from './scenario.ts'

const cfg = config(SCENARIO_CONFIG)

describe('projection properties', () => {
  it('the scenario is realistic: it has deployments, changes, failures, rollbacks and incidents', () => {
    const p = project(realisticEvents(7), cfg)
    expect(p.deployments.length).toBeGreaterThan(5)
    expect(p.changes.length).toBeGreaterThan(5)
    expect(p.incidents.length).toBeGreaterThan(1)
    expect(p.deployments.some((d) => d.failed)).toBe(true)
  })

  it('order-independent and idempotent: any shuffle with any redeliveries gives the same projection', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), fc.array(fc.nat(), { maxLength: 40 }), (seed, order, dupes) => {
        const events = realisticEvents(seed)
        const expected = project(events, cfg)
        // A permutation driven by the arbitrary numbers, plus duplicates of arbitrary events.
        const shuffled = events.map((e, i) => ({ e, k: order[i % order.length]! * 7919 + i })).sort((a, b) => a.k - b.k).map((x) => x.e)
        const withDupes = [...shuffled, ...dupes.map((d) => events[d % events.length]!)]
        expect(project(withDupes, cfg)).toEqual(expected)
      }),
      { numRuns: 60 },
    )
  })

  it('idempotent if run twice: projecting the union of a set with itself changes nothing', () => {
    const events = realisticEvents(42)
    expect(project([...events, ...events], cfg)).toEqual(project(events, cfg))
  })
})
