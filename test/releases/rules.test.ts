import { describe, expect, it } from 'vitest'
import { projectReleases, type ReleaseInput } from '../../processors/releases/index.ts'
import { config } from '../project/builders.ts'
import { deployment, exposure, flag, incident, RELEASE_CONFIG, step } from './builders.ts'

const cfg = config(RELEASE_CONFIG)
const at = (iso: string) => Date.parse(iso)
const given = (p: Partial<ReleaseInput>) => projectReleases({ flagChanges: [], rolloutSteps: [], deployments: [], incidents: [], freezeAnnotations: [], ...p }, cfg)

describe('§12 releases and full releases', () => {
  it('0 → 10 → 50 → 100 over three days (keys sorting against time): one release, its full release 259200 s later; staging changes do not count', () => {
    // Given the changes out of order, plus a staging change in between.
    const r = given({
      flagChanges: [
        flag({ key: 'm3', flag: 'checkout-new-ui', at: '2026-07-04T10:00:00Z', state: { on: true, rollout: null } }),
        flag({ key: 'z1', flag: 'checkout-new-ui', at: '2026-07-01T10:00:00Z', state: exposure(10) }),
        flag({ key: 's1', flag: 'checkout-new-ui', at: '2026-07-01T11:00:00Z', state: exposure(0), env: 'staging' }),
        flag({ key: 'a2', flag: 'checkout-new-ui', at: '2026-07-02T10:00:00Z', state: { rollout: 50 } }),
      ],
    })
    expect(r.flagChanges.map((c) => [c.id, c.exposureBefore, c.exposureAfter, c.isRelease, c.isFullRelease, c.rolloutSeconds])).toEqual([
      ['z1', 0, 10, true, false, null],
      ['a2', 10, 50, false, false, null],
      ['m3', 50, 100, false, true, 259200],
    ])
    expect(r.flagChanges[2]!.releasedAt).toBe(at('2026-07-01T10:00:00Z'))
    expect(r.flagChanges.every((c) => c.service === 'checkout' && c.team === 'payments' && c.environment === 'production')).toBe(true)
  })

  it('straight to 100 is its own full release (0 s); a release switched off before 100 has none, the next release gets it', () => {
    const r = given({
      flagChanges: [
        flag({ key: 'a', flag: 'checkout-pay', at: '2026-07-05T09:00:00Z', state: exposure(100) }),
        flag({ key: 'b1', flag: 'checkout-b', at: '2026-07-01T00:00:00Z', state: exposure(20) }),
        flag({ key: 'b2', flag: 'checkout-b', at: '2026-07-02T00:00:00Z', state: exposure(0) }),
        flag({ key: 'b3', flag: 'checkout-b', at: '2026-07-03T00:00:00Z', state: exposure(30) }),
        flag({ key: 'b4', flag: 'checkout-b', at: '2026-07-03T06:00:00Z', state: exposure(100) }),
      ],
    })
    const byId = new Map(r.flagChanges.map((c) => [c.id, c]))
    expect([byId.get('a')!.isRelease, byId.get('a')!.isFullRelease, byId.get('a')!.rolloutSeconds]).toEqual([true, true, 0])
    expect(['b1', 'b2', 'b3', 'b4'].map((k) => [byId.get(k)!.isRelease, byId.get(k)!.isFullRelease])).toEqual([[true, false], [false, false], [true, false], [false, true]])
    expect(byId.get('b4')!.rolloutSeconds).toBe(6 * 3600)
  })

  it('Unleash-style partial states: a rollout set while off exposes nobody; enabling then releases to that rollout', () => {
    const r = given({
      flagChanges: [
        flag({ key: 'u1', flag: 'checkout-x', at: '2026-07-01T00:00:00Z', state: { rollout: 32 } }),
        flag({ key: 'u2', flag: 'checkout-x', at: '2026-07-01T01:00:00Z', state: { on: true } }),
        flag({ key: 'u3', flag: 'checkout-x', at: '2026-07-01T02:00:00Z', state: { rollout: null } }),
      ],
    })
    expect(r.flagChanges.map((c) => [c.exposureAfter, c.isRelease, c.isFullRelease])).toEqual([[0, false, false], [32, true, false], [100, false, true]])
  })

  it('the state the provider says came before the first change we saw counts: switching off a flag on before we listened is no release', () => {
    const r = given({ flagChanges: [flag({ key: 'l1', flag: 'checkout-old', at: '2026-07-01T00:00:00Z', state: { on: false }, previous: { on: true, rollout: null } })] })
    expect(r.flagChanges.map((c) => [c.exposureBefore, c.exposureAfter, c.isRelease])).toEqual([[100, 0, false]])
  })

  it('ownership: the sender named service first, then the first service whose globs match, then the provider project (team unassigned)', () => {
    const r = given({
      flagChanges: [
        flag({ key: 'o1', flag: 'checkout-admin-tools', at: '2026-07-01T00:00:00Z', state: exposure(100) }),
        flag({ key: 'o2', flag: 'search.ranking', at: '2026-07-01T00:00:00Z', state: exposure(100), service: 'checkout' }),
        flag({ key: 'o3', flag: 'mobile-dark-mode', at: '2026-07-01T00:00:00Z', state: exposure(100), project: 'mobile', provider: 'launchdarkly' }),
      ],
    })
    expect(r.flagChanges.map((f) => [f.flag, f.service, f.team])).toEqual([
      ['checkout-admin-tools', 'checkout', 'payments'], // checkout is listed first and `checkout-*` matches
      ['search.ranking', 'checkout', 'payments'],
      ['mobile-dark-mode', 'mobile', 'unassigned'],
    ])
  })
})

describe('§12 kill switches', () => {
  it('off while an incident of the service is open: time to kill from the earliest open incident; off with no open incident is not one', () => {
    const r = given({
      incidents: [
        incident({ id: 'i0', startedAt: '2026-07-06T11:00:00Z', resolvedAt: '2026-07-06T11:30:00Z' }), // resolved before: not open
        incident({ id: 'i1', startedAt: '2026-07-06T12:00:00Z', resolvedAt: '2026-07-06T13:00:00Z' }),
        incident({ id: 'i2', startedAt: '2026-07-06T12:05:00Z' }),
        incident({ id: 'other', startedAt: '2026-07-06T10:00:00Z', service: 'search' }), // another service
      ],
      flagChanges: [
        flag({ key: 'k1', flag: 'checkout-pay', at: '2026-07-05T09:00:00Z', state: exposure(100) }),
        flag({ key: 'k2', flag: 'checkout-pay', at: '2026-07-06T12:09:00Z', state: exposure(0) }),
        flag({ key: 'k3', flag: 'checkout-pay', at: '2026-07-07T09:00:00Z', state: exposure(100) }),
        flag({ key: 'k4', flag: 'checkout-pay', at: '2026-07-09T09:00:00Z', state: exposure(0) }), // i2 still open: a kill switch too
        flag({ key: 'n1', flag: 'checkout-calm', at: '2026-07-01T09:00:00Z', state: exposure(50) }),
        flag({ key: 'n2', flag: 'checkout-calm', at: '2026-07-06T10:30:00Z', state: exposure(0) }), // only search's incident is open
      ],
    })
    const kills = r.flagChanges.filter((c) => c.isKillSwitch).map((c) => [c.id, c.killIncidentId, c.timeToKillSeconds])
    // 12:00 → 12:09 = 540 s; 07-06 12:05 → 07-09 09:00 = 68 h 55 min = 248100 s.
    expect(kills).toEqual([
      ['k2', 'i1', 540],
      ['k4', 'i2', 248100],
    ])
  })
})

describe('§13 recovery paths', () => {
  it('rollback, then kill switch, then fix-forward, then other; unrecovered deployments get no path', () => {
    const r = given({
      deployments: [
        // D1 rolled back by D2 at R: rollback (even though a kill switch also falls in [D1, R]).
        deployment({ id: 'D1', at: '2026-07-01T10:00:00Z', failed: true, causes: ['rollback:D2'], recoveredAt: '2026-07-01T10:06:00Z' }),
        deployment({ id: 'D2', at: '2026-07-01T10:06:00Z', rollback: true, changes: 0 }),
        // D3 recovered at 12:20 by incident resolution; the flag went off at 12:09 (a kill switch).
        deployment({ id: 'D3', at: '2026-07-06T11:55:00Z', failed: true, causes: ['window:i1'], recoveredAt: '2026-07-06T13:00:00Z' }),
        // D4 fixed forward by D5 (with changes) before its recovery; D5b (no changes) does not count.
        deployment({ id: 'D4', at: '2026-07-10T10:00:00Z', failed: true, causes: ['window:i9'], recoveredAt: '2026-07-10T13:10:00Z' }),
        deployment({ id: 'D5b', at: '2026-07-10T11:00:00Z', changes: 0 }),
        deployment({ id: 'D5', at: '2026-07-10T13:10:00Z', changes: 2 }),
        // D6: nothing in between: other. D7: unrecovered.
        deployment({ id: 'D6', at: '2026-07-20T10:00:00Z', failed: true, causes: ['window:i10'], recoveredAt: '2026-07-20T10:30:00Z' }),
        deployment({ id: 'D7', at: '2026-07-25T10:00:00Z', failed: true, causes: ['window:i11'] }),
      ],
      incidents: [incident({ id: 'i1', startedAt: '2026-07-06T12:00:00Z', resolvedAt: '2026-07-06T13:00:00Z' }), incident({ id: 'i0', startedAt: '2026-07-01T10:01:00Z', resolvedAt: '2026-07-01T10:10:00Z' })],
      flagChanges: [
        flag({ key: 'f1', flag: 'checkout-pay', at: '2026-06-01T00:00:00Z', state: exposure(100) }),
        flag({ key: 'f2', flag: 'checkout-pay', at: '2026-07-01T10:03:00Z', state: exposure(0) }),
        flag({ key: 'f3', flag: 'checkout-pay', at: '2026-07-05T00:00:00Z', state: exposure(100) }),
        flag({ key: 'f4', flag: 'checkout-pay', at: '2026-07-06T12:09:00Z', state: exposure(0) }),
      ],
    })
    expect(r.recoveryPaths.map((p) => [p.deploymentId, p.path, p.via, p.recoverySeconds])).toEqual([
      ['D1', 'rollback', 'D2', 360],
      ['D3', 'kill_switch', 'f4', 3900],
      ['D4', 'fix_forward', 'D5', 11400],
      ['D6', 'other', null, 1800],
    ])
  })
})

describe('§14 freezes', () => {
  it('config freezes read in the service timezone, half-open, by team; annotation freezes by service; without endAt none', () => {
    const r = given({
      deployments: [
        deployment({ id: 'berlin-before', at: '2026-12-20T22:30:00Z' }), // 23:30 in Berlin: before
        deployment({ id: 'berlin-first', at: '2026-12-20T23:30:00Z', failed: true }), // 00:30 on the 21st
        deployment({ id: 'berlin-last', at: '2027-01-03T22:59:59.999Z' }),
        deployment({ id: 'berlin-after', at: '2027-01-03T23:00:00Z' }), // 2027-01-04T00:00 Berlin: excluded
        deployment({ id: 'search-dec', at: '2026-12-24T12:00:00Z', service: 'search', team: 'discovery' }), // not payments
        deployment({ id: 'search-nov', at: '2026-11-01T12:00:00Z', service: 'search', team: 'discovery' }),
        deployment({ id: 'checkout-nov', at: '2026-11-01T12:00:00Z' }), // the annotation names search only
        deployment({ id: 'search-oct', at: '2026-10-01T12:00:00Z', service: 'search', team: 'discovery' }),
      ],
      freezeAnnotations: [
        { id: 'a1', text: 'search migration freeze', at: at('2026-11-01T00:00:00Z'), endAt: at('2026-11-02T00:00:00Z'), service: 'search', team: null },
        { id: 'a2', text: 'instant', at: at('2026-10-01T00:00:00Z'), endAt: null, service: null, team: null },
      ],
    })
    expect(r.freezeDeployments.map((f) => [f.deploymentId, f.freeze, f.failed])).toEqual([
      ['berlin-first', 'config:holidays', true],
      ['berlin-last', 'config:holidays', false],
      ['search-nov', 'annotation:a1', false],
    ])
  })
})

describe('§15 canary aborts', () => {
  it('aborted or failed before 100 is caught by the canary (max weight = blast radius); one name rolled out twice is two attempts', () => {
    const r = given({
      rolloutSteps: [
        step({ key: 'r1-3', rollout: 'r1', at: '2026-07-01T10:20:00Z', weight: 0, phase: 'failed' }),
        step({ key: 'r1-1', rollout: 'r1', at: '2026-07-01T10:00:00Z', weight: 5, phase: 'progressing' }),
        step({ key: 'r1-2', rollout: 'r1', at: '2026-07-01T10:10:00Z', weight: 10, phase: 'progressing' }),
        step({ key: 'r2-1', rollout: 'r2', at: '2026-07-02T10:00:00Z', weight: 10, phase: 'progressing' }),
        step({ key: 'r2-2', rollout: 'r2', at: '2026-07-02T10:10:00Z', weight: 100, phase: 'progressing' }),
        step({ key: 'r2-3', rollout: 'r2', at: '2026-07-02T10:20:00Z', weight: null, phase: 'aborted' }), // reached 100: no canary catch
        step({ key: 'r3-1', rollout: 'r3', at: '2026-07-03T10:00:00Z', weight: 25, phase: 'progressing' }),
        step({ key: 'r3-2', rollout: 'r3', at: '2026-07-03T10:05:00Z', weight: null, phase: 'aborted' }),
        step({ key: 'r3-3', rollout: 'r3', at: '2026-07-04T10:00:00Z', weight: 10, phase: 'progressing' }),
        step({ key: 'r3-4', rollout: 'r3', at: '2026-07-04T10:30:00Z', weight: 100, phase: 'completed' }),
      ],
    })
    expect(r.rollouts.map((x) => [x.id, x.phase, x.maxWeight, x.canaryAbort, x.abortedAt])).toEqual([
      ['r1', 'failed', 10, true, at('2026-07-01T10:20:00Z')],
      ['r2', 'aborted', 100, false, null],
      ['r3', 'aborted', 25, true, at('2026-07-03T10:05:00Z')],
      ['r3#2', 'completed', 100, false, null],
    ])
  })
})

describe('Kafka partitioning of flag changes', () => {
  it('a flag change shares the partition key of the service its globs name; an unclaimed key keeps its own', async () => {
    const { partitionKey } = await import('../../sources/routing.ts')
    const viaRepo = partitionKey({ doraflowsource: 'github', subject: 'acme/checkout' }, cfg)
    expect(partitionKey({ doraflowsource: 'launchdarkly', subject: 'checkout-new-ui' }, cfg)).toBe(viaRepo)
    expect(partitionKey({ doraflowsource: 'unleash', subject: 'search.ranking' }, cfg)).toBe(partitionKey({ doraflowsource: 'github', subject: 'acme/search' }, cfg))
    expect(partitionKey({ doraflowsource: 'flagsmith', subject: 'butter_bar' }, cfg)).toBe('flag:butter_bar')
  })
})
