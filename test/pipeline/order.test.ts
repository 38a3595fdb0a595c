import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Db } from '../../clickhouse/client.ts'
import type { LoggedEnvelope } from '../../contracts/envelope.ts'
import { processEnvelopes } from '../../processors/processor.ts'
import { computeMetrics } from '../../queries/metrics.ts'
import { dumpTables } from '../helpers/dump.ts'
import { githubEnvelope, pagerdutyEnvelope } from '../helpers/envelope.ts'
import type { Delivery } from '../helpers/payloads.ts'
import { scenarioDeliveries } from '../helpers/scenario.ts'
import { scenarioConfig } from '../helpers/server.ts'
import { openTestDb, truncateTables } from '../helpers/clickhouse.ts'

function envelopeOf(d: Delivery) {
  const body = JSON.parse(d.body)
  return d.path === '/webhooks/github' ? githubEnvelope(d.headers['x-github-event']!, body, d.headers['x-github-delivery']) : pagerdutyEnvelope(body)
}

/**
 * The processor on the real engine: the scenario's envelopes in any order, split
 * into any batches, with redeliveries, give the same tables and the same metrics
 * as one batch in log order.
 */
describe('processing is order-independent and idempotent on ClickHouse', () => {
  const config = scenarioConfig()
  let db: Db
  const envelopes: LoggedEnvelope[] = scenarioDeliveries().map((d, i) => ({ offset: i + 1, envelope: envelopeOf(d) }))
  let expectedTables: Record<string, string[]>
  let expectedMetrics: unknown
  const reset = () => truncateTables(db)
  const metrics = () => computeMetrics(db, config, { from: '2026-07-01', to: '2026-07-08', bucket: 'day' })

  beforeAll(async () => {
    db = await openTestDb({ prefix: 'order-' })
    await processEnvelopes(envelopes, db, config)
    expectedTables = await dumpTables(db)
    expectedMetrics = await metrics()
  })
  afterAll(async () => db?.close())

  it('the baseline is the scenario (4 deployments, 2 incidents)', () => {
    expect(expectedTables.deployments).toHaveLength(4)
    expect(expectedTables.incidents).toHaveLength(2)
  })

  it('idempotent if run twice: processing the same batch again changes nothing', async () => {
    await processEnvelopes(envelopes, db, config)
    expect(await dumpTables(db)).toEqual(expectedTables)
  })

  it('any order, any batching, any redeliveries: same tables, same metrics', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(envelopes, { minLength: envelopes.length, maxLength: envelopes.length }),
        fc.array(fc.integer({ min: 0, max: envelopes.length - 1 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 7 }),
        async (shuffled, redelivered, batchSize) => {
          await reset()
          const stream = [...shuffled]
          for (const i of redelivered) stream.splice((i * 7) % (stream.length + 1), 0, envelopes[i]!)
          for (let k = 0; k < stream.length; k += batchSize) await processEnvelopes(stream.slice(k, k + batchSize), db, config)
          expect(await dumpTables(db)).toEqual(expectedTables)
          expect(await metrics()).toEqual(expectedMetrics)
        },
      ),
      { numRuns: 6 },
    )
  }, 300_000) // each run is a fresh database and several batches on a 2-core machine
})
