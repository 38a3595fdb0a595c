/**
 * The embedded event log: one SQLite file (WAL, synchronous=FULL) per data
 * directory. Suits a single machine; an `ingest` process and a `process`
 * process may open the same directory at once (WAL: one writer at a time,
 * readers never blocked, each read statement sees the latest commit).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Envelope, LoggedEnvelope } from '../contracts/envelope.ts'
import { GroupCommitter } from './group-commit.ts'
import { LogError, type AppendResult, type EventLog } from './types.ts'

/** Test-only fault injection: hooks run inside the append path. */
export interface EmbeddedLogFaults {
  /** Runs before a batch's transaction begins (e.g. set `query_only` to simulate a read-only disk). */
  beforeBatch?(db: Database.Database): void
  /** Runs inside the batch transaction after the inserts, before COMMIT (throw to simulate SQLITE_FULL/IOERR). */
  beforeCommit?(db: Database.Database): void
}

export interface EmbeddedLogOptions {
  /** How long a write waits for the other process's write lock (ms). */
  busyTimeoutMs?: number
  /** Upper bound of envelopes per group-commit transaction. */
  maxBatch?: number
  faults?: EmbeddedLogFaults
}

export interface EmbeddedLogStats {
  /** Append transactions committed (each is one fsync). */
  transactions: number
  /** Append transactions rolled back. */
  failedTransactions: number
  appended: number
  duplicates: number
}

/** Called after a commit that stored new envelopes, with the new head offset. */
export type AppendListener = (headOffset: number) => void

export interface EmbeddedLog extends EventLog {
  /** Appends many envelopes; they share group-commit transactions with other callers. */
  appendMany(envelopes: readonly Envelope[]): Promise<AppendResult[]>
  /** Number of stored envelopes. */
  count(): Promise<number>
  /** In-process wake-up for consumers; returns the unsubscribe function. */
  onAppend(listener: AppendListener): () => void
  readonly stats: Readonly<EmbeddedLogStats>
  readonly path: string
}

// SQLite result codes that say the data or our use of it is wrong: retrying won't help.
const PERMANENT = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_MISUSE', 'SQLITE_CONSTRAINT', 'SQLITE_TOOBIG', 'SQLITE_MISMATCH', 'SQLITE_FORMAT', 'SQLITE_RANGE'])

/** The one place SQLite failures become LogError. */
function toLogError(error: unknown, what: string): LogError {
  if (error instanceof LogError) return error
  if (error instanceof Database.SqliteError) {
    const primary = error.code.replace(/^(SQLITE_[A-Z]+?)(_.*)?$/, '$1') // SQLITE_IOERR_WRITE -> SQLITE_IOERR
    return new LogError(`${what} failed: ${error.code}: ${error.message}`, !PERMANENT.has(primary), { cause: error })
  }
  return new LogError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, false, { cause: error })
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  "offset" INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  subject TEXT,
  type TEXT,
  envelope TEXT NOT NULL,
  data TEXT
);
CREATE TABLE IF NOT EXISTS consumer_offsets (
  grp TEXT PRIMARY KEY,
  "offset" INTEGER NOT NULL
);`

export function openEmbeddedLog(dir: string, opts: EmbeddedLogOptions = {}): EmbeddedLog {
  const path = join(dir, 'events.db')
  let db: Database.Database
  try {
    mkdirSync(dir, { recursive: true })
    db = new Database(path)
    // busy_timeout first: the other process may hold the lock while we set up.
    db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`)
    db.pragma('journal_mode = WAL')
    // FULL: in WAL mode the WAL is fsync'd at every commit, so a resolved append survives power loss.
    db.pragma('synchronous = FULL')
    db.exec(SCHEMA)
    // Logs written before the body got its own column keep it inside `envelope`; read() handles both.
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(events)').all()
    if (!columns.some((c) => c.name === 'data')) db.exec('ALTER TABLE events ADD COLUMN data TEXT')
  } catch (error) {
    throw toLogError(error, `open ${path}`)
  }
  return new SqliteEventLog(db, path, opts)
}

class SqliteEventLog implements EmbeddedLog {
  readonly stats: EmbeddedLogStats = { transactions: 0, failedTransactions: 0, appended: 0, duplicates: 0 }
  readonly #db: Database.Database
  readonly #faults: EmbeddedLogFaults | undefined
  readonly #listeners = new Set<AppendListener>()
  readonly #committer: GroupCommitter<Envelope, AppendResult>
  readonly #stmt
  readonly #appendBatch: (envelopes: Envelope[]) => AppendResult[]
  #closed = false

  constructor(db: Database.Database, readonly path: string, opts: EmbeddedLogOptions) {
    this.#db = db
    this.#faults = opts.faults
    this.#stmt = {
      insert: db.prepare<[string, string, string, string, string], void>(
        'INSERT INTO events (id, subject, type, envelope, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
      ),
      offsetOf: db.prepare<[string], { offset: number }>('SELECT "offset" AS offset FROM events WHERE id = ?'),
      read: db.prepare<[number, number], { offset: number; envelope: string; data: string | null }>(
        'SELECT "offset" AS offset, envelope, data FROM events WHERE "offset" > ? ORDER BY "offset" LIMIT ?',
      ),
      head: db.prepare<[], { head: number | null }>('SELECT MAX("offset") AS head FROM events'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events'),
      committed: db.prepare<[string], { offset: number }>('SELECT "offset" AS offset FROM consumer_offsets WHERE grp = ?'),
      commit: db.prepare<[string, number], void>(
        'INSERT INTO consumer_offsets (grp, "offset") VALUES (?, ?) ON CONFLICT(grp) DO UPDATE SET "offset" = excluded."offset"',
      ),
    }
    // IMMEDIATE: take the write lock up front (waiting up to busy_timeout for
    // the other process) instead of failing with SQLITE_BUSY at the first insert.
    const tx = db.transaction((envelopes: Envelope[]) => {
      const results = envelopes.map((e) => this.#insert(e))
      this.#faults?.beforeCommit?.(db)
      return results
    })
    this.#appendBatch = (envelopes) => tx.immediate(envelopes)
    this.#committer = new GroupCommitter((batch) => this.#writeBatch(batch), opts.maxBatch ?? 1000)
  }

  #insert(e: Envelope): AppendResult {
    // The raw body is stored as it came, in a column of its own: nesting it as an escaped JSON
    // string inside the envelope's JSON cost an escape on every append and an unescape on every read.
    const { data, ...attributes } = e
    const info = this.#stmt.insert.run(e.id, e.subject, e.type, JSON.stringify(attributes), data)
    if (info.changes === 1) return { id: e.id, duplicate: false, offset: Number(info.lastInsertRowid) }
    // Redelivery (possibly earlier in this very batch): report the original's offset.
    const original = this.#stmt.offsetOf.get(e.id)
    if (!original) throw new LogError(`append ${e.id}: conflict but no row`, false)
    return { id: e.id, duplicate: true, offset: original.offset }
  }

  #writeBatch(batch: Envelope[]): AppendResult[] {
    let results: AppendResult[]
    try {
      this.#faults?.beforeBatch?.(this.#db)
      results = this.#appendBatch(batch) // returns after COMMIT, i.e. after the WAL fsync
    } catch (error) {
      this.stats.failedTransactions++
      throw toLogError(error, `append of ${batch.length} envelope(s)`)
    }
    this.stats.transactions++
    let head = 0
    for (const r of results) {
      if (r.duplicate) this.stats.duplicates++
      else {
        this.stats.appended++
        head = Math.max(head, r.offset)
      }
    }
    if (head > 0) this.#notify(head)
    return results
  }

  #notify(head: number): void {
    for (const listener of this.#listeners) {
      try {
        listener(head)
      } catch {
        // A consumer's wake-up bug must not turn a durable append into a failure.
      }
    }
  }

  #ensureOpen(): void {
    if (this.#closed) throw new LogError('event log is closed', false)
  }

  /** Runs a synchronous query, mapping failures once. */
  #run<T>(what: string, fn: () => T): Promise<T> {
    try {
      this.#ensureOpen()
      return Promise.resolve(fn())
    } catch (error) {
      return Promise.reject(toLogError(error, what))
    }
  }

  append(envelope: Envelope): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new LogError('event log is closed', false))
    return this.#committer.submit(envelope)
  }

  appendMany(envelopes: readonly Envelope[]): Promise<AppendResult[]> {
    return Promise.all(envelopes.map((e) => this.append(e)))
  }

  read(afterOffset: number, limit: number): Promise<LoggedEnvelope[]> {
    return this.#run('read', () =>
      this.#stmt.read
        .all(afterOffset, limit)
        .map((row) => {
          const envelope = JSON.parse(row.envelope) as Envelope
          if (row.data !== null) envelope.data = row.data
          return { offset: row.offset, envelope }
        }),
    )
  }

  committedOffset(group: string): Promise<number> {
    return this.#run('committedOffset', () => this.#stmt.committed.get(group)?.offset ?? 0)
  }

  commit(group: string, offset: number): Promise<void> {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      return Promise.reject(new LogError(`commit ${group}: invalid offset ${offset}`, false))
    }
    // Plain set, not max(): rewinding a group on purpose (replay) must stay possible.
    return this.#run('commit', () => void this.#stmt.commit.run(group, offset))
  }

  headOffset(): Promise<number> {
    return this.#run('headOffset', () => this.#stmt.head.get()?.head ?? 0)
  }

  count(): Promise<number> {
    return this.#run('count', () => this.#stmt.count.get()?.n ?? 0)
  }

  /**
   * Tries a real write (take the write lock, write a row, roll back): catches a
   * read-only file system, query_only, a stuck lock or a closed log.
   */
  async healthy(): Promise<boolean> {
    if (this.#closed) return false
    try {
      this.#db.exec('BEGIN IMMEDIATE')
      try {
        this.#stmt.commit.run('__doraflow_healthcheck', 0)
      } finally {
        this.#db.exec('ROLLBACK')
      }
      return true
    } catch {
      return false
    }
  }

  onAppend(listener: AppendListener): () => void {
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    // Write what callers already handed us: their promises still settle.
    this.#committer.flushAll()
    this.#closed = true
    this.#listeners.clear()
    this.#db.close()
  }
}
