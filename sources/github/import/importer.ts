/**
 * `doraflow import github`: per repository, its deployments with their
 * statuses, the default branch's commits, merged pull requests and incident
 * issues with their events, appended to the event log as `github-api`
 * envelopes (METRICS.md §10; endpoints: INTERFACE.md "What doraflow import
 * reads"). A repository that fails (404, forbidden) is reported and the
 * others go on; a bad token stops the run at once, naming the config key.
 */
import pLimit from 'p-limit'
import type { Config } from '../../../config/schema.ts'
import type { EventLog } from '../../../log/types.ts'
import { ImportFailure, ImportRun, type ImportProblem, type RunSummary, type ScopeProgress } from '../../shared/import/run.ts'
import { tokenFingerprint, type ImportState } from '../../shared/import/state.ts'
import { githubClient, statusOf, type GithubApi } from './client.ts'
import { readList } from './pages.ts'
import { githubApiEnvelope, type GithubApiRecord, type RepoRef } from './records.ts'

export interface GithubImportRequest {
  repos: string[]
  org?: string
  since?: string
  until?: string
}

export interface ImportDeps {
  config: Config
  log: EventLog
  state: ImportState
  onProgress?: (run: ImportRun) => void
  /** Tests: retries after a rate limit before giving up. */
  maxLimitRetries?: number
}

/**
 * Sub-requests of one page (statuses of its deployments, events of its issues) in flight at
 * once. The throttling plugin queues everything anyway (at most 10 at once, waits on limits for
 * all); one at a time would leave an import of a large organisation waiting on round trips.
 */
const PAGE_CONCURRENCY = 8

const TOKEN_HINT = 'github.token (GITHUB_TOKEN in the example config): a token with read access to contents, deployments, issues and pull requests'

/** A bad token fails everything that follows: stop the run and say which key to fix. */
function problemOf(err: unknown, what: string): ImportProblem {
  if (err instanceof ImportFailure) return err.problem
  const status = statusOf(err)
  const detail = err instanceof Error ? err.message : String(err)
  if (status === 401) return { reason: 'bad_token', message: `GitHub answered 401 (${detail}) for ${what}: check ${TOKEN_HINT}` }
  if (status === 404) return { reason: 'not_found', message: `${what}: not found on GitHub (or the token cannot see it; a fine-grained token must include the repository)` }
  if (status === 403) return { reason: status === 403 && /rate limit/i.test(detail) ? 'rate_limited' : 'forbidden', message: `GitHub refused ${what} (403: ${detail})` }
  return { reason: 'http_error', message: `${what}: ${status ? `GitHub answered ${status}: ` : ''}${detail}` }
}

export async function importGithub(req: GithubImportRequest, deps: ImportDeps): Promise<RunSummary> {
  const run = new ImportRun('github', { log: deps.log, state: deps.state, ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) }, req)
  const token = deps.config.github.token
  try {
    if (!token) throw new ImportFailure({ reason: 'bad_token', message: `no GitHub token configured: set ${TOKEN_HINT}` })
    const gh = githubClient({ token, apiUrl: deps.config.github.apiUrl, run, ...(deps.maxLimitRetries !== undefined ? { maxLimitRetries: deps.maxLimitRetries } : {}) })
    await gh.request('GET /user').catch((err: unknown) => {
      throw new ImportFailure(problemOf(err, 'GET /user (the token check)'))
    })
    const repos = [...req.repos]
    if (req.org) {
      const listed = await gh.paginate('GET /orgs/{org}/repos', { org: req.org, per_page: 100 }).catch((err: unknown) => {
        throw new ImportFailure(problemOf(err, `organisation ${req.org}`))
      })
      for (const r of listed as { full_name: string; archived?: boolean }[]) if (!repos.includes(r.full_name)) repos.push(r.full_name)
    }
    for (const name of repos) run.scope(name)
    for (const name of repos) {
      const scope = run.scope(name)
      scope.status = 'running'
      scope.startedAt = Date.now()
      run.changed()
      try {
        await importRepo(gh, name, req, deps, run, scope, tokenFingerprint(token))
        scope.status = 'done'
        scope.resource = null
      } catch (err) {
        const problem = problemOf(err, `repository ${name}`)
        scope.status = 'failed'
        scope.problem = problem
        if (problem.reason === 'bad_token' || problem.reason === 'log_unavailable') throw new ImportFailure(problem)
      }
      run.changed()
    }
  } catch (err) {
    run.problem = problemOf(err, 'the import')
  }
  return run.finish()
}

const inWindow = (t: unknown, since?: string, until?: string): boolean => {
  if (typeof t !== 'string') return false
  const ms = Date.parse(t)
  return (!since || ms >= Date.parse(since)) && (!until || ms < Date.parse(until))
}

async function importRepo(gh: GithubApi, fullName: string, req: GithubImportRequest, deps: ImportDeps, run: ImportRun, scope: ScopeProgress, tokenFp: string): Promise<void> {
  const [owner, repo] = fullName.split('/') as [string, string]
  const { data } = await gh.request('GET /repos/{owner}/{repo}', { owner, repo })
  const repository: RepoRef = { full_name: data.full_name, default_branch: data.default_branch }
  const window = `${req.since ?? ''}|${req.until ?? ''}`
  const common = { gh, run, state: deps.state, tokenFp, scope: fullName.toLowerCase(), window }
  const append = (records: GithubApiRecord[]) => run.append(scope, records.map((r) => githubApiEnvelope(r)), records.length)
  const estimate = (resource: string, n: number | null) => {
    scope.resource = resource
    if (n !== null) scope.estimatedTotal = (scope.estimatedTotal ?? 0) + n
  }
  let estimated = new Set<string>()
  const page = (resource: string, total: number | null) => {
    if (!estimated.has(resource)) estimate(resource, total)
    estimated.add(resource)
    scope.resource = resource
  }

  // Deployments, newest first; each with all its statuses (deployedAt = the first success's created_at).
  await readList({
    ...common,
    resource: 'deployments',
    route: 'GET /repos/{owner}/{repo}/deployments',
    params: { owner, repo },
    onPage: async (items, ctx) => {
      page('deployments', ctx.estimatedTotal)
      const seen: [string, string][] = []
      const wanted: Record<string, unknown>[] = []
      let older = false
      for (const d of items) {
        if (req.since && Date.parse(String(d['created_at'])) < Date.parse(req.since)) {
          older = true
          break
        }
        if (req.until && Date.parse(String(d['created_at'])) >= Date.parse(req.until)) continue
        // GitHub moves a deployment's updated_at with each new status: unchanged, its statuses are in the log.
        const version = String(d['updated_at'])
        if (deps.state.version(common.scope, 'deployment', String(d['id'])) === version) continue
        seen.push([String(d['id']), version])
        wanted.push(d)
      }
      const limit = pLimit(PAGE_CONCURRENCY)
      const records: GithubApiRecord[] = await Promise.all(
        wanted.map((d) =>
          limit(async () => {
            const statuses = await gh.paginate('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { owner, repo, deployment_id: Number(d['id']), per_page: 100 })
            return { resource: 'deployment' as const, repository, deployment: d, statuses: statuses as unknown as Record<string, unknown>[] }
          }),
        ),
      )
      const fresh = await append(records)
      deps.state.saveVersions(common.scope, 'deployment', seen)
      return { stop: older || (ctx.rereading && fresh === 0) }
    },
  })

  // The default branch's history in the window (§10: commits before --since are not imported).
  await readList({
    ...common,
    resource: 'commits',
    route: 'GET /repos/{owner}/{repo}/commits',
    params: { owner, repo, sha: repository.default_branch, since: req.since, until: req.until },
    onPage: async (items, ctx) => {
      page('commits', ctx.estimatedTotal)
      const fresh = await append(items.map((commit) => ({ resource: 'commit', repository, commit })))
      return { stop: ctx.rereading && fresh === 0 }
    },
  })

  // Merged pull requests, most recently updated first: older than --since ends the list.
  await readList({
    ...common,
    resource: 'pulls',
    route: 'GET /repos/{owner}/{repo}/pulls',
    params: { owner, repo, state: 'closed', sort: 'updated', direction: 'desc' },
    onPage: async (items, ctx) => {
      page('pulls', ctx.estimatedTotal)
      const older = req.since !== undefined && items.some((p) => Date.parse(String(p['updated_at'])) < Date.parse(req.since!))
      const merged = items.filter((p) => p['merged_at'] && inWindow(p['merged_at'], req.since, req.until))
      const fresh = await append(merged.map((pull) => ({ resource: 'pull', repository, pull })))
      return { stop: older || (ctx.rereading && fresh === 0) }
    },
  })

  // Issues carrying an incident label, with their events; a re-run asks only for those updated since.
  const labels = new Set(deps.config.github.incidentLabels.map((l) => l.toLowerCase()))
  const cp = deps.state.checkpoint(common.scope, 'issues', window)
  const issuesSince = cp?.done && cp.highWater && (!req.since || cp.highWater > req.since) ? cp.highWater : req.since
  await readList({
    ...common,
    resource: 'issues',
    route: 'GET /repos/{owner}/{repo}/issues',
    params: { owner, repo, state: 'all', since: issuesSince },
    onPage: async (items, ctx) => {
      page('issues', ctx.estimatedTotal)
      let highWater: string | null = null
      const incidents: Record<string, unknown>[] = []
      for (const issue of items) {
        const updated = String(issue['updated_at'])
        if (!highWater || updated > highWater) highWater = updated
        if ('pull_request' in issue) continue // the issues list includes pull requests
        const names = ((issue['labels'] ?? []) as (string | { name?: string })[]).map((l) => (typeof l === 'string' ? l : (l.name ?? '')).toLowerCase())
        if (!names.some((n) => labels.has(n))) continue
        if (req.until && Date.parse(String(issue['created_at'])) >= Date.parse(req.until)) continue
        incidents.push(issue)
      }
      const limit = pLimit(PAGE_CONCURRENCY)
      const records: GithubApiRecord[] = await Promise.all(
        incidents.map((issue) =>
          limit(async () => {
            const events = await gh.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/events', { owner, repo, issue_number: Number(issue['number']), per_page: 100 })
            return { resource: 'issue' as const, repository, issue, events: events as unknown as Record<string, unknown>[] }
          }),
        ),
      )
      await append(records)
      return { stop: false, highWater }
    },
  })
  estimated = new Set()
}
