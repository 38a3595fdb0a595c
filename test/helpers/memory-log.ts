import type { Envelope, LoggedEnvelope } from '../../contracts/envelope.ts'
import { LogError, type AppendResult, type EventLog } from '../../log/types.ts'

/**
 * In-memory EventLog for unit tests only. `failWith` simulates a storage
 * outage: every append/read rejects with it until cleared.
 */
export class MemoryEventLog implements EventLog {
  readonly entries: LoggedEnvelope[] = []
  private readonly byId = new Map<string, number>()
  private readonly offsets = new Map<string, number>()
  failWith: LogError | undefined

  async append(envelope: Envelope): Promise<AppendResult> {
    if (this.failWith) throw this.failWith
    const existing = this.byId.get(envelope.id)
    if (existing !== undefined) return { id: envelope.id, duplicate: true, offset: existing }
    const offset = this.entries.length + 1
    this.entries.push({ offset, envelope })
    this.byId.set(envelope.id, offset)
    return { id: envelope.id, duplicate: false, offset }
  }

  async read(afterOffset: number, limit: number): Promise<LoggedEnvelope[]> {
    if (this.failWith) throw this.failWith
    return this.entries.filter((e) => e.offset > afterOffset).slice(0, limit)
  }

  async committedOffset(group: string): Promise<number> {
    return this.offsets.get(group) ?? 0
  }

  async commit(group: string, offset: number): Promise<void> {
    this.offsets.set(group, offset)
  }

  async headOffset(): Promise<number> {
    return this.entries.length
  }

  async healthy(): Promise<boolean> {
    return this.failWith === undefined
  }

  async close(): Promise<void> {}

  /** Convenience: a retriable outage like the real adapters report. */
  outage(message = 'simulated storage outage'): void {
    this.failWith = new LogError(message, true)
  }
}
