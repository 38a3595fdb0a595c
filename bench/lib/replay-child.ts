/** `doraflow replay` as the CLI runs it (same function), timed, with its peak RSS: node bin/run-ts.js bench/lib/replay-child.ts '{"config"}' */
import { loadConfig } from '../../config/load.ts'
import { replay } from '../../processors/replay.ts'
import { openDb, openLog } from '../../server/open.ts'
import { DERIVED_TABLES } from '../../clickhouse/migrations.ts'

const o = JSON.parse(process.argv[2]!) as { config: string }
const { config } = loadConfig(o.config, process.env)
const log = await openLog(config)
const db = await openDb(config)
const phases: Record<string, number> = {}
let phase = ''
let t = performance.now()
const t0 = t
const result = await replay(log, db, config, (p) => {
  if (p.phase !== phase) {
    if (phase) phases[phase] = (performance.now() - t) / 1000
    phase = p.phase
    t = performance.now()
  }
})
phases[phase] = (performance.now() - t) / 1000
const seconds = (performance.now() - t0) / 1000
const rows: Record<string, number> = {}
for (const table of [...DERIVED_TABLES, 'facts']) rows[table] = Number((await db.query<{ n: string }>(`SELECT count() AS n FROM ${table}`))[0]!.n)
await log.close()
await db.close()
process.stdout.write(`${JSON.stringify({ seconds, phases, result, rows, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`)
