/**
 * One paginated GitHub list, read with a checkpoint: a run killed half-way
 * resumes at the page after the last one whose records are in the log; a list
 * read to its end remembers its first page's ETag, so the next run's
 * conditional request (`If-None-Match`) answers 304 when nothing changed.
 */
import type { ImportRun } from '../../shared/import/run.ts'
import type { ImportState } from '../../shared/import/state.ts'
import { statusOf, type GithubApi } from './client.ts'

export interface ListRead {
  gh: GithubApi
  run: ImportRun
  state: ImportState
  /** Fingerprint of the token: ETags are only valid for the token that read them. */
  tokenFp: string
  scope: string
  resource: string
  window: string
  route: string
  params: Record<string, string | number | undefined>
  /** Handles one page; `stop` ends the read early (the rest is older than the window, or already known). */
  onPage(items: Record<string, unknown>[], ctx: { rereading: boolean; estimatedTotal: number | null }): Promise<{ stop: boolean; highWater?: string | null }>
}

const nextOf = (link: string | undefined): string | null => /<([^>]+)>;\s*rel="next"/.exec(link ?? '')?.[1] ?? null
const lastPageOf = (link: string | undefined): number | null => {
  const last = /<([^>]+)>;\s*rel="last"/.exec(link ?? '')?.[1]
  const page = last ? new URL(last).searchParams.get('page') : null
  return page ? Number(page) : null
}

export type ListOutcome = 'not_modified' | 'read' | 'resumed'

export async function readList(r: ListRead): Promise<ListOutcome> {
  const cp = r.state.checkpoint(r.scope, r.resource, r.window)
  const resuming = cp !== null && !cp.done && cp.next !== null
  const params = Object.fromEntries(Object.entries({ ...r.params, per_page: 100 }).filter(([, v]) => v !== undefined))
  const first = resuming ? null : (r.gh.request.endpoint(r.route, params as Record<string, unknown>) as { url: string }).url
  const etag = first && cp?.done ? r.state.etag(r.tokenFp, first) : null
  const iterator = resuming
    ? r.gh.paginate.iterator(`GET ${cp.next!}`)
    : r.gh.paginate.iterator(r.route, { ...params, ...(etag ? { headers: { 'if-none-match': etag } } : {}) })
  let highWater = cp?.highWater ?? null
  let firstEtag: string | null = null
  let estimatedTotal: number | null = null
  try {
    // The next page is requested while this one is appended: the round trip overlaps the fsync.
    const pages = iterator[Symbol.asyncIterator]()
    let ahead = pages.next()
    for (;;) {
      const step = await ahead
      if (step.done) break
      const res = step.value
      const link = res.headers.link
      const next = nextOf(link)
      if (next) ahead = pages.next()
      if (firstEtag === null && !resuming) firstEtag = res.headers.etag ?? ''
      const lastPage = lastPageOf(link)
      if (estimatedTotal === null && lastPage !== null) estimatedTotal = lastPage * 100
      const items = (Array.isArray(res.data) ? res.data : []) as Record<string, unknown>[]
      const out = await r.onPage(items, { rereading: cp?.done === true, estimatedTotal })
      if (out.highWater && (!highWater || out.highWater > highWater)) highWater = out.highWater
      // Saved once the page's records are durable in the log: a kill now resumes at `next`.
      r.state.saveCheckpoint(r.scope, r.resource, r.window, { next, done: false, highWater })
      if (out.stop || !next) {
        // A page fetched ahead and not wanted: let it settle (its failure, if any, is no failure of this read).
        if (next) void ahead.catch(() => {})
        break
      }
    }
  } catch (err) {
    if (statusOf(err) === 304) {
      r.run.counters.notModified++
      r.state.saveCheckpoint(r.scope, r.resource, r.window, { next: null, done: true, highWater })
      return 'not_modified'
    }
    throw err
  }
  r.state.saveCheckpoint(r.scope, r.resource, r.window, { next: null, done: true, highWater })
  if (first && firstEtag) r.state.saveEtag(r.tokenFp, first, firstEtag)
  return resuming ? 'resumed' : 'read'
}
