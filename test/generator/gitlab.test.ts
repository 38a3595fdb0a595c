import { describe, expect, it } from 'vitest'
import { GITLAB_SERVICE, gitlabDeliveries } from '../../generator/gitlab.ts'

const END = Date.parse('2026-10-01T00:00:00Z')
const DAYS = 91
const gen = (seed: number) => gitlabDeliveries({ seed, end: END, token: 'gl-token', days: DAYS })

describe("the demo's GitLab-hosted service", () => {
  it('is deterministic by seed, and another seed gives other data', () => {
    expect(gen(7).map((d) => d.body)).toEqual(gen(7).map((d) => d.body))
    expect(gen(8).map((d) => d.body)).not.toEqual(gen(7).map((d) => d.body))
  })

  it('sends GitLab hooks with the token, inside the quarter, in time order', () => {
    const d = gen(7)
    expect(d.length).toBeGreaterThan(20)
    for (const x of d) {
      expect(x.path).toBe('/webhooks/gitlab')
      expect(x.headers['x-gitlab-token']).toBe('gl-token')
      expect(x.at).toBeGreaterThanOrEqual(END - DAYS * 86_400_000)
      expect(x.at).toBeLessThan(END)
      expect(JSON.parse(x.body).project.path_with_namespace).toBe(GITLAB_SERVICE.gitlabProject)
    }
    expect(d.map((x) => x.at)).toEqual([...d.map((x) => x.at)].sort((a, b) => a - b))
    expect(new Set(d.map((x) => x.deliveryId)).size).toBe(d.length)
  })

  it('every deployment runs before it ends, pushes go to the default branch, incidents are typed Incident', () => {
    const d = gen(7)
    const byId = new Map<number, string[]>()
    for (const x of d.filter((x) => x.headers['x-gitlab-event'] === 'Deployment Hook')) {
      const p = JSON.parse(x.body)
      byId.set(p.deployment_id, [...(byId.get(p.deployment_id) ?? []), p.status])
    }
    const runs = [...byId.values()]
    for (const r of runs) expect([['running', 'success'], ['running', 'failed'], ['running']]).toContainEqual(r)
    expect(runs.filter((r) => r[1] === 'success').length).toBeGreaterThan(10)
    const pushes = d.filter((x) => x.headers['x-gitlab-event'] === 'Push Hook').map((x) => JSON.parse(x.body))
    for (const p of pushes) expect([p.ref, p.project.default_branch, p.total_commits_count]).toEqual(['refs/heads/main', 'main', p.commits.length])
    // Each push starts where the one before it ended.
    for (let i = 1; i < pushes.length; i++) expect(pushes[i].before).toBe(pushes[i - 1].after)
    const issues = gitlabDeliveries({ seed: 3, end: END, token: 't', days: 365 }).filter((x) => x.headers['x-gitlab-event'] === 'Issue Hook').map((x) => JSON.parse(x.body).object_attributes)
    expect(issues.length).toBeGreaterThan(0)
    for (const i of issues) expect(i.type).toBe('Incident')
  })
})
