/**
 * GitLab webhooks → domain events (METRICS.md §11). The hook name is the
 * `X-Gitlab-Event` header (`Push Hook`, `Merge Request Hook`, …); the body's
 * `object_kind` says the same and is what we read, so a proxy that drops the
 * header loses nothing.
 */
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type ChangeMerged, type DeploymentReported, type IncidentTransition, type ParseOutcome } from '../../contracts/events.ts'
import { arr, at, BadField, guard, idStr, isObj, optNonEmpty, optStr, parseJson, posInt, str } from '../fields.ts'
import { pushCommits } from '../shared/push.ts'
import { gitlabTime, optGitlabTime } from './time.ts'

const ZERO = '0000000000000000000000000000000000000000'

export interface Project {
  path: string // path_with_namespace as sent
  lc: string
  routing: string
}

export function projectOf(p: unknown): Project {
  if (at(p, 'project.path_with_namespace') === undefined) throw new BadField('project.path_with_namespace must be a string, got nothing (missing)', 'missing_repository')
  const path = str(p, 'project.path_with_namespace')
  const lc = path.toLowerCase()
  return { path, lc, routing: `gitlab:${lc}` }
}

export function parseGitlab(env: Envelope): ParseOutcome {
  return guard('gitlab', () => {
    const p = parseJson(env.data)
    if (!isObj(p)) throw new BadField('body must be a JSON object', 'bad_json')
    const kind = optStr(p, 'object_kind') ?? env.doraflowheaders['x-gitlab-event'] ?? ''
    switch (kind) {
      case 'push':
        return push(p)
      case 'merge_request':
        return mergeRequest(p)
      case 'deployment':
        return deployment(p)
      // GitLab sends `work_item` for incidents and other work-item types, `issue` for plain issues (and some closes).
      case 'issue':
      case 'work_item':
        return issue(p)
      case 'tag_push':
        return drop('gitlab tag push: stored, it moves no branch the metrics read', 'not_used_by_metrics')
      case 'pipeline':
        return drop('gitlab pipeline: stored, deployments come from the Deployment Hook', 'not_used_by_metrics')
      default:
        return drop(`gitlab ${JSON.stringify(kind)} is not used by the metrics`, 'not_used_by_metrics')
    }
  })
}

function push(p: unknown): ParseOutcome {
  const project = projectOf(p)
  const ref = str(p, 'ref')
  const before = str(p, 'before')
  const after = str(p, 'after')
  // At most 20 commits per push (total_commits_count may say more): the walk uses what was sent.
  const commits = pushCommits(p)
  const head = commits.find((c) => c.id === after)
  const total = at(p, 'total_commits_count')
  return ok([
    {
      type: 'CommitsPushed',
      key: `push:gitlab:${project.lc}:${before}:${after}:${ref}`,
      routing: project.routing,
      origin: 'gitlab',
      repo: project.path,
      ref,
      defaultBranch: optStr(p, 'project.default_branch'),
      before,
      after,
      // GitLab has no `deleted` flag: a branch deletion is a push whose `after` is all zeros.
      deleted: after === ZERO,
      forced: false,
      pushedAt: head?.timestamp ?? null,
      commits,
      ...(typeof total === 'number' && total > commits.length ? { truncated: true as const } : {}),
    },
  ])
}

function mergeRequest(p: unknown): ParseOutcome {
  const project = projectOf(p)
  const state = str(p, 'object_attributes.state')
  const action = optStr(p, 'object_attributes.action')
  // The merge itself only: later hooks of a merged MR (labels, comments) have state merged too,
  // and their updated_at would move the merge time (and make it depend on which came first).
  if (state !== 'merged' || action !== 'merge') return drop(`gitlab merge request ${action ?? state} (state ${state}) is not the merge`, 'not_a_merge')
  return ok([
    mergedChange(project, {
      iid: posInt(p, 'object_attributes.iid'),
      title: optStr(p, 'object_attributes.title'),
      url: optNonEmpty(p, 'object_attributes.url'),
      createdAt: gitlabTime(p, 'object_attributes.created_at'),
      // The hook has no merged_at: the merge is its last update (the REST API's merged_at, on import).
      mergedAt: gitlabTime(p, 'object_attributes.updated_at'),
      // Merge commit; squash-only merges have a squash commit; fast-forward merges neither: the head commit is what lands.
      sha: optNonEmpty(p, 'object_attributes.merge_commit_sha') ?? optNonEmpty(p, 'object_attributes.squash_commit_sha') ?? optNonEmpty(p, 'object_attributes.last_commit.id'),
    }),
  ])
}

/** A merged merge request, from its hook or the REST API (one identity both ways). */
export function mergedChange(project: Project, m: { iid: number; title: string | null; url: string | null; createdAt: string; mergedAt: string; sha: string | null }): ChangeMerged {
  return { type: 'ChangeMerged', key: `change:gitlab:${project.lc}!${m.iid}`, routing: project.routing, origin: 'gitlab', repo: project.path, number: m.iid, title: m.title ?? '', url: m.url, createdAt: m.createdAt, mergedAt: m.mergedAt, mergeCommitSha: m.sha }
}

/** The full sha is only in `commit_url` (…/-/commit/<sha>); `short_sha` must be its prefix. */
function deployedSha(p: unknown): string {
  const url = str(p, 'commit_url')
  const sha = /\/commit\/([0-9a-f]{40})\/?$/i.exec(url)?.[1]?.toLowerCase()
  if (!sha) throw new BadField(`commit_url does not end in a full commit sha: ${JSON.stringify(url)}`)
  const short = optStr(p, 'short_sha')
  if (short && !sha.startsWith(short.toLowerCase())) throw new BadField(`short_sha ${short} is not a prefix of the sha in commit_url (${sha})`)
  return sha
}

/** GitLab's `failed` is §2's `failure` (a failed attempt); success counts; running, canceled, created… say nothing. */
const STATUS: Record<string, string> = { failed: 'failure' }

function deployment(p: unknown): ParseOutcome {
  const project = projectOf(p)
  const status = str(p, 'status')
  const deploymentId = idStr(p, 'deployment_id')
  const at = gitlabTime(p, 'status_changed_at')
  const tier = optStr(p, 'environment_tier')
  return ok([
    deploymentReport(project, {
      id: deploymentId,
      status,
      at,
      environment: str(p, 'environment'),
      tier,
      sha: deployedSha(p),
      url: optNonEmpty(p, 'deployable_url') ?? optNonEmpty(p, 'environment_external_url'),
    }),
  ])
}

/**
 * A deployment reaching a status, from its hook or the REST API. The hook has no
 * status id: the status and the time it was reached name the report.
 */
export function deploymentReport(project: Project, d: { id: string; status: string; at: string; environment: string; tier: string | null; sha: string; url: string | null }): DeploymentReported {
  const reportId = `${d.status}@${d.at}`
  return {
    type: 'DeploymentReported',
    key: `deployment:gitlab:${project.lc}#${d.id}:${reportId}`,
    routing: project.routing,
    origin: 'gitlab',
    deploymentId: `${project.lc}#${d.id}`,
    reportId,
    serviceName: project.path,
    team: null,
    repo: project.path,
    environment: d.environment,
    // environment_tier production plays the part of GitHub's production_environment (§11).
    productionEnvironment: d.tier === null ? null : d.tier === 'production',
    sha: d.sha,
    artifact: null,
    at: d.at,
    status: STATUS[d.status] ?? d.status,
    rollback: false,
    url: d.url,
  }
}

/** open → triggered, close → resolved, reopen → reopened; any other action keeps the timeline and the title current. */
function transitionOf(action: string | null): IncidentTransition {
  return action === 'open' ? 'triggered' : action === 'close' ? 'resolved' : action === 'reopen' ? 'reopened' : 'updated'
}

function issue(p: unknown): ParseOutcome {
  const project = projectOf(p)
  const iid = posInt(p, 'object_attributes.iid')
  const type = (optStr(p, 'object_attributes.type') ?? optStr(p, 'object_attributes.issue_type') ?? 'issue').toLowerCase()
  const labelList = at(p, 'labels') !== undefined ? 'labels' : 'object_attributes.labels'
  const labels = at(p, labelList) == null ? [] : arr(p, labelList).map((_, i) => str(p, `${labelList}.${i}.title`).toLowerCase())
  // Neither an incident nor labelled: no configuration can make it one.
  if (type !== 'incident' && labels.length === 0) return drop(`gitlab ${type} ${project.path}#${iid} has no incident type and no labels`, 'not_used_by_metrics')
  const action = optStr(p, 'object_attributes.action')
  const transition = transitionOf(action)
  const createdAt = gitlabTime(p, 'object_attributes.created_at')
  const updatedAt = gitlabTime(p, 'object_attributes.updated_at')
  const closedAt = optGitlabTime(p, 'object_attributes.closed_at')
  const eventAt = transition === 'triggered' ? createdAt : transition === 'resolved' ? (closedAt ?? updatedAt) : updatedAt
  return ok([
    {
      type: 'IncidentTransitioned',
      // What happened to which incident when (an importer of the same issue agrees on it).
      key: `incident:gitlab:${project.lc}#${iid}:${transition}:${eventAt}`,
      routing: project.routing,
      origin: 'gitlab',
      incidentId: `${project.lc}#${iid}`,
      serviceRef: project.lc,
      serviceName: project.path,
      team: null,
      transition,
      at: eventAt,
      createdAt,
      title: optStr(p, 'object_attributes.title'),
      text: optStr(p, 'object_attributes.description'),
      urgency: undefined,
      // GitLab incident severity (critical/high/medium/low/unknown) plays the part of a priority.
      priority: type === 'incident' ? optStr(p, 'object_attributes.severity') : undefined,
      links: [],
      number: iid,
      url: optNonEmpty(p, 'object_attributes.url'),
      agent: optStr(p, 'user.name'),
      tags: [`type:${type}`, ...labels.map((l) => `label:${l}`)],
    },
  ])
}
