import { expect } from 'vitest'
import { resolve } from 'node:path'
import type { Delivery } from '../../generator/payloads.ts'
import { caughtUp, readBacklog } from '../../server/lag.ts'

/**
 * Real-shaped, signed webhook payloads come from the one generator (generator/);
 * this file adds what tests need around them: sending, waiting, comparing.
 */
export { deploymentStatusPayload, githubDelivery, issuePayload, pagerdutyDelivery, pagerdutyPayload, pullRequestMergedPayload, pushPayload, type Delivery } from '../../generator/payloads.ts'

/** The shared recorded fixtures (parser tests read every file there, not only the generator's templates). */
export const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/webhooks')

export async function send(baseUrl: string, d: Delivery): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${d.path}`, { method: 'POST', headers: d.headers, body: d.body })
  return { status: res.status, body: await res.json().catch(() => null) }
}

/** Polls until `check` returns a value (not undefined) or the deadline passes: no fixed sleeps. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const v = await check()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
}

/** Waits until a running doraflow has processed everything it acknowledged (runtime/lag.ts says how that is known). */
export async function processedAll(url: string, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => (caughtUp(await readBacklog(url)) ? true : undefined), timeoutMs, `${url} to process every acknowledged event (doraflow_processor_lag_events 0)`)
}

/** An expected object whose numbers match to 6 decimals (quantiles interpolate in floating point). */
export function approx<T>(v: T): T {
  if (typeof v === 'number' && !Number.isInteger(v)) return expect.closeTo(v, 6) as unknown as T
  if (typeof v === 'number') return expect.closeTo(v, 6) as unknown as T
  if (Array.isArray(v)) return v.map(approx) as unknown as T
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, approx(x)])) as T
  return v
}
