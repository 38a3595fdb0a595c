/**
 * Real-shaped GitLab hooks: the recorded templates (templates/README.md) with the
 * fields a scenario needs overridden, authenticated with X-Gitlab-Token as GitLab
 * sends it. Used by the tests (through test/helpers/source-payloads.ts) and by
 * `doraflow demo` (generator/gitlab.ts).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { TEMPLATES, type Delivery } from './payloads.ts'

const template = (p: string): any => JSON.parse(readFileSync(resolve(TEMPLATES, p), 'utf8'))
const T = {
  push: template('gitlab/push.default-branch.gitlab-docs.json'),
  deployment: template('gitlab/deployment.success.json'),
  mr: template('gitlab/merge_request.merged.json'),
  opened: template('gitlab/issue.incident.opened.json'),
  closed: template('gitlab/issue.incident.closed.json'),
}

export function gitlabDelivery(event: string, payload: unknown, token: string, idempotencyKey: string): Delivery {
  return {
    path: '/webhooks/gitlab',
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-token': token, 'idempotency-key': idempotencyKey, 'x-gitlab-event-uuid': `uuid-${idempotencyKey}` },
  }
}

function project(path: string) {
  return { ...T.deployment.project, path_with_namespace: path, name: path.split('/').at(-1), default_branch: 'main', web_url: `https://gitlab.example.com/${path}` }
}

export function gitlabPush(o: { project: string; before: string; after: string; commits: { id: string; timestamp: string }[] }) {
  const p = T.push
  const commits = o.commits.map((c) => ({ ...p.commits[0], id: c.id, timestamp: c.timestamp, message: `change ${c.id.slice(0, 7)}`, url: `https://gitlab.example.com/${o.project}/-/commit/${c.id}` }))
  return { ...p, ref: 'refs/heads/main', before: o.before, after: o.after, checkout_sha: o.after, commits, total_commits_count: commits.length, project: project(o.project) }
}

/** `at` in GitLab's Deployment Hook format, e.g. `2026-08-02 09:00:00 +0000`. */
export function gitlabDeployment(o: { project: string; deploymentId: number; status: string; environment: string; tier: string; sha: string; at: string }) {
  return { ...T.deployment, status: o.status, status_changed_at: o.at, deployment_id: o.deploymentId, environment: o.environment, environment_slug: o.environment, environment_tier: o.tier, short_sha: o.sha.slice(0, 8), commit_url: `https://gitlab.example.com/${o.project}/-/commit/${o.sha}`, project: project(o.project) }
}

/** `createdAt`/`updatedAt` in GitLab's merge-request format, e.g. `2026-08-01 10:00:00 UTC`. */
export function gitlabMergeRequest(o: { project: string; iid: number; createdAt: string; updatedAt: string; mergeCommitSha: string }) {
  const p = T.mr
  return { ...p, project: project(o.project), object_attributes: { ...p.object_attributes, iid: o.iid, id: 9000 + o.iid, created_at: o.createdAt, updated_at: o.updatedAt, merge_commit_sha: o.mergeCommitSha } }
}

export function gitlabIncident(o: { project: string; iid: number; action: 'open' | 'close'; description: string; createdAt: string; updatedAt: string; closedAt: string | null }) {
  const p = o.action === 'open' ? T.opened : T.closed
  return {
    ...p,
    project: project(o.project),
    object_attributes: { ...p.object_attributes, iid: o.iid, id: 7000 + o.iid, action: o.action, state: o.action === 'open' ? 'opened' : 'closed', description: o.description, created_at: o.createdAt, updated_at: o.updatedAt, closed_at: o.closedAt, url: `https://gitlab.example.com/${o.project}/-/issues/${o.iid}` },
  }
}
