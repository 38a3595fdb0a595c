/**
 * Token buckets keyed by client address: `burst` tokens at most, refilled at
 * `perSecond`. Only charged requests take a token; `empty()` asks without
 * taking, so a limiter can refuse up front and charge after the outcome.
 */
export interface BucketOptions {
  perSecond: number
  burst: number
  /** Injectable clock for tests (ms). */
  now?: () => number
  /** Buckets kept at most; the least recently used are dropped (a full bucket is the same as none). */
  maxClients?: number
}

interface Bucket {
  tokens: number
  at: number
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>()
  readonly #now: () => number
  readonly #maxClients: number

  constructor(readonly opts: BucketOptions) {
    this.#now = opts.now ?? Date.now
    this.#maxClients = opts.maxClients ?? 100_000
  }

  /** Off when the rate is 0: nothing is ever empty. */
  get enabled(): boolean {
    return this.opts.perSecond > 0
  }

  /** Seconds until `key` has a token again, or 0 when it has one now. */
  waitSeconds(key: string): number {
    if (!this.enabled) return 0
    const b = this.#buckets.get(key)
    if (!b) return 0
    const tokens = this.#refilled(b)
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.opts.perSecond))
  }

  /** Takes one token; an empty bucket stays at 0 (a refused request is not charged twice). */
  take(key: string): void {
    if (!this.enabled) return
    const t = this.#now()
    let b = this.#buckets.get(key)
    if (b) {
      b.tokens = this.#refilled(b)
      b.at = t
      this.#buckets.delete(key) // re-insert: Map order is recency order
    } else {
      b = { tokens: this.opts.burst, at: t }
      if (this.#buckets.size >= this.#maxClients) this.#buckets.delete(this.#buckets.keys().next().value!)
    }
    b.tokens = Math.max(0, b.tokens - 1)
    this.#buckets.set(key, b)
  }

  #refilled(b: Bucket): number {
    return Math.min(this.opts.burst, b.tokens + ((this.#now() - b.at) / 1000) * this.opts.perSecond)
  }
}
