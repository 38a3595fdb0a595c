import { describe, expect, it } from 'vitest'
import { project } from '../../processors/project/index.ts'
import { CHECKOUT, commit, config, deploy, genericIncident, issue, push, sha } from './builders.ts'

const cfg = config(CHECKOUT)
const ZERO = '0'.repeat(40)

/**
 * METRICS.md §5.1 (found with Four Keys' data generator): "root cause: <commit>"
 * names a commit the deployment shipped, often not its deployed head. The sha
 * links to the earliest deployment that deployed it or carries it among its changes.
 *
 * main: 0 → H1 (c1 inner, c2 = H1) → H2 (c3 = H2)
 * D1 deploys H1 at 10:00 (changes c1, c2); D2 deploys H2 at 11:00 (change c3).
 * The incident starts 11:30 naming c1: before the fix the 24 h window blamed D2.
 */
describe('§5.1 a root-cause sha inside a deployment', () => {
  const c1 = 'c1c1c1c1c1'.padEnd(40, '1')
  const H1 = sha(1)
  const H2 = sha(2)
  const base = [
    push({ before: ZERO, after: H1, commits: [commit(c1, '2026-07-01T08:00:00'), commit(H1, '2026-07-01T08:30:00')] }),
    push({ before: H1, after: H2, commits: [commit(H2, '2026-07-01T09:00:00')] }),
    deploy({ id: 1, sha: H1, at: '2026-07-01T10:00:00' }),
    deploy({ id: 2, sha: H2, at: '2026-07-01T11:00:00' }),
  ]

  it('an issue naming an inner commit links the deployment that shipped it, not the latest one', () => {
    const p = project([...base, issue({ number: 9, action: 'opened', body: `root cause: ${c1.slice(0, 12)}`, createdAt: '2026-07-01T11:30:00', updatedAt: '2026-07-01T11:30:00' })], cfg)
    const byId = Object.fromEntries(p.deployments.map((d) => [d.id, d]))
    expect(byId['github:acme/checkout#1']).toMatchObject({ failed: true, failureCauses: ['incident:github:acme/checkout#9'] })
    expect(byId['github:acme/checkout#2']).toMatchObject({ failed: false, failureCauses: [] })
    expect(p.incidents[0]).toMatchObject({ linkKind: 'explicit', deploymentIds: ['github:acme/checkout#1'] })
  })

  it('a sha in a field of its own (our JSON) links the same way', () => {
    const p = project([...base, genericIncident({ id: 'i1', transition: 'triggered', at: '2026-07-01T11:30:00', links: [c1] })], cfg)
    expect(p.incidents[0]).toMatchObject({ linkKind: 'explicit', deploymentIds: ['github:acme/checkout#1'] })
  })

  it('a commit no deployment carries does not link: the window applies', () => {
    const p = project([...base, issue({ number: 9, action: 'opened', body: `root cause: ${'e'.repeat(12)}`, createdAt: '2026-07-01T11:30:00', updatedAt: '2026-07-01T11:30:00' })], cfg)
    expect(p.incidents[0]).toMatchObject({ linkKind: 'window', deploymentIds: ['github:acme/checkout#2'] })
  })

  it('a deployed head still links its earliest deployment (a redeploy of it is not blamed)', () => {
    const p = project([...base, deploy({ id: 3, sha: H1, at: '2026-07-01T12:00:00' }), issue({ number: 9, action: 'opened', body: `since ${H1.slice(0, 9)}`, createdAt: '2026-07-01T12:30:00', updatedAt: '2026-07-01T12:30:00' })], cfg)
    expect(p.incidents[0]).toMatchObject({ linkKind: 'explicit', deploymentIds: ['github:acme/checkout#1'] })
  })
})
