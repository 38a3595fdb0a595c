import { statfs } from 'node:fs/promises'
import { getHeapStatistics } from 'node:v8'
import type { Config } from '../../config/schema.ts'

export type OverloadReason = 'bytes_in_flight' | 'shed_retrying' | 'heap' | 'disk_low'

export interface Refusal {
  reason: OverloadReason
  message: string
  retryAfterSeconds: number
}

/** What backpressure samples; injectable so tests can play a full disk or a full heap. */
export interface Probes {
  heapUsed(): number
  /** Free bytes where the log writes, or null when there is no local log (memory log in tests). */
  diskFree(): Promise<number | null>
}

export const processProbes = (dir: string | null): Probes => ({
  heapUsed: () => getHeapStatistics().used_heap_size,
  diskFree: async () => {
    if (dir === null) return null
    const s = await statfs(dir).catch(() => null)
    return s ? s.bavail * s.bsize : null
  },
})

/** Where the log's bytes go on this machine: the SQLite file, or Kafka's local spool. */
export const logDir = (config: Config): string => (config.log.kind === 'kafka' ? config.log.spoolPath : config.log.path)

/**
 * Overload decided by what is really queued, not by a request count: the bytes
 * of webhook bodies being read or waiting for the log writer (a slow fsync
 * makes them pile up here), the V8 heap, and the free disk under the log.
 * Senders that retry are shed first (503 + Retry-After) so that room is left
 * for GitHub, which never retries and is refused only past the hard bounds.
 */
export class Backpressure {
  #inFlight = 0
  #heap = 0
  #diskFree: number | null = null
  #timer: NodeJS.Timeout | null = null

  constructor(
    private readonly bounds: Config['ingest']['backpressure'],
    private readonly probes: Probes,
  ) {}

  /** Samples the heap and the disk now and then every `everyMs` (the sampling is off the request path). */
  async start(everyMs = 500): Promise<void> {
    await this.sample()
    this.#timer = setInterval(() => void this.sample(), everyMs)
    this.#timer.unref()
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  async sample(): Promise<void> {
    this.#heap = this.probes.heapUsed()
    this.#diskFree = await this.probes.diskFree()
  }

  get bytesInFlight(): number {
    return this.#inFlight
  }

  /** Null to admit a request of `bytes`, else why not. */
  check(bytes: number, senderRetries: boolean): Refusal | null {
    const b = this.bounds
    if (this.#diskFree !== null && this.#diskFree < b.minFreeDiskBytes) {
      return { reason: 'disk_low', retryAfterSeconds: 30, message: `the event log's disk has ${this.#diskFree} bytes free, under ingest.backpressure.minFreeDiskBytes (${b.minFreeDiskBytes}); nothing was stored, retry later` }
    }
    if (this.#heap > b.maxHeapBytes) {
      return { reason: 'heap', retryAfterSeconds: 5, message: `the server's heap is over ingest.backpressure.maxHeapBytes (${b.maxHeapBytes}); nothing was stored, retry later` }
    }
    // A request larger than the whole bound is still taken when nothing else is in flight.
    if (this.#inFlight > 0 && this.#inFlight + bytes > b.maxBytesInFlight) {
      return { reason: 'bytes_in_flight', retryAfterSeconds: 1, message: `${this.#inFlight} bytes of deliveries are being stored already (ingest.backpressure.maxBytesInFlight: ${b.maxBytesInFlight}); nothing was stored, retry later` }
    }
    if (senderRetries && this.#inFlight > 0 && this.#inFlight + bytes > b.shedRetryingAboveBytes) {
      return { reason: 'shed_retrying', retryAfterSeconds: 1, message: `the server is busy storing ${this.#inFlight} bytes of deliveries (ingest.backpressure.shedRetryingAboveBytes: ${b.shedRetryingAboveBytes}); nothing was stored, retry later` }
    }
    return null
  }

  /** Counts `bytes` in flight until the returned release is called (once). */
  hold(bytes: number): () => void {
    this.#inFlight += bytes
    let held = true
    return () => {
      if (!held) return
      held = false
      this.#inFlight -= bytes
    }
  }
}
