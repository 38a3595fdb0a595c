/**
 * One repository's import: its deployments with their statuses, the default
 * branch's commits, merged pull requests and incident issues with their events,
 * each a checkpointed list (pages.ts) whose records become `github-api`
 * envelopes (records.ts).
 */
import pLimit from 'p-limit'
import type { ImportRun, ScopeProgress } from '../../shared/import/run.ts'
import { IN_FLIGHT, type GithubApi } from './client.ts'
import type { GithubImportRequest, ImportDeps } from './importer.ts'
import { commitRecordsFor } from './files.ts'
import { readList } from './pages.ts'
import { githubApiEnvelope, type GithubApiRecord, type RepoRef } from './records.ts'

/**
 * Sub-requests of one page (statuses of its deployments, events of its issues) in flight at
 * once: the throttling plugin's own ceiling (it queues everything, at most 10 at once, waits on limits for
 * all); one at a time would leave an import of a large organisation waiting on round trips.
 */
const PAGE_CONCURRENCY = IN_FLIGHT

function eachLimited<T, R>(items: T[], f: (x: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(PAGE_CONCURRENCY)
  return Promise.all(items.map((x) => limit(() => f(x))))
}

const inWindow = (t: unknown, since?: string, until?: string): boolean => {
  if (typeof t !== 'string') return false
  const ms = Date.parse(t)
  return (!since || ms >= Date.parse(since)) && (!until || ms < Date.parse(until))
}

export async function importRepo(gh: GithubApi, fullName: string, req: GithubImportRequest, deps: ImportDeps, run: ImportRun, scope: ScopeProgress, tokenFp: string): Promise<void> {
  const [owner, repo] = fullName.split('/') as [string, string]
  const { data } = await gh.request('GET /repos/{owner}/{repo}', { owner, repo })
  const repository: RepoRef = { full_name: data.full_name, default_branch: data.default_branch }
  const window = `${req.since ?? ''}|${req.until ?? ''}`
  const common = { gh, run, state: deps.state, tokenFp, scope: fullName.toLowerCase(), window }
  const append = (records: GithubApiRecord[]) => run.append(scope, records.map((r) => githubApiEnvelope(r)), records.length)
  // The bar's total: each list's page count × 100 (from its first page's `Link: rel="last"`), added once.
  const estimated = new Set<string>()
  const page = (resource: string, total: number | null) => {
    scope.resource = resource
    if (estimated.has(resource)) return
    estimated.add(resource)
    if (total !== null) scope.estimatedTotal = (scope.estimatedTotal ?? 0) + total
  }

  // The four lists are independent (each has its own checkpoint): read side by side, so one
  // list's page-after-page round trips overlap the others' (the throttling queue caps the total).
  const lists: Promise<unknown>[] = []
  // Deployments, newest first; each with all its statuses (deployedAt = the first success's created_at).
  lists.push(readList({
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
      const records: GithubApiRecord[] = await eachLimited(wanted, async (d) => {
        const statuses = await gh.paginate('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { owner, repo, deployment_id: Number(d['id']), per_page: 100 })
        return { resource: 'deployment' as const, repository, deployment: d, statuses: statuses as unknown as Record<string, unknown>[] }
      })
      const fresh = await append(records)
      deps.state.saveVersions(common.scope, 'deployment', seen)
      return { stop: older || (ctx.rereading && fresh === 0) }
    },
  }))

  // The default branch's history in the window (§10: commits before --since are not imported);
  // with each commit's files where §16 paths split the repository (files.ts).
  const commitRecords = commitRecordsFor(gh, fullName, repository, deps.config, deps.state, common.scope)
  lists.push(readList({
    ...common,
    resource: commitRecords.resource,
    route: 'GET /repos/{owner}/{repo}/commits',
    params: { owner, repo, sha: repository.default_branch, since: req.since, until: req.until },
    onPage: async (items, ctx) => {
      page('commits', ctx.estimatedTotal)
      const { records, logged } = await commitRecords.page(items)
      const fresh = await append(records)
      logged()
      return { stop: ctx.rereading && fresh === 0 }
    },
  }))

  // Merged pull requests, most recently updated first: older than --since ends the list.
  lists.push(readList({
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
  }))

  // Issues carrying an incident label, with their events; a re-run asks only for those updated since.
  const labels = new Set(deps.config.github.incidentLabels.map((l) => l.toLowerCase()))
  const cp = deps.state.checkpoint(common.scope, 'issues', window)
  const issuesSince = cp?.done && cp.highWater && (!req.since || cp.highWater > req.since) ? cp.highWater : req.since
  lists.push(readList({
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
      const records: GithubApiRecord[] = await eachLimited(incidents, async (issue) => {
        const events = await gh.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/events', { owner, repo, issue_number: Number(issue['number']), per_page: 100 })
        return { resource: 'issue' as const, repository, issue, events: events as unknown as Record<string, unknown>[] }
      })
      await append(records)
      return { stop: false, highWater }
    },
  }))
  const settled = await Promise.allSettled(lists)
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
}
