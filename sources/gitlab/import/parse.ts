/**
 * `gitlab-api` envelopes (records `doraflow import gitlab` read) → the events
 * the GitLab webhooks give (sources/gitlab/parse.ts), origin `gitlab`, same
 * natural keys (METRICS.md §10, §11). The API writes milliseconds where the
 * hooks write seconds: times are cut to the second so the keys agree.
 */
import { drop, ok, type DomainEvent, type ParseOutcome } from '../../../contracts/events.ts'
import { arr, at, idStr, optNonEmpty, optStr, posInt, str } from '../../fields.ts'
import { apiRecordParser } from '../../shared/api-record.ts'
import { deploymentReport, mergedChange, type Project } from '../parse.ts'
import { gitlabTime, optGitlabTime } from '../time.ts'

/** The project as `GET /projects/{id}` named it, like a hook's `project`. */
const projectOf = (p: unknown): Project => {
  const path = str(p, 'project.path_with_namespace')
  return { path, lc: path.toLowerCase(), routing: `gitlab:${path.toLowerCase()}` }
}

/** To the second, as the hooks write it (`2025-05-02 11:55:16 +0000`). */
const seconds = (iso: string): string => `${iso.slice(0, 19)}.000Z`
const apiTime = (p: unknown, path: string): string => seconds(gitlabTime(p, path))
const optApiTime = (p: unknown, path: string): string | null => {
  const t = optGitlabTime(p, path)
  return t === null ? null : seconds(t)
}

export const parseGitlabApi = apiRecordParser('gitlab-api', { deployment, commit, merge_request: mergeRequest, issue })

/**
 * The deployment as its Deployment Hook reports its current status: the report
 * id is `status@time`, the time the status was reached (the API's `finished_at`,
 * else `updated_at`; the hook's `status_changed_at`). Only finished states: a
 * running deployment's hook says nothing the metrics read either.
 */
function deployment(p: unknown): ParseOutcome {
  const project = projectOf(p)
  const status = str(p, 'record.status')
  if (status !== 'success' && status !== 'failed') return drop(`gitlab-api deployment ${status}: nothing the metrics read`, 'not_used_by_metrics')
  const id = idStr(p, 'record.id')
  const when = at(p, 'record.finished_at') != null ? apiTime(p, 'record.finished_at') : apiTime(p, 'record.updated_at')
  return ok([
    deploymentReport(project, {
      id,
      status,
      at: when,
      environment: str(p, 'record.environment.name'),
      tier: optStr(p, 'record.environment.tier'),
      // The API gives the full sha in its own field (the hook only inside commit_url).
      sha: str(p, 'record.sha').toLowerCase(),
      url: optNonEmpty(p, 'record.deployable.web_url') ?? optNonEmpty(p, 'record.environment.external_url'),
    }),
  ])
}

function commit(p: unknown): ParseOutcome {
  const project = projectOf(p)
  const sha = str(p, 'record.id').toLowerCase()
  return ok([
    {
      type: 'CommitListed',
      key: `commit:gitlab:${project.lc}:${sha}`,
      routing: project.routing,
      origin: 'gitlab',
      repo: project.path,
      sha,
      parents: arr(p, 'record.parent_ids').map((_, i) => str(p, `record.parent_ids.${i}`).toLowerCase()),
      // §10: the committer date, unless a push hook gave the commit a timestamp.
      committedAt: gitlabTime(p, 'record.committed_date'),
      message: optStr(p, 'record.message') ?? '',
      url: optNonEmpty(p, 'record.web_url'),
      author: optStr(p, 'record.author_name'),
      // GitLab's commit API names no account, only the e-mail.
      authorLogin: null,
      authorEmail: optStr(p, 'record.author_email'),
    },
  ])
}

function mergeRequest(p: unknown): ParseOutcome {
  const project = projectOf(p)
  if (at(p, 'record.merged_at') == null) return drop('gitlab-api merge request without merged_at', 'not_a_merge')
  return ok([
    mergedChange(project, {
      iid: posInt(p, 'record.iid'),
      title: optStr(p, 'record.title'),
      url: optNonEmpty(p, 'record.web_url'),
      createdAt: apiTime(p, 'record.created_at'),
      mergedAt: apiTime(p, 'record.merged_at'),
      sha: optNonEmpty(p, 'record.merge_commit_sha') ?? optNonEmpty(p, 'record.squash_commit_sha') ?? optNonEmpty(p, 'record.sha'),
    }),
  ])
}

/**
 * An issue snapshot: opened at `created_at`, and resolved at `closed_at` when
 * it is closed now (an open issue closed before was reopened after: §11 counts
 * it open). Marked imported: a hook of the same transition and second stands
 * for it (processors/project/natural.ts).
 */
function issue(p: unknown): ParseOutcome {
  const project = projectOf(p)
  const iid = posInt(p, 'record.iid')
  const type = (optStr(p, 'record.issue_type') ?? optStr(p, 'record.type') ?? 'issue').toLowerCase()
  const labels = at(p, 'record.labels') == null ? [] : arr(p, 'record.labels').map((_, i) => (typeof at(p, `record.labels.${i}`) === 'string' ? str(p, `record.labels.${i}`) : str(p, `record.labels.${i}.name`)).toLowerCase())
  if (type !== 'incident' && labels.length === 0) return drop(`gitlab-api ${type} ${project.path}#${iid} has no incident type and no labels`, 'not_used_by_metrics')
  const createdAt = apiTime(p, 'record.created_at')
  const closedAt = str(p, 'record.state') === 'closed' ? optApiTime(p, 'record.closed_at') : null
  const base = {
    type: 'IncidentTransitioned' as const,
    routing: project.routing,
    origin: 'gitlab' as const,
    incidentId: `${project.lc}#${iid}`,
    serviceRef: project.lc,
    serviceName: project.path,
    team: null,
    createdAt,
    title: optStr(p, 'record.title'),
    text: optStr(p, 'record.description'),
    urgency: undefined,
    priority: type === 'incident' ? (optStr(p, 'record.severity')?.toLowerCase() ?? null) : undefined,
    links: [],
    number: iid,
    url: optNonEmpty(p, 'record.web_url'),
    imported: true as const,
    tags: [`type:${type}`, ...labels.map((l) => `label:${l}`)],
  }
  const events: DomainEvent[] = [{ ...base, key: `incident:gitlab:${project.lc}#${iid}:triggered:${createdAt}`, transition: 'triggered', at: createdAt, agent: optStr(p, 'record.author.name') }]
  if (closedAt) events.push({ ...base, key: `incident:gitlab:${project.lc}#${iid}:resolved:${closedAt}`, transition: 'resolved', at: closedAt, agent: optStr(p, 'record.closed_by.name') })
  return ok(events)
}
