/**
 * Group commit: collects items submitted in the same event-loop turn and hands
 * them to one synchronous batch writer (one transaction, one fsync) instead of
 * paying an fsync per item. Each submitter's promise settles only after the
 * writer returned, i.e. after the batch is durable; if the writer throws,
 * every promise of that batch rejects with the same (mapped) error.
 */
interface Pending<I, O> {
  item: I
  resolve: (value: O) => void
  reject: (error: unknown) => void
}

export class GroupCommitter<I, O> {
  #queue: Pending<I, O>[] = []
  #scheduled = false

  /**
   * @param write synchronous batch writer; returns one result per item, in order.
   * @param maxBatch upper bound per transaction so a burst cannot stall the
   *   event loop in one huge transaction; the rest goes in the next turn.
   */
  readonly #inFlight = new Set<Promise<void>>()

  constructor(
    /** Synchronous, or asynchronous (a writer thread): then the next batch is collected while this one is written. */
    private readonly write: (items: I[]) => O[] | Promise<O[]>,
    private readonly maxBatch = 1000,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject })
      this.#schedule()
    })
  }

  /** Items waiting for the next batch. */
  get pending(): number {
    return this.#queue.length
  }

  /** Writes everything queued now, synchronously (used by close()). */
  flushAll(): void {
    while (this.#queue.length > 0) this.#flushOne()
  }

  /** flushAll, then waits for the asynchronous batches still being written. */
  async drain(): Promise<void> {
    this.flushAll()
    await Promise.all(this.#inFlight)
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    // setImmediate (not queueMicrotask): runs after the current poll phase,
    // so appends triggered by several requests read in the same turn coalesce.
    setImmediate(() => {
      this.#scheduled = false
      // An asynchronous writer has one batch at a time: what arrives meanwhile waits and
      // goes in the next, larger batch (one fsync) instead of queueing fsyncs behind it.
      if (this.#inFlight.size > 0) return
      this.#flushOne()
      if (this.#queue.length > 0) this.#schedule()
    })
  }

  #flushOne(): void {
    const batch = this.#queue.splice(0, this.maxBatch)
    if (batch.length === 0) return
    let results: O[] | Promise<O[]>
    try {
      results = this.write(batch.map((p) => p.item))
    } catch (error) {
      for (const p of batch) p.reject(error)
      return
    }
    if (!(results instanceof Promise)) {
      const r = results
      batch.forEach((p, i) => p.resolve(r[i] as O))
      return
    }
    const settled = results.then(
      (r) => batch.forEach((p, i) => p.resolve(r[i] as O)),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    )
    this.#inFlight.add(settled)
    void settled.finally(() => {
      this.#inFlight.delete(settled)
      if (this.#queue.length > 0) this.#schedule()
    })
  }
}
