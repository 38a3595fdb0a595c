import { describe, expect, it } from 'vitest'
import type { CorrectionRecorded, DomainEvent } from '../../contracts/events.ts'
import { project } from '../../processors/project/index.ts'
import { CHECKOUT, config, deploy, genericIncident, issue, pd, sha } from './builders.ts'

/**
 * METRICS.md §18 by hand. The service: D1 at 10:00 (sha 1), D2 at 12:00 (sha 2).
 * I1 (PagerDuty) starts 12:30, resolved 13:30: by the 24 h window it fails D2.
 * I2 (our JSON) names sha 1 in its text: explicitly it fails D1.
 */
const D1 = 'github:acme/checkout#1'
const D2 = 'github:acme/checkout#2'
const I1 = 'pagerduty:I1'
const I2 = 'generic:I2'
const base = (): DomainEvent[] => [
  deploy({ id: 1, sha: sha(1), at: '2026-07-01T10:00:00' }),
  deploy({ id: 2, sha: sha(2), at: '2026-07-01T12:00:00' }),
  pd({ id: 'I1', transition: 'triggered', at: '2026-07-01T12:30:00', title: 'checkout 500s' }),
  pd({ id: 'I1', transition: 'resolved', at: '2026-07-01T13:30:00' }),
  genericIncident({ id: 'I2', service: 'checkout', transition: 'triggered', at: '2026-07-01T11:00:00', text: `root cause ${sha(1).slice(0, 7)}` }),
]
let n = 0
const correction = (o: Partial<Omit<CorrectionRecorded, 'type' | 'key' | 'routing'>> & { at: string }): CorrectionRecorded => {
  const id = o.id ?? `c${++n}`
  return { type: 'CorrectionRecorded', key: `correction:${id}`, routing: 'corrections', id, incident: o.incident ?? null, deployment: o.deployment ?? null, failed: o.failed ?? null, by: o.by ?? 'rm', reason: o.reason ?? 'because', at: o.at }
}
const run = (extra: DomainEvent[], raw: Record<string, unknown> = {}) => {
  const p = project([...base(), ...extra], config({ ...CHECKOUT, ...raw }))
  const dep = (id: string) => p.deployments.find((d) => d.id === id)!
  const inc = (id: string) => p.incidents.find((i) => i.id === id)!
  return { p, dep, inc }
}

describe('§18 corrections', () => {
  it('without corrections: D1 failed by I2 (explicit), D2 by I1 (window)', () => {
    const { dep, inc } = run([])
    expect([dep(D1).failed, dep(D1).failureCauses, dep(D2).failed, dep(D2).failureCauses]).toEqual([true, [`incident:${I2}`], true, [`window:${I1}`]])
    expect([inc(I1).linkKind, inc(I1).correction]).toEqual(['window', null])
  })

  it('incident, deployment null: I1 caused no failure — D2 is not failed; I1 still counts in time to restore', () => {
    const { dep, inc } = run([correction({ id: 'aws', incident: I1, deployment: null, by: 'ana', reason: 'AWS us-east-1 outage', at: '2026-07-02T09:00:00Z' })])
    expect([dep(D2).failed, dep(D2).failureCauses, dep(D2).incidentIds]).toEqual([false, [], []])
    expect(inc(I1)).toMatchObject({ linkKind: 'none', deploymentIds: [], restoreSeconds: 3600 })
    expect(inc(I1).correction).toEqual({ id: 'aws', kind: 'not_caused_by_change', by: 'ana', reason: 'AWS us-east-1 outage', at: '2026-07-02T09:00:00Z' })
    expect(dep(D1).failed).toBe(true) // untouched
  })

  it('incident, deployment id: I1 is linked to D1 and to no other', () => {
    const { dep, inc } = run([correction({ incident: I1, deployment: D1, at: '2026-07-02T09:00:00Z' })])
    expect([dep(D1).failureCauses, dep(D1).incidentIds]).toEqual([[`incident:${I2}`, `incident:${I1}`], [I2, I1]])
    expect([dep(D2).failed, inc(I1).linkKind, inc(I1).deploymentIds, inc(I1).correction?.kind]).toEqual([false, 'explicit', [D1], 'linked'])
    // D1's recovery now waits for I1 too: max(I2 unresolved) → unrecovered
    expect(dep(D1).recoveredAt).toBeNull()
  })

  it('deployment failed false: D2 is not failed whatever §5 says; the note keeps what it overruled', () => {
    const { dep } = run([correction({ id: 'fa', deployment: D2, failed: false, reason: 'false alarm', at: '2026-07-02T09:00:00Z' })])
    expect([dep(D2).failed, dep(D2).failureCauses, dep(D2).recoverySeconds]).toEqual([false, [], null])
    expect(dep(D2).correction).toEqual({ id: 'fa', kind: 'not_failed', by: 'rm', reason: 'false alarm', at: '2026-07-02T09:00:00Z', overruled: [`window:${I1}`] })
  })

  it('deployment failed true: a deployment nothing links is failed, named by the correction, unrecovered', () => {
    const events = [...base().filter((e) => e.type !== 'IncidentTransitioned'), correction({ id: 'bad', deployment: D1, failed: true, at: '2026-07-02T09:00:00Z' })]
    const p = project(events, config(CHECKOUT))
    const d1 = p.deployments.find((d) => d.id === D1)!
    expect([d1.failed, d1.failureCauses, d1.recoveredAt, d1.correction?.kind]).toEqual([true, ['correction:bad'], null, 'failed'])
  })

  it('a rollback stays a rollback when its failed deployment is corrected to not failed', () => {
    const rollback = deploy({ id: 3, sha: sha(1), at: '2026-07-01T14:00:00' }) // back to sha 1: D3 rolls D2 back
    const { dep, p } = run([rollback, correction({ deployment: D2, failed: false, at: '2026-07-02T09:00:00Z' })])
    expect(dep(D2).failed).toBe(false)
    expect(p.deployments.find((d) => d.id === 'github:acme/checkout#3')?.isRollback).toBe(true)
  })

  it('the latest (at, id) wins, whatever order the corrections come in', () => {
    const none = correction({ id: 'a', incident: I1, deployment: null, at: '2026-07-02T09:00:00Z' })
    const toD1 = correction({ id: 'b', incident: I1, deployment: D1, at: '2026-07-02T10:00:00Z' })
    expect(run([none, toD1]).inc(I1).deploymentIds).toEqual([D1])
    expect(run([toD1, none]).inc(I1).deploymentIds).toEqual([D1])
    // the earlier one later in time wins instead
    expect(run([{ ...none, at: '2026-07-02T11:00:00Z' }, toD1]).inc(I1).deploymentIds).toEqual([])
    // same at: the greater id wins ('b' > 'a')
    expect(run([{ ...none, at: toD1.at }, toD1]).inc(I1).deploymentIds).toEqual([D1])
    // a deployment correction is another target: both apply
    const both = run([toD1, correction({ deployment: D1, failed: false, at: '2026-07-01T00:00:00Z' })])
    expect([both.dep(D1).failed, both.inc(I1).deploymentIds]).toEqual([false, [D1]])
  })

  it('a correction naming a deployment of another service links nothing', () => {
    const { inc, dep } = run([correction({ incident: I1, deployment: 'github:acme/other#7', at: '2026-07-02T09:00:00Z' })])
    expect([inc(I1).deploymentIds, inc(I1).linkKind, dep(D2).failed]).toEqual([[], 'none', false])
  })
})

describe('§18 metrics.nonChangeIncidents', () => {
  const rules = (r: Record<string, unknown>) => ({ metrics: { nonChangeIncidents: r } })

  it('title patterns (case-insensitive regular expressions): I1 fails nothing, named by the rule', () => {
    const { dep, inc } = run([], rules({ titlePatterns: ['^CHECKOUT 5\\d\\d'] }))
    expect([dep(D2).failed, inc(I1).linkKind, inc(I1).restoreSeconds]).toEqual([false, 'none', 3600])
    expect(inc(I1).correction).toEqual({ id: null, kind: 'rule', by: null, reason: 'metrics.nonChangeIncidents.titlePatterns: /^CHECKOUT 5\\d\\d/i', at: null })
  })

  it('urgencies and PagerDuty priorities, case-insensitive; an explicit link is dropped too', () => {
    const urgent = [pd({ id: 'I1', transition: 'acknowledged', at: '2026-07-01T12:40:00', urgency: 'LOW', priority: 'p5' })]
    expect(run(urgent, rules({ urgencies: ['low'] })).dep(D2).failed).toBe(false)
    expect(run(urgent, rules({ pagerdutyPriorities: ['P5'] })).dep(D2).failed).toBe(false)
    expect(run(urgent, rules({ pagerdutyPriorities: ['P1'] })).dep(D2).failed).toBe(true)
    // I2's explicit link to D1 goes too when a rule matches it ('^' matches every title, I2's empty one too)
    const p = project(base(), config({ ...CHECKOUT, ...rules({ titlePatterns: ['^'] }) }))
    expect(p.deployments.map((d) => d.failed)).toEqual([false, false])
  })

  it('GitHub labels (whole name, any case) — and a correction on the incident overrules the rule', () => {
    const events = [
      deploy({ id: 1, sha: sha(1), at: '2026-07-01T10:00:00' }),
      issue({ number: 5, action: 'opened', labels: ['incident', 'Cloud-Outage'], createdAt: '2026-07-01T11:00:00', updatedAt: '2026-07-01T11:00:00' }),
    ]
    const c = config({ ...CHECKOUT, ...rules({ labels: ['cloud-outage'] }) })
    expect(project(events, c).deployments[0]?.failed).toBe(false)
    expect(project(events, config({ ...CHECKOUT, ...rules({ labels: ['cloud'] }) })).deployments[0]?.failed).toBe(true) // not a substring match
    const overruled = project([...events, correction({ incident: 'github:acme/checkout#5', deployment: D1, at: '2026-07-02T00:00:00Z' })], c)
    expect([overruled.deployments[0]?.failed, overruled.incidents[0]?.correction?.kind]).toEqual([true, 'linked'])
  })

  it('refuses an invalid title pattern in the config, naming the key', () => {
    expect(() => config({ metrics: { nonChangeIncidents: { titlePatterns: ['('] } } })).toThrow(/nonChangeIncidents\.titlePatterns\.0.*regular expression/)
  })
})
