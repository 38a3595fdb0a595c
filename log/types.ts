import type { Envelope, LoggedEnvelope } from '../contracts/envelope.ts'

/** What an append did: stored anew, or collapsed into an envelope with the same id. */
export interface AppendResult {
  id: string
  duplicate: boolean
  offset: number
}

/**
 * The event log: append-only, the source of truth. Implemented by the embedded
 * log (SQLite, one machine) and by Kafka (scale-out).
 *
 * `append` resolves only once the envelope is durable (fsync'd / acks=all):
 * ingest answers 2xx after that and never before.
 */
export interface EventLog {
  append(envelope: Envelope): Promise<AppendResult>
  /** Reads up to `limit` envelopes with offset > `afterOffset`, in offset order. */
  read(afterOffset: number, limit: number): Promise<LoggedEnvelope[]>
  /** The committed offset of a consumer group (0 when none). */
  committedOffset(group: string): Promise<number>
  /** Persists a consumer group's offset: everything <= offset is processed. */
  commit(group: string, offset: number): Promise<void>
  /** Highest offset written (0 when empty). */
  headOffset(): Promise<number>
  /** Whether the log can take writes now (readiness). */
  healthy(): Promise<boolean>
  close(): Promise<void>
}

/** Infrastructure failure of the log, mapped once in the adapter. */
export class LogError extends Error {
  constructor(message: string, readonly retriable: boolean, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'LogError'
  }
}
