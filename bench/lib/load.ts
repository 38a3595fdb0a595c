/**
 * The load generator, run in its own process (never in the server's):
 *   node bin/run-ts.js bench/lib/load.ts '<json options>'
 * Options: url, pool (file of deliveries), seconds, connections, rate (req/s
 * overall; 0 = as fast as the server answers), runId. Every request gets its
 * own delivery id: GitHub's is a header (the body and its signature stay),
 * PagerDuty's is event.id in the body, so that body is re-signed.
 * Prints the autocannon summary as one JSON line.
 */
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { signPagerDuty, type Delivery } from './workload.ts'

const o = JSON.parse(process.argv[2]!) as { url: string; pool: string; seconds: number; connections: number; rate: number; runId: string }
const pool = JSON.parse(readFileSync(o.pool, 'utf8')) as Delivery[]
let n = 0
const requests = [
  {
    setupRequest: (req: any) => {
      const i = n++
      const d = pool[i % pool.length]!
      const uid = `${o.runId}-${i.toString(36)}`
      if (d.source === 'github') {
        return { ...req, method: 'POST', path: d.path, headers: { ...d.headers, 'x-github-delivery': uid }, body: d.body }
      }
      const body = d.body.replace(`"id":"${d.deliveryId}"`, `"id":"${uid}"`)
      return { ...req, method: 'POST', path: d.path, headers: { ...d.headers, 'x-webhook-id': `wh-${uid}`, 'x-pagerduty-signature': signPagerDuty(body) }, body }
    },
  },
]
const result = await autocannon({
  url: o.url,
  connections: o.connections,
  duration: o.seconds,
  ...(o.rate > 0 ? { overallRate: o.rate } : {}),
  requests,
  timeout: 10,
})
const r = result as any
process.stdout.write(
  `${JSON.stringify({
    seconds: o.seconds,
    sent: n,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: r.statusCodeStats,
    rps: r['2xx'] / (r.duration || o.seconds),
    latency: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
    throughputMBs: r.throughput.average / 1e6,
  })}\n`,
)
