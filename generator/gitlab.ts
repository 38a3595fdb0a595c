/**
 * A GitLab-hosted service for `doraflow demo` only (the tests' and benchmarks'
 * quarter in quarter.ts stays GitHub + PagerDuty): pushes to the default branch,
 * deployments (running → success, some failed attempts first) and a few incident
 * issues, sent as GitLab's own hooks with the webhook's X-Gitlab-Token.
 */
import { createHash } from 'node:crypto'
import { gitlabDelivery, gitlabDeployment, gitlabIncident, gitlabPush } from './gitlab-payloads.ts'
import type { GeneratedDelivery } from './history.ts'
import { lcg } from './rng.ts'

export const GITLAB_SERVICE = { name: 'billing-worker', team: 'payments', timezone: 'Europe/Berlin', gitlabProject: 'acme/billing-worker' } as const

const HOUR = 3_600_000
const DAY = 24 * HOUR
const ZERO = '0'.repeat(40)
/** GitLab's Deployment Hook time format, e.g. `2026-08-02 09:00:00 +0000`. */
const deployTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000`
const iso = (ms: number) => new Date(ms).toISOString()

/** The `services:` entry of doraflow.yaml for it (appended to quarterServicesYaml()). */
export function gitlabServiceYaml(): string {
  const s = GITLAB_SERVICE
  return [`  - name: ${s.name}`, `    team: ${s.team}`, `    timezone: ${s.timezone}`, `    gitlabProjects: [${s.gitlabProject}]`].join('\n')
}

export function gitlabDeliveries(o: { seed?: number; end: number; token: string; days: number }): GeneratedDelivery[] {
  const seed = o.seed ?? 42
  const rnd = lcg(seed * 104_729 + 17)
  const project = GITLAB_SERVICE.gitlabProject
  const sha = (n: number) => createHash('sha1').update(`gitlab:${seed}:${n}`).digest('hex')
  const out: GeneratedDelivery[] = []
  let key = 0
  const send = (event: string, kind: string, at: number, payload: unknown) => {
    const id = `gl${seed}-${++key}`
    out.push({ ...gitlabDelivery(event, payload, o.token, id), source: 'gitlab', kind, deliveryId: id, at })
  }
  let head = ZERO
  let commitNo = 0
  let deploymentId = 5000
  let incidentIid = 0
  // An episode every ~1–3 days: a push of 1–4 commits, then its deployment.
  for (let t = o.end - o.days * DAY + rnd() * DAY; t < o.end - HOUR; t += (1 + rnd() * 2) * DAY) {
    const commits = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => ({ id: sha(++commitNo), timestamp: iso(t - (1 + rnd() * 30) * HOUR) }))
    const after = commits.at(-1)!.id
    send('Push Hook', 'push', t, gitlabPush({ project, before: head, after, commits }))
    head = after
    let at = t + (10 + rnd() * 50) * 60_000
    const deploy = (status: string) => send('Deployment Hook', `deployment.${status}`, at, gitlabDeployment({ project, deploymentId, status, environment: 'production', tier: 'production', sha: after, at: deployTime(at) }))
    if (rnd() < 0.12) {
      deploy('running')
      at += (3 + rnd() * 10) * 60_000
      deploy('failed')
      deploymentId++
      at += (15 + rnd() * 45) * 60_000
    }
    deploy('running')
    at += (2 + rnd() * 8) * 60_000
    deploy('success')
    deploymentId++
    if (rnd() < 0.1) {
      const opened = at + (0.5 + rnd() * 6) * HOUR
      const closed = opened + (0.5 + rnd() * 8) * HOUR
      const iid = ++incidentIid
      const description = `Billing jobs failing after deploying ${after.slice(0, 8)}`
      send('Issue Hook', 'incident.open', opened, gitlabIncident({ project, iid, action: 'open', description, createdAt: iso(opened), updatedAt: iso(opened), closedAt: null }))
      send('Issue Hook', 'incident.close', closed, gitlabIncident({ project, iid, action: 'close', description, createdAt: iso(opened), updatedAt: iso(closed), closedAt: iso(closed) }))
    }
  }
  return out.filter((d) => d.at < o.end).sort((a, b) => a.at - b.at)
}
