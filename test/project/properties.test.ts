import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DomainEvent } from '../../contracts/events.ts'
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

  it('with corrections (§18) of every kind, some of the same target at the same time: still order-independent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.nat(2)), { minLength: 1, maxLength: 12 }), (seed, order, picks) => {
        const base = realisticEvents(seed)
        const p0 = project(base, cfg)
        if (p0.deployments.length === 0 || p0.incidents.length === 0) return
        const corrections: DomainEvent[] = picks.map(([n, kind, hour], i) => {
          const d = p0.deployments[n % p0.deployments.length]!.id
          const inc = p0.incidents[n % p0.incidents.length]!.id
          const target = kind === 0 ? { incident: inc, deployment: null, failed: null } : kind === 1 ? { incident: inc, deployment: d, failed: null } : { incident: null, deployment: d, failed: kind === 2 }
          return { type: 'CorrectionRecorded', key: `correction:p${i}`, routing: 'corrections', id: `p${i}`, ...target, by: 'x', reason: 'y', at: `2026-07-10T0${hour}:00:00Z` }
        })
        const events = [...base, ...corrections]
        const expected = project(events, cfg)
        const shuffled = events.map((e, i) => ({ e, k: order[i % order.length]! * 7919 + i })).sort((a, b) => a.k - b.k).map((x) => x.e)
        expect(project([...shuffled, ...corrections.slice(0, 2)], cfg)).toEqual(expected)
      }),
      { numRuns: 40 },
    )
  })

  it('idempotent if run twice: projecting the union of a set with itself changes nothing', () => {
    const events = realisticEvents(42)
    expect(project([...events, ...events], cfg)).toEqual(project(events, cfg))
  })
})
