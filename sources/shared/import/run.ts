/**
 * One import run: counters, progress per scope (repository or PagerDuty
 * service), and the one way records reach the event log. Sources report into
 * it; the CLI draws bars from it and GET /api/v1/imports shows it.
 */
import { randomUUID } from 'node:crypto'
import type { Envelope } from '../../../contracts/envelope.ts'
import type { EventLog } from '../../../log/types.ts'
import type { ImportState } from './state.ts'

/** Why a scope (or the whole run) could not be imported: snake_case codes, a sentence for people. */
export interface ImportProblem {
  reason: 'bad_token' | 'not_found' | 'forbidden' | 'rate_limited' | 'http_error' | 'log_unavailable'
  message: string
}

export class ImportFailure extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.message)
    this.name = 'ImportFailure'
  }
}

export interface ScopeProgress {
  scope: string
  status: 'pending' | 'running' | 'done' | 'failed'
  resource: string | null
  /** Records read from the API, and how many of them were new to the log. */
  read: number
  newFacts: number
  /** From the `Link: rel="last"` page count (GitHub) or `more` (PagerDuty): an estimate. */
  estimatedTotal: number | null
  startedAt: number | null
  problem: ImportProblem | null
}

export interface RunCounters {
  recordsRead: number
  newFacts: number
  requests: number
  notModified: number
  retries: number
  waitedOnLimitsMs: number
}

/** The API budget when the run started (GitHub `GET /rate_limit`); `limit` 0: rate limiting is off (GHES). */
export interface Budget {
  limit: number
  remaining: number
  resetAt: string | null
}

export interface RunSummary extends RunCounters {
  id: string
  budget: Budget | null
  source: string
  status: 'succeeded' | 'failed'
  durationMs: number
  scopes: ScopeProgress[]
  problem: ImportProblem | null
}

export class ImportRun {
  readonly id = randomUUID()
  readonly startedAt = Date.now()
  readonly counters: RunCounters = { recordsRead: 0, newFacts: 0, requests: 0, notModified: 0, retries: 0, waitedOnLimitsMs: 0 }
  readonly scopes = new Map<string, ScopeProgress>()
  private lastSaved = 0
  problem: ImportProblem | null = null
  budget: Budget | null = null

  constructor(
    readonly source: string,
    private readonly deps: { log: EventLog; state: ImportState; onProgress?: (run: ImportRun) => void },
    request: unknown,
  ) {
    deps.state.startRun(this.id, source, request)
  }

  scope(name: string): ScopeProgress {
    let s = this.scopes.get(name)
    if (!s) {
      s = { scope: name, status: 'pending', resource: null, read: 0, newFacts: 0, estimatedTotal: null, startedAt: null, problem: null }
      this.scopes.set(name, s)
    }
    return s
  }

  /** Appends a page's envelopes together (they share the log's group commit); returns how many were new. */
  async append(scope: ScopeProgress, envelopes: Envelope[], records: number): Promise<number> {
    let results
    try {
      results = await Promise.all(envelopes.map((e) => this.deps.log.append(e)))
    } catch (err) {
      throw new ImportFailure({ reason: 'log_unavailable', message: `the event log refused the imported records: ${err instanceof Error ? err.message : String(err)}` })
    }
    const fresh = results.filter((r) => !r.duplicate).length
    scope.read += records
    scope.newFacts += fresh
    this.counters.recordsRead += records
    this.counters.newFacts += fresh
    this.changed()
    return fresh
  }

  /**
   * Imports each scope in turn: one that fails is marked with its problem and
   * the others go on, except when no other can succeed (a bad token, the log down).
   */
  async eachScope(names: string[], work: (name: string, scope: ScopeProgress) => Promise<void>, problemOf: (err: unknown, name: string) => ImportProblem): Promise<void> {
    for (const name of names) this.scope(name)
    for (const name of names) {
      const scope = this.scope(name)
      scope.status = 'running'
      scope.startedAt = Date.now()
      this.changed()
      try {
        await work(name, scope)
        scope.status = 'done'
        scope.resource = null
      } catch (err) {
        const problem = problemOf(err, name)
        scope.status = 'failed'
        scope.problem = problem
        if (problem.reason === 'bad_token' || problem.reason === 'log_unavailable') throw new ImportFailure(problem)
      }
      this.changed()
    }
  }

  changed(): void {
    this.deps.onProgress?.(this)
    // The run row is what GET /api/v1/imports shows from another process: at most once a second.
    if (Date.now() - this.lastSaved > 1000) {
      this.lastSaved = Date.now()
      this.deps.state.updateRun(this.id, this.progress())
    }
  }

  progress(): { counters: RunCounters; scopes: ScopeProgress[] } {
    return { counters: { ...this.counters }, scopes: [...this.scopes.values()].map((s) => ({ ...s })) }
  }

  finish(): RunSummary {
    const failed = this.problem !== null || [...this.scopes.values()].some((s) => s.status === 'failed')
    const summary: RunSummary = { id: this.id, source: this.source, status: failed ? 'failed' : 'succeeded', durationMs: Date.now() - this.startedAt, ...this.counters, budget: this.budget, scopes: this.progress().scopes, problem: this.problem }
    this.deps.state.updateRun(this.id, this.progress())
    this.deps.state.finishRun(this.id, summary.status, summary)
    this.deps.onProgress?.(this)
    return summary
  }
}
