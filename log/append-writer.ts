import { Worker } from 'node:worker_threads'
import type { BatchReply, BatchRequest, Row, WriterInit } from './append-protocol.ts'

/** A SQLite failure reported by the writer thread: the code maps to LogError in log/embedded.ts. */
export class WriterError extends Error {
  constructor(
    readonly code: string | null,
    message: string,
  ) {
    super(message)
    this.name = 'WriterError'
  }
}

/**
 * The main thread's side of the writer thread (log/append-worker.ts): hands
 * it batches of rows and settles each batch when its transaction committed.
 * Batches are written in the order given, one transaction each.
 */
export class AppendWriter {
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve: (r: [number, boolean][]) => void; reject: (e: Error) => void }>()
  #nextId = 0
  #failed: Error | null = null

  constructor(init: WriterInit) {
    this.#worker = new Worker(new URL('./append-worker-entry.js', import.meta.url), { workerData: init })
    this.#worker.on('message', (reply: BatchReply) => {
      const p = this.#pending.get(reply.id)
      if (!p) return
      this.#pending.delete(reply.id)
      if (reply.ok) p.resolve(reply.results)
      else p.reject(new WriterError(reply.code, reply.message))
    })
    // A dead writer fails what it held and everything after: nothing is acknowledged unwritten.
    const fail = (error: Error) => {
      this.#failed ??= error
      for (const p of this.#pending.values()) p.reject(new WriterError(null, `the log writer thread stopped: ${error.message}`))
      this.#pending.clear()
    }
    this.#worker.on('error', fail)
    this.#worker.on('exit', (code) => fail(new Error(`exit code ${code}`)))
  }

  write(rows: Row[]): Promise<[number, boolean][]> {
    if (this.#failed) return Promise.reject(new WriterError(null, `the log writer thread stopped: ${this.#failed.message}`))
    return new Promise((resolve, reject) => {
      const id = this.#nextId++
      this.#pending.set(id, { resolve, reject })
      this.#worker.postMessage({ id, rows } satisfies BatchRequest)
    })
  }

  /** Closes after the batches already handed over are written. */
  async close(): Promise<void> {
    if (this.#failed) return
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()))
    this.#worker.postMessage('close')
    await exited
  }
}
