/**
 * `doraflow import github`: per repository, its deployments with their
 * statuses, the default branch's commits, merged pull requests and incident
 * issues with their events, appended to the event log as `github-api`
 * envelopes (METRICS.md §10; endpoints: INTERFACE.md "What doraflow import
 * reads"). A repository that fails (404, forbidden) is reported and the
 * others go on; a bad token stops the run at once, naming the config key.
 */
import type { Config } from '../../../config/schema.ts'
import type { EventLog } from '../../../log/types.ts'
import { ImportFailure, ImportRun, type Budget, type ImportProblem, type RunSummary } from '../../shared/import/run.ts'
import { tokenFingerprint, type ImportState } from '../../shared/import/state.ts'
import { githubClient, statusOf, type GithubApi } from './client.ts'
import { importRepo } from './repo.ts'

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

/** The budget (GET /rate_limit, which costs none of it); a GHES with rate limiting off answers 404: limit 0. */
async function budgetOf(gh: GithubApi): Promise<Budget | null> {
  try {
    const { data } = await gh.request('GET /rate_limit')
    const core = data.resources.core
    return { limit: core.limit, remaining: core.remaining, resetAt: core.reset ? new Date(core.reset * 1000).toISOString() : null }
  } catch (err) {
    return statusOf(err) === 404 ? { limit: 0, remaining: 0, resetAt: null } : null
  }
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
    run.budget = await budgetOf(gh)
    const repos = [...req.repos]
    if (req.org) {
      const listed = await gh.paginate('GET /orgs/{org}/repos', { org: req.org, per_page: 100 }).catch((err: unknown) => {
        throw new ImportFailure(problemOf(err, `organisation ${req.org}`))
      })
      for (const r of listed as { full_name: string; archived?: boolean }[]) if (!repos.includes(r.full_name)) repos.push(r.full_name)
    }
    await run.eachScope(repos, (name, scope) => importRepo(gh, name, req, deps, run, scope, tokenFingerprint(token)), (err, name) => problemOf(err, `repository ${name}`))
  } catch (err) {
    run.problem = problemOf(err, 'the import')
  }
  return run.finish()
}

