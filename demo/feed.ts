import type { Delivery } from '../generator/payloads.ts'

export interface FeedResult {
  accepted: number
  /** Deliveries the server did not answer 2xx, by status: a demo that loses data says so. */
  refused: Record<string, number>
}

/**
 * Posts deliveries to a running doraflow exactly as the senders would (same path,
 * headers and signed body), a few at a time so the order stays close to the
 * senders' own. `onSent` is called after each one (the progress bar).
 */
export async function feed(baseUrl: string, deliveries: Delivery[], onSent: (done: number) => void, inFlight = 4): Promise<FeedResult> {
  const result: FeedResult = { accepted: 0, refused: {} }
  let next = 0
  let done = 0
  const worker = async () => {
    while (next < deliveries.length) {
      const d = deliveries[next++]!
      const res = await fetch(`${baseUrl}${d.path}`, { method: 'POST', headers: d.headers, body: d.body })
      await res.arrayBuffer()
      if (res.ok) result.accepted++
      else result.refused[res.status] = (result.refused[res.status] ?? 0) + 1
      onSent(++done)
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  return result
}
