import type { Logger } from 'pino'
import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import type { EventLog } from '../log/types.ts'
import { replay, type ReplayProgress, type ReplayResult } from './replay.ts'

export interface ReplayState {
  status: 'idle' | 'running' | 'succeeded' | 'failed'
  startedAt: string | null
  finishedAt: string | null
  progress: ReplayProgress | null
  result: ReplayResult | null
  error: string | null
}

export interface ReplayJobDeps {
  log: EventLog
  db: Db
  config: Config
  logger?: Logger
  /** Stops the live processor of this process (resolves once its batch is committed). */
  pause(): Promise<void>
  /** Starts it again; it continues from the offset the replay committed. */
  resume(): void
}

/**
 * A replay started from the API (POST /api/v1/replay) inside a running serve:
 * pause the live processor, rebuild every table from the log, resume. One at
 * a time. The state is for GET /api/v1/replay; the tables answer partial
 * figures while it runs.
 */
export class ReplayJob {
  #state: ReplayState = { status: 'idle', startedAt: null, finishedAt: null, progress: null, result: null, error: null }
  #running: Promise<void> | null = null
  #abort = new AbortController()

  constructor(private readonly deps: ReplayJobDeps) {}

  get state(): ReplayState {
    return { ...this.#state, progress: this.#state.progress && { ...this.#state.progress } }
  }

  /** Starts a replay; null when one is already running. */
  start(): ReplayState | null {
    if (this.#running) return null
    this.#state = { status: 'running', startedAt: new Date().toISOString(), finishedAt: null, progress: null, result: null, error: null }
    this.#running = this.#run().finally(() => {
      this.#running = null
    })
    return this.state
  }

  /** Resolves when the current replay (if any) has finished. */
  async settled(): Promise<void> {
    await this.#running
  }

  /**
   * Stops a running replay at its next batch (SIGTERM must not wait minutes). Safe: the
   * offset was rewound to 0 first, so the processor rebuilds everything at the next start.
   */
  async abort(): Promise<void> {
    this.#abort.abort()
    await this.#running
  }

  async #run(): Promise<void> {
    const { log, db, config, logger } = this.deps
    await this.deps.pause()
    try {
      logger?.info('replay started from the API: the live processor is paused')
      // Rewind first: should this process die mid-replay (tables half rebuilt), the processor
      // starts again from the beginning of the log and still converges to the same tables.
      await log.commit(config.processor.group, 0)
      const result = await replay(
        log,
        db,
        config,
        (p) => {
          this.#state.progress = p
        },
        { signal: this.#abort.signal },
      )
      this.#state = { ...this.#state, status: 'succeeded', finishedAt: new Date().toISOString(), result }
      logger?.info({ result }, 'replay finished; the live processor resumes')
    } catch (e) {
      this.#state = { ...this.#state, status: 'failed', finishedAt: new Date().toISOString(), error: (e as Error).message }
      logger?.error({ err: (e as Error).message }, 'replay failed; the live processor resumes from the last committed offset')
    } finally {
      this.deps.resume()
    }
  }
}
