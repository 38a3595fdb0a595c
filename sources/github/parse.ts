/**
 * GitHub webhooks → domain events. The event name is the X-GitHub-Event
 * header; the body is JSON, or a form with the JSON in `payload`.
 */
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type ChangeMerged, type DeploymentReported, type ParseOutcome } from '../../contracts/events.ts'
import { githubPayloadText } from './body.ts'
import { pushCommits } from '../shared/push.ts'
import { arr, at, BadField, guard, idStr, isObj, obj, optBool, optNonEmpty, optStr, optTime, parseJson, posInt, str, time, unixTime } from '../fields.ts'

/** The JSON text of the delivery: form-encoded hooks carry it in the `payload` field. */
function payloadText(env: Envelope): string {
  const text = githubPayloadText(env.data, env.doraflowheaders['content-type'])
  if (text === null) throw new BadField('form-encoded body has no "payload" field', 'missing_field')
  return text
}

export interface Repo {
  name: string // full_name as sent
  lc: string
  routing: string
}

export function repoOf(p: unknown): Repo {
  // Senders other than GitHub (Four Keys' generator, scripts) often leave the repository out.
  if (at(p, 'repository.full_name') === undefined) throw new BadField('repository.full_name must be a string, got nothing (missing)', 'missing_repository')
  const name = str(p, 'repository.full_name')
  const lc = name.toLowerCase()
  return { name, lc, routing: `github:${lc}` }
}

export function parseGithub(env: Envelope): ParseOutcome {
  return guard('github', () => {
    const event = env.doraflowheaders['x-github-event']
    if (!event) throw new BadField('x-github-event header is missing', 'missing_field')
    const p = parseJson(payloadText(env))
    if (!isObj(p)) throw new BadField('body must be a JSON object', 'bad_json')
    switch (event) {
      case 'push':
        return push(p)
      case 'deployment_status':
        return deploymentStatus(p)
      case 'pull_request':
        return pullRequest(p)
      case 'issues':
        return issue(p, env.id)
      default:
        // ping, deployment (no status yet), workflow_run, release, check_run…: nothing the metrics read.
        return drop(`github event ${event} is not used by the metrics`, 'not_used_by_metrics')
    }
  })
}

/** `repository.pushed_at` is unix seconds on push payloads, an ISO string elsewhere. */
function pushedAt(p: unknown): string | null {
  if (at(p, 'head_commit.timestamp') != null) return time(p, 'head_commit.timestamp')
  const v = at(p, 'repository.pushed_at')
  if (typeof v === 'number' && Number.isFinite(v)) return unixTime(v, 'repository.pushed_at')
  return optTime(p, 'repository.pushed_at')
}

function push(p: unknown): ParseOutcome {
  const repo = repoOf(p)
  const ref = str(p, 'ref')
  const before = str(p, 'before')
  const after = str(p, 'after')
  const commits = pushCommits(p)
  return ok([
    {
      type: 'CommitsPushed',
      key: `push:github:${repo.lc}:${before}:${after}:${ref}`,
      routing: repo.routing,
      origin: 'github',
      repo: repo.name,
      ref,
      defaultBranch: optStr(p, 'repository.default_branch') ?? optStr(p, 'repository.master_branch'),
      before,
      after,
      // Absent on some old payloads: absent means it did not happen.
      deleted: optBool(p, 'deleted') ?? false,
      forced: optBool(p, 'forced') ?? false,
      pushedAt: pushedAt(p),
      commits,
    },
  ])
}

function deploymentStatus(p: unknown): ParseOutcome {
  return ok([deploymentReport(p, 'deployment_status', repoOf(p))])
}

/**
 * One status of `deployment` (the object at `status`) as a report: the
 * `deployment_status` webhook and the REST API's statuses list (import/parse.ts)
 * give the same fields, so both roads build the same fact.
 */
export function deploymentReport(p: unknown, status: string, repo: Repo): DeploymentReported {
  const statusId = idStr(p, `${status}.id`)
  const environment = optStr(p, `${status}.environment`) ?? optStr(p, 'deployment.environment')
  if (environment === null) throw new BadField(`${status}.environment and deployment.environment are both missing`, 'missing_field')
  const deploymentId = `${repo.lc}#${idStr(p, 'deployment.id')}`
  return {
    type: 'DeploymentReported',
    // The status id names the report: the webhook and the REST API's statuses list agree on it.
    key: `deployment:github:${deploymentId}:status/${statusId}`,
    routing: repo.routing,
    origin: 'github',
    deploymentId,
    reportId: `status/${statusId}`,
    serviceName: repo.name,
    team: null,
    repo: repo.name,
    environment,
    // Older payloads have no production_environment: null = "GitHub did not say".
    productionEnvironment: optBool(p, 'deployment.production_environment'),
    sha: str(p, 'deployment.sha').toLowerCase(),
    artifact: null,
    // §2: the status's created_at (never the deployment's updated_at).
    at: time(p, `${status}.created_at`),
    status: str(p, `${status}.state`),
    rollback: false,
    // Human pages only (run/log or the deployed site); deployment.url is the REST API url.
    url: optNonEmpty(p, `${status}.target_url`) ?? optNonEmpty(p, `${status}.environment_url`) ?? optNonEmpty(p, `${status}.log_url`),
  }
}

function pullRequest(p: unknown): ParseOutcome {
  const repo = repoOf(p)
  const action = str(p, 'action')
  obj(p, 'pull_request')
  // A closed, unmerged PR still has a merge_commit_sha (GitHub's test merge): only merged: true counts.
  if (action !== 'closed' || at(p, 'pull_request.merged') !== true) return drop(`pull_request ${action} is not a merge`, 'not_a_merge')
  return ok([mergedChange(p, 'pull_request', repo)])
}

/** A merged pull request (the object at `pr`): the same fact from the webhook and from the REST API's list. */
export function mergedChange(p: unknown, pr: string, repo: Repo): ChangeMerged {
  const number = posInt(p, `${pr}.number`)
  return {
    type: 'ChangeMerged',
    key: `change:github:${repo.lc}#${number}`,
    routing: repo.routing,
    origin: 'github',
    repo: repo.name,
    number,
    title: optStr(p, `${pr}.title`) ?? '',
    url: optNonEmpty(p, `${pr}.html_url`),
    createdAt: time(p, `${pr}.created_at`),
    mergedAt: time(p, `${pr}.merged_at`),
    mergeCommitSha: optNonEmpty(p, `${pr}.merge_commit_sha`),
  }
}

function issue(p: unknown, envelopeId: string): ParseOutcome {
  const repo = repoOf(p)
  const action = str(p, 'action')
  const number = posInt(p, 'issue.number')
  const updatedAt = time(p, 'issue.updated_at')
  // pinned/unpinned payloads have no issue.labels at all: no label information, not "no labels"
  // (incident-ness is "an incident label at any time", so [] takes nothing away).
  const labels = at(p, 'issue.labels') === undefined ? [] : arr(p, 'issue.labels').map((_, i) => str(p, `issue.labels.${i}.name`))
  // The label a `labeled` event adds may be missing from the issue snapshot: add it.
  // An `unlabeled` label is gone from the issue: never add it.
  if (action === 'labeled') {
    const added = str(p, 'label.name')
    if (!labels.includes(added)) labels.push(added)
  }
  return ok([
    {
      type: 'IssueChanged',
      // updated_at has second precision: the envelope id keeps two changes within one second apart.
      key: `issue:github:${repo.lc}#${number}:${action}:${updatedAt}:${envelopeId}`,
      routing: repo.routing,
      origin: 'github',
      issueId: `${repo.lc}#${number}`,
      repo: repo.name,
      number,
      action,
      labels,
      title: str(p, 'issue.title'),
      body: optStr(p, 'issue.body') ?? '',
      createdAt: time(p, 'issue.created_at'),
      closedAt: optTime(p, 'issue.closed_at'),
      updatedAt,
      url: optNonEmpty(p, 'issue.html_url'),
    },
  ])
}
