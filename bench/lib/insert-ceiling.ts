/**
 * The processing ceiling: the same fact rows replay writes, inserted straight
 * into the same engine with the same client, in the same batch size. Only the
 * inserts are timed (reading and parsing the log are not part of the ceiling).
 */
import { loadConfig } from '../../config/load.ts'
import { openDb, openLog } from '../../server/open.ts'
import { parseEnvelope } from '../../sources/parse.ts'
import { factRow, type FactRow } from '../../processors/facts.ts'

const o = JSON.parse(process.argv[2]!) as { config: string; batch: number }
const { config } = loadConfig(o.config, process.env)
const log = await openLog(config)
const db = await openDb(config)
await db.command('TRUNCATE TABLE IF EXISTS facts')
let offset = 0
let events = 0
let facts = 0
let insertMs = 0
for (;;) {
  const batch = await log.read(offset, o.batch)
  if (batch.length === 0) break
  const rows: FactRow[] = []
  for (const item of batch) {
    const out = parseEnvelope(item.envelope)
    if (out.kind === 'ok') for (const ev of out.events) rows.push(factRow(ev, item.envelope.id, item.offset))
  }
  const t = performance.now()
  await db.insert('facts', rows)
  insertMs += performance.now() - t
  events += batch.length
  facts += rows.length
  offset = batch[batch.length - 1]!.offset
}
await log.close()
await db.close()
process.stdout.write(`${JSON.stringify({ events, facts, seconds: insertMs / 1000, eventsPerSecond: events / (insertMs / 1000) })}\n`)
