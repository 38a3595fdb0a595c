import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import path from 'node:path'
import { parseConfig } from '../../config/load.ts'
import type { Envelope } from '../../contracts/envelope.ts'
import { replay } from '../../processors/replay.ts'
import { openDb, openLog } from '../../server/open.ts'
import { DERIVED_TABLES } from '../../clickhouse/migrations.ts'

export const GOLDEN_DIR = path.resolve(import.meta.dirname, 'golden')

/**
 * The configuration the golden log is replayed under: every source's routing
 * mapped to a service. Its own (not the scenario's): the recorded tables must
 * not change when a test scenario does.
 */
const GOLDEN_CONFIG = {
  github: { webhookSecrets: ['unused'], productionEnvironments: ['production', 'prod', 'live'] },
  metrics: { timezone: 'UTC', incidentAttributionWindowHours: 24 },
  services: [
    { name: 'checkout', team: 'payments', repositories: ['acme/checkout'], pagerdutyServices: ['PCHECK'] },
    { name: 'api', team: 'platform', repositories: ['acme/api'], environments: ['production', 'prod'], pagerdutyServices: ['PAPI'] },
    { name: 'web', team: 'web', repositories: ['acme/web'], pagerdutyServices: ['PWEB'] },
    { name: 'hello', team: 'octo', repositories: ['Codertocat/Hello-World', 'Pritesh-30/test-repo', 'robvanderleek/create-issue-branch'] },
    { name: 'billing', team: 'payments' },
  ],
}

/**
 * What the comparison covers: every derived table, the annotations and the dead
 * letters (without their wall-clock recorded_at), each as sorted JSON lines.
 * `facts` is left out on purpose: its keys are internal identities that a
 * refactoring may rename; what the facts mean is checked through every table
 * derived from them.
 */
export async function dumpGoldenTables(db: Awaited<ReturnType<typeof openDb>>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  const queries: Record<string, string> = {
    ...Object.fromEntries(DERIVED_TABLES.map((t) => [t, `SELECT * FROM ${t}`])),
    annotations: 'SELECT * FROM annotations FINAL',
    dead_letters: 'SELECT envelope_id, log_offset, envelope_type, reason, raw FROM dead_letters FINAL',
  }
  for (const [t, sql] of Object.entries(queries)) out[t] = (await db.query<Record<string, unknown>>(sql)).map((r) => JSON.stringify(r)).sort()
  return out
}

/** Appends the recorded log to a fresh embedded log under `dir`, replays it into a fresh embedded ClickHouse, dumps. */
export async function replayGolden(dir: string): Promise<Record<string, string[]>> {
  const config = parseConfig(GOLDEN_CONFIG)
  config.log.path = path.join(dir, 'log')
  config.clickhouse.path = path.join(dir, 'clickhouse')
  const envelopes = gunzipSync(readFileSync(path.join(GOLDEN_DIR, 'log.jsonl.gz'))).toString('utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Envelope)
  const log = await openLog(config)
  const db = await openDb(config)
  try {
    for (const e of envelopes) await log.append(e)
    await replay(log, db, config)
    return await dumpGoldenTables(db)
  } finally {
    await log.close()
    await db.close()
  }
}
