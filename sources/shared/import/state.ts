/**
 * What an import remembers between runs (SQLite, `imports.path`): a checkpoint
 * per source scope (repository, PagerDuty service) and resource, the ETag of a
 * list's first page (keyed by a fingerprint of the token: GitHub ties ETags to
 * the token that read them), and the runs with their progress. Records
 * themselves live in the event log only; losing this file costs a full re-read,
 * never a fact.
 */
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

export interface Checkpoint {
  /** The page to read next when the last run stopped half-way; null once the resource was read to its end. */
  next: string | null
  done: boolean
  /** The newest record time seen (ISO): where the next run's `since` can start. */
  highWater: string | null
}

export interface RunRow {
  id: string
  source: string
  request: unknown
  status: 'running' | 'succeeded' | 'failed' | 'interrupted'
  startedAt: string
  finishedAt: string | null
  progress: unknown
  summary: unknown
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS checkpoints (scope TEXT NOT NULL, resource TEXT NOT NULL, window TEXT NOT NULL, next TEXT, done INTEGER NOT NULL, high_water TEXT, updated_at TEXT NOT NULL, PRIMARY KEY (scope, resource, window));
CREATE TABLE IF NOT EXISTS etags (token TEXT NOT NULL, url TEXT NOT NULL, etag TEXT NOT NULL, PRIMARY KEY (token, url));
CREATE TABLE IF NOT EXISTS versions (scope TEXT NOT NULL, resource TEXT NOT NULL, id TEXT NOT NULL, version TEXT NOT NULL, PRIMARY KEY (scope, resource, id));
CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, source TEXT NOT NULL, request TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, progress TEXT NOT NULL, summary TEXT);
`

export const tokenFingerprint = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 16)

export class ImportState {
  private readonly db: Database.Database

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true })
    this.db = new Database(join(dir, 'imports.db'))
    this.db.pragma('busy_timeout = 5000')
    this.db.pragma('journal_mode = WAL')
    // NORMAL: a checkpoint lost to a power cut costs re-reading a page (its records collapse in the
    // log), never a fact; FULL would fsync after every page.
    this.db.pragma('synchronous = NORMAL')
    this.db.exec(SCHEMA)
  }

  checkpoint(scope: string, resource: string, window: string): Checkpoint | null {
    const row = this.db.prepare<[string, string, string], { next: string | null; done: number; high_water: string | null }>('SELECT next, done, high_water FROM checkpoints WHERE scope = ? AND resource = ? AND window = ?').get(scope, resource, window)
    return row ? { next: row.next, done: row.done === 1, highWater: row.high_water } : null
  }

  saveCheckpoint(scope: string, resource: string, window: string, c: Checkpoint): void {
    this.db
      .prepare('INSERT INTO checkpoints (scope, resource, window, next, done, high_water, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, resource, window) DO UPDATE SET next = excluded.next, done = excluded.done, high_water = excluded.high_water, updated_at = excluded.updated_at')
      .run(scope, resource, window, c.next, c.done ? 1 : 0, c.highWater, new Date().toISOString())
  }

  etag(token: string, url: string): string | null {
    return this.db.prepare<[string, string], { etag: string }>('SELECT etag FROM etags WHERE token = ? AND url = ?').get(token, url)?.etag ?? null
  }

  saveEtag(token: string, url: string, etag: string): void {
    this.db.prepare('INSERT INTO etags (token, url, etag) VALUES (?, ?, ?) ON CONFLICT (token, url) DO UPDATE SET etag = excluded.etag').run(token, url, etag)
  }

  /** The version (e.g. `updated_at`) of a record last appended: a re-run skips its sub-requests when it did not change. */
  version(scope: string, resource: string, id: string): string | null {
    return this.db.prepare<[string, string, string], { version: string }>('SELECT version FROM versions WHERE scope = ? AND resource = ? AND id = ?').get(scope, resource, id)?.version ?? null
  }

  saveVersions(scope: string, resource: string, versions: [id: string, version: string][]): void {
    const put = this.db.prepare('INSERT INTO versions (scope, resource, id, version) VALUES (?, ?, ?, ?) ON CONFLICT (scope, resource, id) DO UPDATE SET version = excluded.version')
    this.db.transaction(() => {
      for (const [id, v] of versions) put.run(scope, resource, id, v)
    })()
  }

  startRun(id: string, source: string, request: unknown): void {
    // A run still "running" from a process that died is not running any more.
    this.db.prepare(`UPDATE runs SET status = 'interrupted' WHERE status = 'running' AND source = ?`).run(source)
    this.db.prepare(`INSERT INTO runs (id, source, request, status, started_at, progress) VALUES (?, ?, ?, 'running', ?, '{}')`).run(id, source, JSON.stringify(request), new Date().toISOString())
  }

  updateRun(id: string, progress: unknown): void {
    this.db.prepare('UPDATE runs SET progress = ? WHERE id = ?').run(JSON.stringify(progress), id)
  }

  finishRun(id: string, status: RunRow['status'], summary: unknown): void {
    this.db.prepare('UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?').run(status, new Date().toISOString(), JSON.stringify(summary), id)
  }

  runs(limit = 20): RunRow[] {
    return this.db
      .prepare<[number], { id: string; source: string; request: string; status: RunRow['status']; started_at: string; finished_at: string | null; progress: string; summary: string | null }>('SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?')
      .all(limit)
      .map((r) => ({ id: r.id, source: r.source, request: JSON.parse(r.request), status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, progress: JSON.parse(r.progress), summary: r.summary ? JSON.parse(r.summary) : null }))
  }

  close(): void {
    this.db.close()
  }
}
