import fc from 'fast-check'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openClickHouse, type Db } from '../../clickhouse/client.ts'
import { ALL_TABLES, migrate } from '../../clickhouse/migrations.ts'
import { parseConfigText } from '../../config/load.ts'
import type { LoggedEnvelope } from '../../domain/envelope.ts'
import { annotationAdded, annotationEnvelope } from '../../ingest/annotation-envelope.ts'
import { MemoryEventLog } from '../../log/memory.ts'
import { processEnvelopes } from '../../processors/processor.ts'
import { replay } from '../../processors/replay.ts'
import { computeMetrics } from '../../queries/metrics.ts'
import { dumpTables } from '../helpers/dump.ts'
import { approx } from '../helpers/payloads.ts'
import { post, startServer } from '../ingest/helpers.ts'
import { EXPECTED_Q3, FREEZE_ANNOTATION, RELEASE_CONFIG_YAML, releaseDeliveries } from '../releases/scenario.ts'

const config = parseConfigText(RELEASE_CONFIG_YAML, {})
const Q3 = { from: '2026-07-01', to: '2026-10-01' }

/** The scenario through the real ingest routes (signatures, validation) into a log. */
async function ingested(): Promise<LoggedEnvelope[]> {
  const log = new MemoryEventLog()
  const srv = await startServer(config as unknown as Record<string, unknown>, log)
  try {
    for (const d of releaseDeliveries()) {
      const r = await post(`${srv.url}${d.path}`, d.body, d.headers)
      expect(r.status, `${d.path} ${r.text}`).toBe(202)
    }
  } finally {
    await srv.close()
  }
  const added = annotationAdded({ ...FREEZE_ANNOTATION, service: undefined })
  if ('problem' in added) throw new Error(added.problem)
  await log.append(annotationEnvelope(added))
  return log.read(0, 10_000)
}

describe('release figures on ClickHouse: hand-computed, order-independent, rebuilt by replay', () => {
  let db: Db
  let envelopes: LoggedEnvelope[]
  let expectedTables: Record<string, string[]>
  const reset = async () => {
    for (const t of ALL_TABLES) await db.command(`TRUNCATE TABLE IF EXISTS ${t}`)
  }

  beforeAll(async () => {
    envelopes = await ingested()
    db = await openClickHouse({ ...config.clickhouse, path: join(mkdtempSync(join(tmpdir(), 'releases-')), 'ch') })
    await migrate(db)
    await processEnvelopes(envelopes, db, config)
    expectedTables = await dumpTables(db)
  }, 120_000)
  afterAll(async () => db?.close())

  it('the Q3 answer carries the hand-computed release, recovery-path, freeze and canary figures', async () => {
    const a = await computeMetrics(db, config, Q3)
    const byService = new Map(a.rows.map((r) => [r.service, r]))
    expect([...byService.keys()].sort()).toEqual(['Flagsmith Website', 'checkout'])
    expect(byService.get('checkout')).toMatchObject(approx(EXPECTED_Q3.checkout))
    expect(byService.get('Flagsmith Website')).toMatchObject({ team: 'unassigned', ...approx(EXPECTED_Q3.flagsmithWebsite) })
    expect(byService.get('checkout')!.failedDeployments).toBe(4)
  })

  it('the rows behind them: the kill switch names its incident, D6 names the annotation freeze, the Flagger failure is one attempt', async () => {
    const kills = await db.query<{ flag: string; kill_incident_id: string }>('SELECT flag, kill_incident_id FROM flag_changes WHERE is_kill_switch = 1')
    expect(kills).toEqual([{ flag: 'checkout-new-pay', kill_incident_id: 'generic:i2' }])
    const freezes = await db.query<{ deployment_id: string; freeze: string }>('SELECT deployment_id, freeze FROM freeze_deployments ORDER BY deployed_at')
    expect(freezes.map((f) => f.freeze)).toEqual(['annotation:pay-freeze', 'config:holidays', 'config:holidays'])
    const rollouts = await db.query<{ id: string; phase: string; max_weight: number; canary_abort: number }>('SELECT id, phase, max_weight, canary_abort FROM rollouts ORDER BY started_at')
    expect(rollouts.map((r) => [r.id, r.phase, Number(r.max_weight), Number(r.canary_abort)])).toEqual([
      ['checkout-r1', 'aborted', 25, 1],
      ['checkout.prod', 'failed', 10, 1],
      ['checkout.prod#2', 'completed', 50, 0],
    ])
  })

  it('any order, any batching, redeliveries: the same tables', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(envelopes, { minLength: envelopes.length, maxLength: envelopes.length }),
        fc.array(fc.integer({ min: 0, max: envelopes.length - 1 }), { maxLength: 6 }),
        fc.integer({ min: 3, max: 20 }),
        async (shuffled, redelivered, batchSize) => {
          await reset()
          const stream = [...shuffled]
          for (const i of redelivered) stream.splice((i * 7) % (stream.length + 1), 0, envelopes[i]!)
          for (let k = 0; k < stream.length; k += batchSize) await processEnvelopes(stream.slice(k, k + batchSize), db, config)
          expect(await dumpTables(db)).toEqual(expectedTables)
        },
      ),
      { numRuns: 3 },
    )
  }, 600_000)

  it('replay from the log rebuilds exactly the tables live processing wrote', async () => {
    const log = new MemoryEventLog()
    for (const e of envelopes) await log.append(e.envelope)
    await replay(log, db, config)
    expect(await dumpTables(db)).toEqual(expectedTables)
  }, 120_000)
})
