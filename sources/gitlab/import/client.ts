/**
 * GitLab REST v4 reads for `doraflow import gitlab`: fetch with the token as
 * `PRIVATE-TOKEN`, `page`/`per_page` pagination following `X-Next-Page`
 * (`X-Total` for the bar), a 429 waits `Retry-After` (else until
 * `RateLimit-Reset`, an epoch second), 5xx and network errors retry with backoff.
 */
import { ImportFailure, type ImportRun } from '../../shared/import/run.ts'

export const GITLAB_TOKEN_HINT = 'gitlab.token (GITLAB_TOKEN in the example config): a token with the read_api scope'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface GitlabPage {
  items: Record<string, unknown>[]
  next: number | null
  total: number | null
}

export interface GitlabClient {
  one(path: string): Promise<Record<string, unknown>>
  page(path: string, params: Record<string, string | undefined>, page: number): Promise<GitlabPage>
}

/** How long a 429 asks us to wait: Retry-After seconds, else until the RateLimit-Reset epoch. */
function limitWaitMs(h: Headers, attempt: number): number {
  const after = Number(h.get('retry-after') ?? NaN)
  if (Number.isFinite(after) && after > 0) return after * 1000
  const reset = Number(h.get('ratelimit-reset') ?? NaN)
  if (Number.isFinite(reset) && reset * 1000 > Date.now()) return Math.min(reset * 1000 - Date.now(), 3600_000)
  return 1000 * 2 ** attempt
}

export function gitlabClient(o: { token: string; apiUrl: string; run: ImportRun; maxRetries?: number; backoffMs?: number }): GitlabClient {
  const base = o.apiUrl.replace(/\/+$/, '')
  const maxRetries = o.maxRetries ?? 5
  const backoff = (attempt: number) => sleep((o.backoffMs ?? 1000) * (attempt + 1) ** 2)

  async function get(path: string, query: URLSearchParams): Promise<{ body: unknown; headers: Headers }> {
    for (let attempt = 0; ; attempt++) {
      o.run.counters.requests++
      let res: Response
      try {
        res = await fetch(`${base}${path}${query.size ? `?${query}` : ''}`, { headers: { 'private-token': o.token, accept: 'application/json' } })
      } catch (err) {
        if (attempt >= 3) throw new ImportFailure({ reason: 'http_error', message: `GitLab at ${base} is unreachable: ${err instanceof Error ? err.message : String(err)}` })
        o.run.counters.retries++
        await backoff(attempt)
        continue
      }
      if (res.status === 429) {
        if (attempt >= maxRetries) throw new ImportFailure({ reason: 'rate_limited', message: `GitLab kept answering 429 (rate limited) for ${path} after ${maxRetries} waits` })
        const ms = limitWaitMs(res.headers, attempt)
        o.run.counters.retries++
        o.run.counters.waitedOnLimitsMs += ms
        o.run.changed()
        await res.body?.cancel()
        await sleep(ms)
        continue
      }
      if (res.status >= 500) {
        await res.body?.cancel()
        if (attempt >= 3) throw new ImportFailure({ reason: 'http_error', message: `GitLab answered ${res.status} for ${path}, ${attempt + 1} times` })
        o.run.counters.retries++
        await backoff(attempt)
        continue
      }
      const text = await res.text()
      if (res.status === 401) throw new ImportFailure({ reason: 'bad_token', message: `GitLab answered 401 for ${path}: check ${GITLAB_TOKEN_HINT}` })
      if (res.status === 403) throw new ImportFailure({ reason: 'forbidden', message: `GitLab refused ${path} (403): the token in gitlab.token lacks read_api on it` })
      if (res.status === 404) throw new ImportFailure({ reason: 'not_found', message: `GitLab has no ${path} (or the token cannot see it)` })
      if (!res.ok) throw new ImportFailure({ reason: 'http_error', message: `GitLab answered ${res.status} for ${path}: ${text.slice(0, 300)}` })
      return { body: JSON.parse(text), headers: res.headers }
    }
  }

  return {
    async one(path) {
      return (await get(path, new URLSearchParams())).body as Record<string, unknown>
    },
    async page(path, params, page) {
      const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined))
      q.set('per_page', '100')
      q.set('page', String(page))
      const { body, headers } = await get(path, q)
      const next = Number(headers.get('x-next-page') || NaN)
      const total = Number(headers.get('x-total') || NaN)
      return { items: Array.isArray(body) ? (body as Record<string, unknown>[]) : [], next: Number.isFinite(next) && next > page ? next : null, total: Number.isFinite(total) ? total : null }
    },
  }
}

/** `/projects/{id}` takes the URL-encoded path as its id. */
export const projectPath = (path: string): string => `/projects/${encodeURIComponent(path)}`
