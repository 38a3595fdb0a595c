/**
 * Merges the work that several callers hand in at about the same time into
 * one run, one run at a time: what arrives while a run is in flight waits and
 * goes into the next, larger run. The first caller of a run gets the run's
 * result, the others of that run get `empty()` (so counts add up once).
 * A failed run rejects every caller in it; each may submit again.
 */
interface Submitted<I, R> {
  items: readonly I[]
  resolve: (r: R) => void
  reject: (e: unknown) => void
}

export class Coalescer<I, R> {
  #queue: Submitted<I, R>[] = []
  #running = false

  constructor(
    private readonly run: (items: I[]) => Promise<R>,
    /** The result handed to the other callers of a run. */
    private readonly empty: () => R,
    /** Upper bound of items per run (a caller's items are never split). */
    private readonly maxItems = Infinity,
  ) {}

  submit(items: readonly I[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ items, resolve, reject })
      // setImmediate: the callers woken by the same fetch all get to submit before the run starts.
      if (!this.#running) setImmediate(() => void this.#next())
    })
  }

  async #next(): Promise<void> {
    if (this.#running || this.#queue.length === 0) return
    this.#running = true
    const taken: Submitted<I, R>[] = []
    let n = 0
    while (this.#queue.length > 0 && (taken.length === 0 || n + this.#queue[0]!.items.length <= this.maxItems)) {
      const q = this.#queue.shift()!
      taken.push(q)
      n += q.items.length
    }
    try {
      const whole = await this.run(taken.flatMap((q) => q.items))
      taken.forEach((q, i) => q.resolve(i === 0 ? whole : this.empty()))
    } catch (e) {
      for (const q of taken) q.reject(e)
    } finally {
      this.#running = false
      if (this.#queue.length > 0) void this.#next()
    }
  }
}
