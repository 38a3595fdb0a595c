/**
 * One GitLab project's history: its deployments, the default branch's commits,
 * merged merge requests and incident issues, each list read page by page with
 * a checkpoint after the page's records are in the log (a killed run resumes
 * at the next page; a finished list is read again, its records collapse).
 */
import type { Config } from '../../../config/schema.ts'
import type { ImportRun, ScopeProgress } from '../../shared/import/run.ts'
import type { ImportState } from '../../shared/import/state.ts'
import { projectPath, type GitlabClient } from './client.ts'
import { gitlabApiEnvelope, type GitlabApiResource, type ProjectRef } from './records.ts'

export interface ProjectRead {
  gl: GitlabClient
  run: ImportRun
  state: ImportState
  config: Config
  scope: ScopeProgress
  since?: string | undefined
  until?: string | undefined
}

/** Incident issues only (§11): type incident, or an incident label; other issues never reach the log. */
function isIncident(issue: Record<string, unknown>, labels: string[]): boolean {
  const type = String(issue['issue_type'] ?? issue['type'] ?? '').toLowerCase()
  const own = Array.isArray(issue['labels']) ? issue['labels'].map((l) => String(typeof l === 'string' ? l : (l as { name?: unknown }).name).toLowerCase()) : []
  return type === 'incident' || own.some((l) => labels.includes(l))
}

export async function importProject(name: string, r: ProjectRead): Promise<void> {
  const p = await r.gl.one(projectPath(name))
  const project: ProjectRef = { path_with_namespace: String(p['path_with_namespace'] ?? name), default_branch: typeof p['default_branch'] === 'string' ? p['default_branch'] : null }
  const base = `/projects/${String(p['id'])}`
  const updated = { updated_after: r.since, updated_before: r.until }
  const labels = r.config.gitlab.incidentLabels.map((l) => l.toLowerCase())
  await readPages(r, project, 'deployment', `${base}/deployments`, { ...updated, order_by: 'updated_at', sort: 'asc' })
  // An empty repository has no default branch: no commits to read.
  if (project.default_branch) await readPages(r, project, 'commit', `${base}/repository/commits`, { ref_name: project.default_branch, since: r.since, until: r.until })
  await readPages(r, project, 'merge_request', `${base}/merge_requests`, { state: 'merged', ...updated, scope: 'all' })
  await readPages(r, project, 'issue', `${base}/issues`, { ...updated, scope: 'all' }, (i) => isIncident(i, labels))
}

async function readPages(r: ProjectRead, project: ProjectRef, resource: GitlabApiResource, path: string, params: Record<string, string | undefined>, keep: (item: Record<string, unknown>) => boolean = () => true): Promise<void> {
  const scopeKey = `gitlab:${project.path_with_namespace.toLowerCase()}`
  const window = `${r.since ?? ''}|${r.until ?? ''}`
  const cp = r.state.checkpoint(scopeKey, resource, window)
  let page = cp && !cp.done && cp.next ? Number(cp.next) : 1
  r.scope.resource = resource
  r.scope.estimatedTotal = null
  r.run.changed()
  for (;;) {
    const got = await r.gl.page(path, params, page)
    if (got.total !== null) r.scope.estimatedTotal = got.total
    const records = got.items.filter(keep).map((record) => ({ resource, project, record }))
    await r.run.append(r.scope, records.map((rec) => gitlabApiEnvelope(rec)), got.items.length)
    // Saved once the page's records are durable: a kill now resumes at the next page.
    r.state.saveCheckpoint(scopeKey, resource, window, { next: got.next === null ? null : String(got.next), done: got.next === null, highWater: null })
    if (got.next === null) return
    page = got.next
  }
}
