/**
 * PagerDuty REST v2 reads for `doraflow import pagerduty`: fetch with the
 * account's token, classic `limit`/`offset`/`more` pagination, and the
 * documented rate-limit answers: a 429 waits `ratelimit-reset` seconds
 * (`Retry-After` when sent), a budget at 0 waits before the next request,
 * 5xx and network errors retry with backoff.
 */
import { ImportFailure, type ImportRun } from '../../shared/import/run.ts'

export const PD_OFFSET_CAP = 10_000
const PAGE = 100

export interface PagerdutyClient {
  /** One page of a list; `more` says whether another follows. */
  page(path: string, params: URLSearchParams, key: string, offset: number): Promise<{ items: Record<string, unknown>[]; more: boolean; total: number | null }>
  /** A whole list (log entries of one incident). */
  all(path: string, params: URLSearchParams, key: string): Promise<Record<string, unknown>[]>
}

const TOKEN_HINT = 'pagerduty.apiToken (PAGERDUTY_API_TOKEN in the example config): a read-only REST API key'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function pagerdutyClient(o: { token: string; apiUrl: string; run: ImportRun; maxRetries?: number; backoffMs?: number }): PagerdutyClient {
  const base = o.apiUrl.replace(/\/+$/, '')
  const maxRetries = o.maxRetries ?? 5
  let waitBeforeNext = 0

  const waitFor = async (ms: number) => {
    o.run.counters.waitedOnLimitsMs += ms
    o.run.changed()
    await sleep(ms)
  }

  async function get(path: string, params: URLSearchParams): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      if (waitBeforeNext > 0) {
        const ms = waitBeforeNext
        waitBeforeNext = 0
        await waitFor(ms)
      }
      o.run.counters.requests++
      let res: Response
      try {
        res = await fetch(`${base}${path}?${params}`, { headers: { authorization: `Token token=${o.token}`, accept: 'application/json' } })
      } catch (err) {
        if (attempt >= 3) throw new ImportFailure({ reason: 'http_error', message: `PagerDuty at ${base} is unreachable: ${err instanceof Error ? err.message : String(err)}` })
        o.run.counters.retries++
        await sleep((o.backoffMs ?? 1000) * (attempt + 1) ** 2)
        continue
      }
      const resetSeconds = Number(res.headers.get('retry-after') ?? res.headers.get('ratelimit-reset') ?? NaN)
      if (res.status === 429) {
        if (attempt >= maxRetries) throw new ImportFailure({ reason: 'rate_limited', message: `PagerDuty kept answering 429 (rate limited) for ${path} after ${maxRetries} waits` })
        o.run.counters.retries++
        await waitFor(Number.isFinite(resetSeconds) && resetSeconds > 0 ? resetSeconds * 1000 : 1000 * 2 ** attempt)
        continue
      }
      if (res.status >= 500) {
        if (attempt >= 3) throw new ImportFailure({ reason: 'http_error', message: `PagerDuty answered ${res.status} for ${path}, ${attempt + 1} times` })
        o.run.counters.retries++
        await sleep((o.backoffMs ?? 1000) * (attempt + 1) ** 2)
        continue
      }
      const text = await res.text()
      if (res.status === 401) throw new ImportFailure({ reason: 'bad_token', message: `PagerDuty answered 401 for ${path}: check ${TOKEN_HINT}` })
      if (res.status === 403) throw new ImportFailure({ reason: 'forbidden', message: `PagerDuty refused ${path} (403): the key in pagerduty.apiToken lacks read access` })
      if (res.status === 404) throw new ImportFailure({ reason: 'not_found', message: `PagerDuty has no ${path}` })
      if (!res.ok) throw new ImportFailure({ reason: 'http_error', message: `PagerDuty answered ${res.status} for ${path}: ${text.slice(0, 300)}` })
      // The budget is spent: wait for its window before the next request, not after a 429.
      if (res.headers.get('ratelimit-remaining') === '0' && Number.isFinite(resetSeconds) && resetSeconds > 0) waitBeforeNext = resetSeconds * 1000
      return JSON.parse(text) as Record<string, unknown>
    }
  }

  const client: PagerdutyClient = {
    async page(path, params, key, offset) {
      const p = new URLSearchParams(params)
      p.set('limit', String(PAGE))
      p.set('offset', String(offset))
      const body = await get(path, p)
      // `total` only when asked for (total=true): PagerDuty counts then, and it costs it time.
      return { items: (body[key] ?? []) as Record<string, unknown>[], more: body['more'] === true, total: typeof body['total'] === 'number' ? body['total'] : null }
    },
    async all(path, params, key) {
      const out: Record<string, unknown>[] = []
      for (let offset = 0; ; offset += PAGE) {
        const { items, more } = await client.page(path, params, key, offset)
        out.push(...items)
        if (!more || items.length === 0) return out
        if (offset + 2 * PAGE > PD_OFFSET_CAP) throw new ImportFailure({ reason: 'http_error', message: `${path} lists more than ${PD_OFFSET_CAP} records, PagerDuty's offset cap` })
      }
    },
  }
  return client
}

export const PAGE_SIZE = PAGE
