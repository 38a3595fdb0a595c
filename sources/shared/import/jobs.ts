/**
 * Runs imports: one at a time per process, since they share the checkpoints
 * and the API budget. The CLI runs one in the foreground; a running serve
 * runs the ones POST /api/v1/imports starts, and GET shows them.
 */
import type { Config } from '../../../config/schema.ts'
import type { EventLog } from '../../../log/types.ts'
import { importGithub } from '../../github/import/importer.ts'
import { importPagerduty } from '../../pagerduty/import/importer.ts'
import { importGitlab } from '../../gitlab/import/importer.ts'
import type { ImportRequest } from './request.ts'
import type { ImportRun, RunSummary } from './run.ts'
import { ImportState } from './state.ts'

export function runImport(req: ImportRequest, deps: { config: Config; log: EventLog; state: ImportState; onProgress?: (run: ImportRun) => void }): Promise<RunSummary> {
  switch (req.source) {
    case 'github':
      return importGithub({ repos: req.repos, ...(req.org ? { org: req.org } : {}), ...(req.since ? { since: req.since } : {}), ...(req.until ? { until: req.until } : {}) }, deps)
    case 'pagerduty':
      return importPagerduty({ services: req.services, ...(req.since ? { since: req.since } : {}), ...(req.until ? { until: req.until } : {}) }, deps)
    case 'gitlab':
      return importGitlab({ projects: req.projects, ...(req.group ? { group: req.group } : {}), ...(req.since ? { since: req.since } : {}), ...(req.until ? { until: req.until } : {}) }, deps)
    default: {
      const never: never = req
      throw new Error(`unknown import source ${JSON.stringify(never)}`)
    }
  }
}

export class ImportJobs {
  private active: { run: ImportRun | null; request: ImportRequest; done: Promise<RunSummary> } | null = null
  readonly state: ImportState

  constructor(private readonly deps: { config: Config; log: EventLog }) {
    this.state = new ImportState(deps.config.imports.path)
  }

  /** Starts an import in the background; null when one is running. */
  start(request: ImportRequest): { id: string } | null {
    if (this.active || this.closed) return null
    const job: NonNullable<ImportJobs['active']> = { run: null, request, done: Promise.resolve(null as never) }
    job.done = runImport(request, { ...this.deps, state: this.state, onProgress: (run) => void (job.run ??= run) }).finally(() => {
      if (this.active === job) this.active = null
    })
    this.active = job
    // The importer creates its run (and its row) before its first await, so it is the latest row now.
    return { id: this.state.runs(1)[0]?.id ?? '' }
  }

  view(): { running: boolean; runs: ReturnType<ImportState['runs']> } {
    const runs = this.state.runs()
    // The running one: its live progress rather than the last saved.
    const live = this.active?.run
    return { running: this.active !== null, runs: runs.map((r) => (live && r.id === live.id ? { ...r, progress: live.progress() } : r)) }
  }

  private closed = false

  /**
   * Serve is stopping: an import in progress is left where its checkpoints are
   * (the next run resumes there; its row shows `interrupted` from then on).
   */
  async close(): Promise<void> {
    this.closed = true
    const job = this.active
    if (!job) return this.state.close()
    void job.done.catch(() => {}).finally(() => this.state.close())
  }
}
