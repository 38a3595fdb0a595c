/**
 * A repository's history told once, seen two ways: as the GitHub / PagerDuty
 * REST APIs serve it (the stand-ins' models) and as the webhooks that would
 * have reported it live. The importer tests compare what both give.
 */
import { createHash, randomUUID } from 'node:crypto'
import { buildEnvelope } from '../../ingest/envelope.ts'
import type { Envelope } from '../../contracts/envelope.ts'
import { deploymentStatusPayload, githubDelivery, issuePayload, pagerdutyDelivery, pagerdutyPayload, pullRequestMergedPayload, pushPayload, type Delivery } from '../helpers/payloads.ts'
import type { SCommit, SDeployment, SFile, SIssue, SPull, SRepo } from '../standins/github-api.ts'
import type { PIncident, PLogEntry } from '../standins/pagerduty-api.ts'

/** The push fixture's commit author: webhook and API must name the same person. */
export const AUTHOR = 'Codertocat'
const ZERO = '0'.repeat(40)

export interface WebhookFact {
  /** When it happened (the webhook would have been sent then). */
  at: string
  event: string
  payload: unknown
  /** Stable delivery id, so a repeated delivery is a redelivery. */
  delivery: string
}

/** A push payload's lists for a commit's files: a rename is its new name added and its old one removed, as GitHub's push shows it. */
function pushedFiles(files: SFile[]): { added: string[]; modified: string[]; removed: string[] } {
  const pick = (st: SFile['status']) => files.filter((f) => f.status === st).map((f) => f.filename)
  const renamed = files.filter((f) => f.status === 'renamed')
  return { added: [...pick('added'), ...renamed.map((f) => f.filename)], modified: pick('modified'), removed: [...pick('removed'), ...renamed.flatMap((f) => f.previous_filename ?? [])] }
}

export class RepoWorld {
  readonly commits: SCommit[] = []
  readonly deployments: SDeployment[] = []
  readonly pulls: SPull[] = []
  readonly issues: SIssue[] = []
  readonly hooks: WebhookFact[] = []
  head = ZERO
  private n = 0
  private statusId = 1000
  private eventId = 5000

  constructor(
    readonly fullName: string,
    readonly defaultBranch = 'main',
  ) {}

  sha(): string {
    return createHash('sha1').update(`${this.fullName}:${++this.n}`).digest('hex')
  }

  private hook(at: string, event: string, payload: unknown): void {
    this.hooks.push({ at, event, payload, delivery: createHash('sha1').update(`${this.fullName}:hook:${this.hooks.length}`).digest('hex') })
  }

  private add(at: string, parents: string[]): SCommit {
    const c: SCommit = { sha: this.sha(), parents: parents.filter((p) => p !== ZERO), at, author: AUTHOR }
    c.message = `change ${c.sha.slice(0, 7)}`
    this.commits.push(c)
    return c
  }

  private pushHook(before: string, after: string, commits: SCommit[], forced = false): void {
    const p = pushPayload({ repo: this.fullName, before, after, commits: commits.map((c) => ({ id: c.sha, timestamp: c.at, message: c.message!, ...(c.files ? pushedFiles(c.files) : {}) })) })
    const repository = { ...p.repository, default_branch: this.defaultBranch, master_branch: this.defaultBranch }
    this.hook(commits.at(-1)?.at ?? new Date().toISOString(), 'push', { ...p, ref: `refs/heads/${this.defaultBranch}`, forced, repository })
  }

  /** One push of linear commits onto the default branch. */
  push(...times: string[]): string {
    const before = this.head
    const made: SCommit[] = []
    for (const t of times) {
      made.push(this.add(t, [this.head]))
      this.head = made.at(-1)!.sha
    }
    this.pushHook(before, this.head, made)
    return this.head
  }

  /** One push of one commit changing `files` (what "Get a commit" lists; the push says added/modified/removed). */
  pushTouching(at: string, files: SFile[]): string {
    const before = this.head
    const c = this.add(at, [this.head])
    c.files = files
    this.head = c.sha
    this.pushHook(before, c.sha, [c])
    return c.sha
  }

  /** A branch off the head with commits at `branchTimes`, merged with a merge commit at `at` (one push). */
  merge(at: string, branchTimes: string[], pr?: { number: number; createdAt: string }): string {
    const before = this.head
    let tip = this.head
    const branch: SCommit[] = []
    for (const t of branchTimes) {
      branch.push(this.add(t, [tip]))
      tip = branch.at(-1)!.sha
    }
    const m = this.add(at, [before, tip])
    this.head = m.sha
    this.pushHook(before, m.sha, [...branch, m])
    if (pr) this.pull(pr.number, pr.createdAt, at, m.sha)
    return m.sha
  }

  /** A squash merge: one commit on the default branch, the PR's merge_commit_sha. */
  squash(at: string, pr: { number: number; createdAt: string }): string {
    const sha = this.push(at)
    this.pull(pr.number, pr.createdAt, at, sha)
    return sha
  }

  /** A force-push: the head's last `drop` commits replaced by new ones. */
  forcePush(drop: number, ...times: string[]): string {
    const before = this.head
    let base = this.head
    for (let i = 0; i < drop; i++) base = this.commits.find((c) => c.sha === base)!.parents[0] ?? ZERO
    this.head = base
    const made: SCommit[] = []
    for (const t of times) {
      made.push(this.add(t, [this.head]))
      this.head = made.at(-1)!.sha
    }
    this.pushHook(before, this.head, made, true)
    return this.head
  }

  pull(number: number, createdAt: string, mergedAt: string, mergeCommitSha: string): void {
    this.pulls.push({ number, createdAt, mergedAt, mergeCommitSha, title: `PR ${number}` })
    const p = pullRequestMergedPayload({ repo: this.fullName, number, createdAt, mergedAt, mergeCommitSha })
    this.hook(mergedAt, 'pull_request', { ...p, pull_request: { ...p.pull_request, title: `PR ${number}`, html_url: `https://github.com/${this.fullName}/pull/${number}`, updated_at: mergedAt } })
  }

  /** A deployment of `sha` with statuses [state, at][]; GitHub moves `updated_at` with each status. */
  deploy(id: number, sha: string, environment: string, statuses: [string, string][]): void {
    const d: SDeployment = { id, sha, environment, createdAt: statuses[0]![1], productionEnvironment: environment === 'production', statuses: [] }
    for (const [state, at] of statuses) {
      const s = { id: ++this.statusId, state, at }
      d.statuses.push(s)
      const p = deploymentStatusPayload({ repo: this.fullName, deploymentId: id, statusId: s.id, state, environment, sha, at })
      const url = `https://ci.example.com/deploy/${id}/${s.id}`
      this.hook(at, 'deployment_status', {
        ...p,
        deployment_status: { ...p.deployment_status, target_url: url, environment_url: '', log_url: url },
        deployment: { ...p.deployment, ref: this.defaultBranch, production_environment: d.productionEnvironment, created_at: d.createdAt },
      })
    }
    d.updatedAt = statuses.at(-1)![1]
    this.deployments.push(d)
  }

  /** An incident issue: opened (labelled from the start, as a template does) and closed. */
  incidentIssue(number: number, body: string, openedAt: string, closedAt: string | null, label = 'incident'): void {
    const issue: SIssue = { number, title: `Incident ${number}`, body, labels: [label], createdAt: openedAt, closedAt, updatedAt: closedAt ?? openedAt, events: [] }
    issue.events.push({ id: ++this.eventId, event: 'labeled', at: openedAt, label })
    const hook = (action: string, at: string, closed: string | null, extra: Record<string, unknown> = {}) => {
      const p = issuePayload({ repo: this.fullName, action, number, labels: [label], body, createdAt: openedAt, closedAt: closed, updatedAt: at })
      this.hook(at, 'issues', { ...p, ...extra, issue: { ...p.issue, title: issue.title, html_url: `https://github.com/${this.fullName}/issues/${number}` } })
    }
    hook('opened', openedAt, null)
    hook('labeled', openedAt, null, { label: { name: label } })
    if (closedAt) {
      issue.events.push({ id: ++this.eventId, event: 'closed', at: closedAt })
      hook('closed', closedAt, closedAt)
    }
    this.issues.push(issue)
  }

  standin(): SRepo {
    return { fullName: this.fullName, defaultBranch: this.defaultBranch, commits: this.commits, head: this.head, deployments: this.deployments, pulls: this.pulls, issues: this.issues }
  }
}

export class PagerdutyWorld {
  readonly incidents: PIncident[] = []
  readonly hooks: WebhookFact[] = []
  private n = 0

  incident(o: { id: string; service: string; title: string; urgency?: 'high' | 'low'; entries: [PLogEntry['type'], string][] }): void {
    const inc: PIncident = { id: o.id, number: ++this.n, title: o.title, service: o.service, createdAt: o.entries[0]![1], urgency: o.urgency ?? 'high', priority: null, entries: [] }
    let resolved = false
    o.entries.forEach(([type, at], i) => {
      const entry: PLogEntry = { id: `${o.id}L${i}`, type, at, agent: 'PD Service' }
      inc.entries.push(entry)
      // Triggered again after a resolve, PagerDuty reopens the incident and says so.
      const eventType = type === 'trigger_log_entry' && resolved ? 'incident.reopened' : { trigger_log_entry: 'incident.triggered', acknowledge_log_entry: 'incident.acknowledged', resolve_log_entry: 'incident.resolved', reopen_log_entry: 'incident.reopened' }[type as string]
      if (type === 'resolve_log_entry') resolved = true
      else if (type === 'trigger_log_entry' || type === 'reopen_log_entry') resolved = false
      if (!eventType) return
      const p = pagerdutyPayload({ eventId: `${o.id}E${i}`, type: eventType, incidentId: o.id, service: o.service, occurredAt: at, createdAt: inc.createdAt, title: o.title, urgency: inc.urgency })
      const data = { ...p.event.data, description: o.title, number: inc.number, priority: null, html_url: `https://acme.pagerduty.com/incidents/${o.id}` }
      this.hooks.push({ at, event: 'pagerduty', payload: { event: { ...p.event, agent: { ...p.event.agent, summary: 'PD Service' }, data } }, delivery: `${o.id}E${i}` })
    })
    this.incidents.push(inc)
  }
}

/** A webhook fact as the envelope ingest would have logged (for projection-level tests). */
export function hookEnvelope(h: WebhookFact): Envelope {
  if (h.event === 'pagerduty') {
    const p = h.payload as { event: { id: string; data: { service: { id: string } } } }
    return buildEnvelope({ source: 'pagerduty', deliveryId: p.event.id, path: '/webhooks/pagerduty', type: 'com.pagerduty.incident', subject: p.event.data.service.id, headers: {}, data: JSON.stringify(h.payload) })
  }
  const repo = (h.payload as { repository: { full_name: string } }).repository.full_name
  return buildEnvelope({ source: 'github', deliveryId: h.delivery, path: '/webhooks/github/hooks/4242', type: `com.github.${h.event}`, subject: repo.toLowerCase(), headers: { 'x-github-event': h.event }, data: JSON.stringify(h.payload) })
}

/** A webhook fact as a signed delivery (for end-to-end tests through a running serve). */
export function hookDelivery(h: WebhookFact, secrets: { github: string; pagerduty: string }): Delivery {
  if (h.event === 'pagerduty') return pagerdutyDelivery(h.payload as { event: { id: string } }, secrets.pagerduty)
  return githubDelivery(h.event, h.payload, secrets.github, h.delivery)
}

export const uuid = (): string => randomUUID()
