/** Writes `events` workload envelopes into an embedded log, as ingest would have: node bin/run-ts.js bench/lib/seed-log.ts '{"dir","repos","events"}' */
import { openEmbeddedLog } from '../../log/embedded.ts'
import type { Envelope } from '../../contracts/envelope.ts'
import { envelopeOf, workload } from './workload.ts'

const o = JSON.parse(process.argv[2]!) as { dir: string; repos: number; events: number; prefix?: string }
const log = openEmbeddedLog(o.dir, { maxBatch: 5000 })
const t0 = performance.now()
let bytes = 0
let chunk: Envelope[] = []
const now = new Date('2026-01-01T00:00:00Z')
for (const d of workload({ repos: o.repos, events: o.events, prefix: o.prefix ?? 'r' })) {
  const e = envelopeOf(d, now)
  bytes += d.body.length
  chunk.push(e)
  if (chunk.length === 5000) {
    await log.appendMany(chunk)
    chunk = []
  }
}
if (chunk.length) await log.appendMany(chunk)
const count = await log.count()
await log.close()
process.stdout.write(`${JSON.stringify({ events: count, bodyMB: bytes / 1e6, seconds: (performance.now() - t0) / 1000 })}\n`)
