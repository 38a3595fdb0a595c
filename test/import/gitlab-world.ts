/**
 * One GitLab project's history told once, seen two ways: as the REST API
 * serves it (the stand-in's model) and as the hooks GitLab would have sent,
 * with the Push Hook's 20-commit cap.
 */
import { createHash } from 'node:crypto'
import type { Envelope } from '../../contracts/envelope.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'
import type { Delivery } from '../helpers/payloads.ts'
import { gitlabDelivery, gitlabDeployment, gitlabIncident, gitlabMergeRequest, gitlabPush } from '../helpers/source-payloads.ts'
import type { GProject } from '../standins/gitlab-api.ts'

const ZERO = '0'.repeat(40)
/** GitLab's hook time formats: `2026-08-01 10:00:00 +0000` (deployments), `… UTC` (MRs, issues). */
const hookTime = (iso: string, zone: '+0000' | 'UTC') => `${iso.slice(0, 10)} ${iso.slice(11, 19)} ${zone}`
/** The API writes milliseconds: the importer must agree with the hooks' seconds anyway. */
const apiTime = (iso: string) => `${iso.slice(0, 19)}.412Z`

export class GitlabWorld {
  readonly project: GProject
  /** The hooks GitLab would have sent, in order, with a stable Idempotency-Key each. */
  readonly facts: { kind: string; event: string; payload: unknown; delivery: string }[] = []
  head = ZERO
  private n = 0

  constructor(id: number, path: string) {
    this.project = { id, path, defaultBranch: 'main', commits: [], deployments: [], merges: [], issues: [] }
  }

  private hook(kind: string, event: string, payload: unknown): void {
    this.facts.push({ kind, event, payload, delivery: createHash('sha1').update(`${this.project.path}:hook:${this.facts.length}`).digest('hex') })
  }

  /** The hooks as ingest would have stored them. */
  get hooks(): Envelope[] {
    return this.facts.map((f) => buildEnvelope({ source: 'gitlab', deliveryId: f.delivery, path: '/webhooks/gitlab', type: `com.gitlab.${f.kind}`, subject: this.project.path.toLowerCase(), headers: { 'x-gitlab-event': f.event }, data: JSON.stringify(f.payload) }))
  }

  /** The hooks as GitLab sends them, with the project's secret token. */
  deliveries(token: string): Delivery[] {
    return this.facts.map((f) => gitlabDelivery(f.event, f.payload, token, f.delivery))
  }

  /** Linear commits pushed at once; the hook carries only the newest `cap` of them, as GitLab's does. */
  push(times: string[], cap = 20): string[] {
    const before = this.head
    const made = times.map((at) => {
      const id = createHash('sha1').update(`${this.project.path}:${++this.n}`).digest('hex')
      this.project.commits.unshift({ id, parents: this.head === ZERO ? [] : [this.head], at, message: `change ${id.slice(0, 7)}`, author: 'Jordi Mallach' })
      this.head = id
      return { id, timestamp: at }
    })
    const payload = gitlabPush({ project: this.project.path, before, after: this.head, commits: made.slice(-cap) })
    this.hook('push', 'Push Hook', { ...payload, total_commits_count: made.length })
    return made.map((c) => c.id)
  }

  deploy(id: number, sha: string, at: string, status: 'success' | 'failed' = 'success'): void {
    const jobUrl = `https://gitlab.example.com/${this.project.path}/-/jobs/${1000 + id}`
    this.project.deployments.push({ id, iid: id, sha, status, environment: 'production', tier: 'production', createdAt: apiTime(at), finishedAt: apiTime(at), jobUrl })
    const hook = gitlabDeployment({ project: this.project.path, deploymentId: id, status, environment: 'production', tier: 'production', sha, at: hookTime(at, '+0000') })
    this.hook('deployment', 'Deployment Hook', { ...hook, deployable_url: jobUrl })
  }

  merge(iid: number, createdAt: string, mergedAt: string, sha: string): void {
    const title = `merge request ${iid}`
    this.project.merges.push({ iid, title, createdAt: apiTime(createdAt), mergedAt: apiTime(mergedAt), mergeCommitSha: sha })
    const hook = gitlabMergeRequest({ project: this.project.path, iid, createdAt: hookTime(createdAt, 'UTC'), updatedAt: hookTime(mergedAt, 'UTC'), mergeCommitSha: sha })
    this.hook('merge_request', 'Merge Request Hook', { ...hook, object_attributes: { ...hook.object_attributes, title, url: `https://gitlab.example.com/${this.project.path}/-/merge_requests/${iid}` } })
  }

  incident(iid: number, createdAt: string, closedAt: string | null): void {
    const description = `incident ${iid}`
    this.project.issues.push({ iid, title: 'Testing', description, type: 'incident', labels: [], createdAt: apiTime(createdAt), closedAt: closedAt ? apiTime(closedAt) : null, author: 'Sathwik Shetty' })
    this.hook('issue', 'Issue Hook', gitlabIncident({ project: this.project.path, iid, action: 'open', description, createdAt: hookTime(createdAt, 'UTC'), updatedAt: hookTime(createdAt, 'UTC'), closedAt: null }))
    if (closedAt) this.hook('issue', 'Issue Hook', gitlabIncident({ project: this.project.path, iid, action: 'close', description, createdAt: hookTime(createdAt, 'UTC'), updatedAt: hookTime(closedAt, 'UTC'), closedAt: hookTime(closedAt, 'UTC') }))
  }
}

/** A time on the scenario's day, 2026-08-01, UTC. */
export const T = (h: number, m = 0): string => `2026-08-01T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`

/**
 * acme/shop: c0 pushed at 09:00 and deployed 09:10 (#1); one push of 25 commits
 * (10:01…10:25) whose hook carries the newest 20, deployed at 11:00 (#2); MR !1
 * merged 10:40; incident #1 from 11:30 to 12:15.
 */
export function cappedWorld(): { w: GitlabWorld; c0: string; pushed: string[] } {
  const w = new GitlabWorld(42, 'acme/shop')
  const [c0] = w.push([T(9)])
  w.deploy(1, c0!, T(9, 10))
  const pushed = w.push(Array.from({ length: 25 }, (_, i) => T(10, i + 1)))
  w.deploy(2, pushed.at(-1)!, T(11))
  w.merge(1, T(10, 30), T(10, 40), pushed.at(-1)!)
  w.incident(1, T(11, 30), T(12, 15))
  return { w, c0: c0!, pushed }
}
