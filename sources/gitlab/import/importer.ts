/**
 * `doraflow import gitlab`: per project (named, or every project of a group
 * and its subgroups), the history `project.ts` reads, appended as `gitlab-api`
 * envelopes (METRICS.md §10, §11). A project that fails (404, 403) is reported
 * and the others go on; a bad token stops the run at once, naming the key.
 */
import type { Config } from '../../../config/schema.ts'
import type { EventLog } from '../../../log/types.ts'
import { ImportFailure, ImportRun, type ImportProblem, type RunSummary } from '../../shared/import/run.ts'
import type { ImportState } from '../../shared/import/state.ts'
import { GITLAB_TOKEN_HINT, gitlabClient, type GitlabClient } from './client.ts'
import { importProject } from './project.ts'

export interface GitlabImportRequest {
  projects: string[]
  group?: string
  since?: string
  until?: string
}

export interface GitlabImportDeps {
  config: Config
  log: EventLog
  state: ImportState
  onProgress?: (run: ImportRun) => void
  /** Tests: a short backoff between 5xx retries. */
  backoffMs?: number
}

const problemOf = (err: unknown, what: string): ImportProblem =>
  err instanceof ImportFailure ? { ...err.problem, message: err.problem.reason === 'bad_token' ? err.problem.message : `${what}: ${err.problem.message}` } : { reason: 'http_error', message: `${what}: ${err instanceof Error ? err.message : String(err)}` }

/** Every project of the group and its subgroups (archived ones too: their history still counts). */
async function groupProjects(gl: GitlabClient, group: string): Promise<string[]> {
  const out: string[] = []
  for (let page: number | null = 1; page !== null; ) {
    const got = await gl.page(`/groups/${encodeURIComponent(group)}/projects`, { include_subgroups: 'true', order_by: 'id', sort: 'asc' }, page)
    for (const p of got.items) out.push(String(p['path_with_namespace']))
    page = got.next
  }
  return out
}

export async function importGitlab(req: GitlabImportRequest, deps: GitlabImportDeps): Promise<RunSummary> {
  const run = new ImportRun('gitlab', { log: deps.log, state: deps.state, ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) }, req)
  try {
    const token = deps.config.gitlab.token
    if (!token) throw new ImportFailure({ reason: 'bad_token', message: `no GitLab token configured: set ${GITLAB_TOKEN_HINT}` })
    const gl = gitlabClient({ token, apiUrl: deps.config.gitlab.apiUrl, run, ...(deps.backoffMs !== undefined ? { backoffMs: deps.backoffMs } : {}) })
    const projects = [...req.projects]
    if (req.group) {
      const listed = await groupProjects(gl, req.group).catch((err: unknown) => {
        throw new ImportFailure(problemOf(err, `group ${req.group}`))
      })
      for (const p of listed) if (!projects.includes(p)) projects.push(p)
    }
    await run.eachScope(projects, (name, scope) => importProject(name, { gl, run, state: deps.state, config: deps.config, scope, since: req.since, until: req.until }), (err, name) => problemOf(err, `project ${name}`))
  } catch (err) {
    run.problem = problemOf(err, 'the import')
  }
  return run.finish()
}
