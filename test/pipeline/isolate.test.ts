import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DbError, type Db } from '../../clickhouse/client.ts'
import type { LoggedEnvelope } from '../../contracts/envelope.ts'
import { processEnvelopes } from '../../processors/processor.ts'
import { dumpTables } from '../helpers/dump.ts'
import { genericEnvelope, githubEnvelope, pagerdutyEnvelope } from '../helpers/envelope.ts'
import { pushPayload } from '../helpers/payloads.ts'
import { REPO, scenarioDeliveries, SHA } from '../helpers/scenario.ts'
import { scenarioConfig } from '../helpers/server.ts'
import { openTestDb, truncateTables } from '../helpers/clickhouse.ts'

/**
 * The processor's last line against a poison pill (processors/isolate.ts), on the
 * real engine. ClickHouse refusing a row is injected at the adapter boundary, as
 * the disk faults are: a Db that refuses inserts holding a marker, and otherwise
 * passes everything to the embedded ClickHouse. (The inputs that really did it,
 * out-of-range dates, bad numbers, lone surrogates, are parser dead letters now:
 * test/pipeline/edges.test.ts.)
 */
describe('an envelope ClickHouse refuses is dead-lettered; the rest of its batch is processed', () => {
  const config = scenarioConfig()
  let real: Db
  let down = false
  const refusals: string[] = []
  const refusing = (): Db => ({
    ...real,
    insert: async (table, rows) => {
      if (down) throw new DbError('connect ECONNREFUSED 127.0.0.1:8123', true, null)
      const marker = table === 'facts' ? 'POISON-FACT' : table === 'incidents' ? 'POISON-DERIVED' : null
      if (marker && rows.some((r) => JSON.stringify(r).includes(marker))) {
        refusals.push(table)
        throw new DbError(`Code: 27. DB::Exception: Cannot parse input (injected for ${table})`, false, '27')
      }
      return real.insert(table, rows)
    },
    ping: async () => !down && (await real.ping()),
  })
  const scenario: LoggedEnvelope[] = scenarioDeliveries().map((d, i) => {
    const body = JSON.parse(d.body)
    return { offset: i + 1, envelope: d.path === '/webhooks/github' ? githubEnvelope(d.headers['x-github-event']!, body, d.headers['x-github-delivery']) : pagerdutyEnvelope(body) }
  })
  // Refused in the facts insert: a push whose commit message carries the marker.
  const poisonPush = githubEnvelope('push', pushPayload({ repo: REPO, before: SHA.D, after: 'e'.repeat(40), commits: [{ id: 'e'.repeat(40), timestamp: '2026-07-04T08:00:00Z', message: 'POISON-FACT' }] }), 'poison-push')
  // Facts accepted, refused in the derived rows: an incident titled with the marker, of another service.
  const poisonIncident = genericEnvelope({ kind: 'incident', id: 'INC-P', service: 'ledger', status: 'detected', at: '2026-07-04T09:00:00Z', title: 'POISON-DERIVED' })
  // A good event of the poison incident's service, after it in the batch: it must survive.
  const goodIncident = genericEnvelope({ kind: 'incident', id: 'INC-G', service: 'ledger', status: 'detected', at: '2026-07-04T10:00:00Z', title: 'ledger slow' })
  let baseline: Record<string, string[]>

  beforeAll(async () => {
    real = await openTestDb({ prefix: 'isolate-' })
    await processEnvelopes([...scenario, { offset: 102, envelope: goodIncident }], real, config)
    baseline = await dumpTables(real)
  })
  afterAll(async () => real?.close())
  beforeEach(async () => {
    await truncateTables(real)
    refusals.length = 0
    down = false
  })

  it('given the scenario with two poison envelopes in one batch, when processed, then both are dead letters with the reason and the tables are the scenario’s', async () => {
    const batch = [...scenario.slice(0, 9), { offset: 100, envelope: poisonPush }, ...scenario.slice(9), { offset: 101, envelope: poisonIncident }, { offset: 102, envelope: goodIncident }]
    const r = await processEnvelopes(batch, refusing(), config)
    expect(r.deadLettered).toBe(2)
    expect(refusals).toContain('facts')
    expect(refusals).toContain('incidents')
    const dead = await real.query<{ envelope_id: string; reason: string; log_offset: string }>('SELECT envelope_id, reason, log_offset FROM dead_letters ORDER BY log_offset')
    expect(dead.map((d) => [d.envelope_id, Number(d.log_offset)])).toEqual([
      [poisonPush.id, 100],
      [poisonIncident.id, 101],
    ])
    for (const d of dead) expect(d.reason).toMatch(/^ClickHouse refused its rows: .*Cannot parse input/)
    // The incident's facts went in before its derived rows were refused: they were taken out again,
    // so the good ledger incident processed after it is there.
    expect(await dumpTables(real)).toEqual(baseline)
    expect(baseline.incidents!.some((row) => row.includes('INC-G'))).toBe(true)
  })

  it('given ClickHouse unreachable, when a batch fails, then the error goes up (pause and retry) and nothing is dead-lettered', async () => {
    down = true
    await expect(processEnvelopes(scenario, refusing(), config)).rejects.toMatchObject({ name: 'DbError', retriable: true })
    down = false
    expect(await real.query('SELECT * FROM dead_letters')).toEqual([])
    // And once it is back, the same batch goes through whole.
    await processEnvelopes([...scenario, { offset: 102, envelope: goodIncident }], refusing(), config)
    expect(await dumpTables(real)).toEqual(baseline)
  })
})
