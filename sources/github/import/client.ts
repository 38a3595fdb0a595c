/**
 * The GitHub REST client of `doraflow import github`: octokit with the
 * throttling plugin (queues requests, honours `Retry-After` on secondary
 * limits and `X-RateLimit-Reset` when the budget is at 0), the retry plugin
 * (5xx with backoff) and the paginate plugin (`Link` headers). Each HTTP
 * request, retry and second spent waiting is counted on the run.
 */
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import pLimit from 'p-limit'
import type { ImportRun } from '../../shared/import/run.ts'

/** Requests of one import in flight at once: twice the throttling plugin's default of 10, a fifth of the 100 concurrent requests GitHub's secondary limits allow. */
export const IN_FLIGHT = 20

/**
 * The throttling plugin's "global" group, Bottleneck-compatible (`key(id).schedule(options, fn, ...args)`):
 * the same cap on requests in flight, kept by p-limit. The plugin's default group is a
 * Bottleneck whose local datastore yields to a `setTimeout` several times per job (≈ 5 ms a
 * request on loopback); this group only caps concurrency, which is all the plugin asks of it for
 * REST reads. Waiting on rate limits stays in the plugin's retry limiter (still Bottleneck).
 */
function concurrencyGroup(n: number) {
  const limit = pLimit(n)
  const limiter = { schedule: (_job: unknown, fn: (...a: unknown[]) => Promise<unknown>, ...args: unknown[]) => limit(() => fn(...args)) }
  return { key: () => limiter }
}

type Failed = (error: unknown, info: { args: unknown[]; retryCount: number }) => Promise<number | undefined> | number | undefined

/**
 * The throttling plugin's retry limiter, Bottleneck-compatible (`on('failed', f)`, `schedule(fn, ...args)`):
 * a failed job asks the plugin's own `failed` handler — the code that reads `Retry-After`,
 * secondary limits, `X-RateLimit-Reset` and asks onRateLimit / onSecondaryRateLimit — and, when it
 * answers a number of milliseconds, runs the job again after that long, as Bottleneck does. No
 * scheduling of its own, so a request that is not limited passes without any timer.
 */
function retryLimiter() {
  const handlers: Failed[] = []
  return {
    on(event: string, f: Failed) {
      if (event === 'failed') handlers.push(f)
    },
    async schedule(fn: (...a: unknown[]) => Promise<unknown>, ...args: unknown[]): Promise<unknown> {
      for (let retryCount = 0; ; retryCount++) {
        try {
          return await fn(...args)
        } catch (error) {
          let wait: number | undefined
          for (const h of handlers) wait ??= await h(error, { args, retryCount })
          if (wait === undefined || wait === null) throw error
          await new Promise((ok) => setTimeout(ok, wait))
        }
      }
    },
  }
}

const ImportOctokit = Octokit.plugin(throttling, retry, paginateRest)
export type GithubApi = InstanceType<typeof ImportOctokit>

export interface GithubClientOptions {
  token: string
  apiUrl: string
  /** Where requests, retries and waits are counted: an import's run, or (doraflow init) a tally of its own. */
  run: Pick<ImportRun, 'counters' | 'changed'>
  /** Retries of one request after a rate limit before giving up (each waits as GitHub says). */
  maxLimitRetries?: number
}

export function githubClient(o: GithubClientOptions): GithubApi {
  const maxRetries = o.maxLimitRetries ?? 5
  // A GitHub Enterprise Server with rate limiting off answers limit 0 / remaining 0 on every
  // response: that is no budget to wait for, and a 403 there is a real refusal.
  let limitsDisabled = false
  const counted: typeof fetch = async (input, init) => {
    o.run.counters.requests++
    const res = await fetch(input, init)
    limitsDisabled = res.headers.get('x-ratelimit-limit') === '0'
    return res
  }
  const wait = (retryAfter: number, retryCount: number): boolean => {
    if (limitsDisabled || retryCount >= maxRetries) return false
    o.run.counters.retries++
    o.run.counters.waitedOnLimitsMs += retryAfter * 1000
    o.run.changed()
    return true
  }
  const gh = new ImportOctokit({
    auth: o.token,
    baseUrl: o.apiUrl.replace(/\/+$/, ''),
    userAgent: 'doraflow-import',
    request: { fetch: counted },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: {
      // Accepted by the plugin (`state.global ?? groups.global`), missing from its option types.
      ...({ global: concurrencyGroup(IN_FLIGHT), retryLimiter: retryLimiter() } as object),
      onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => wait(retryAfter, retryCount),
      onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => wait(retryAfter, retryCount),
    },
    retry: { retries: 3 },
  })
  // Outermost wrap (registered last): the body of a final success is read here with plain
  // JSON.parse. @octokit/request would parse it with json-with-bigint, which on Node 20 runs a
  // regex over the whole text and a reviver over every value (≈ 14 % of an import's CPU); GitHub's
  // REST ids and counts all fit a double. Errors (4xx/5xx/304) are still parsed by the library,
  // so the throttling and retry plugins see them as before.
  // before-after-hook binds every hook to the same options object and ignores what a hook passes
  // on, so the flag is set on that object, not on a copy.
  gh.hook.wrap('request', async (request, options) => {
    options.request = { ...options.request, parseSuccessResponseBody: false }
    const res = await request(options)
    return { ...res, data: await bodyOf(res.data as ReadableStream<Uint8Array> | null, String(res.headers['content-type'] ?? '')) }
  })
  return gh
}

async function bodyOf(stream: ReadableStream<Uint8Array> | null, contentType: string): Promise<unknown> {
  if (stream === null) return ''
  const text = await new Response(stream).text()
  return /^application\/(scim\+)?json\b/i.test(contentType) && text !== '' ? JSON.parse(text) : text
}

/** The HTTP status of an octokit RequestError, if it is one. */
export const statusOf = (err: unknown): number | null => (typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : null)
