import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb, openLog } from '../../server/open.ts'
import { replay } from '../../processors/replay.ts'
import type { Config } from '../../config/schema.ts'
import { dumpTables } from '../helpers/dump.ts'
import { approx, processedAll, send } from '../helpers/payloads.ts'
import { EXPECTED_CHECKOUT_ROW, scenarioDeliveries } from '../helpers/scenario.ts'
import { scenarioConfig, startTestServer } from '../helpers/server.ts'

/** The pipeline in one process on the embedded defaults: HTTP → log → processor → ClickHouse → API. */
describe('pipeline on embedded defaults', () => {
  let config: Config
  let server: Awaited<ReturnType<typeof startTestServer>>
  const Q = 'from=2026-07-01&to=2026-07-08'

  beforeAll(async () => {
    config = scenarioConfig()
    server = await startTestServer(config)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('accepts every signed delivery (202) and collapses a redelivery', async () => {
    const deliveries = scenarioDeliveries()
    for (const d of deliveries) expect((await send(server.url, d)).status).toBe(202)
    const again = await send(server.url, deliveries[6]!)
    expect(again).toMatchObject({ status: 202, body: { duplicate: true } })
    expect(await server.log.headOffset()).toBe(deliveries.length)
  })

  it('reports the hand-computed figures for checkout', async () => {
    await processedAll(server.url)
    const answer = (await (await fetch(`${server.url}/api/v1/metrics?${Q}`)).json()) as { rows: unknown[] }
    expect(answer).toMatchObject({ from: '2026-07-01T00:00:00.000Z', to: '2026-07-08T00:00:00.000Z', tz: 'UTC', groupBy: 'service', bucket: null })
    expect(answer.rows).toHaveLength(1)
    const row = answer.rows[0] as unknown as typeof EXPECTED_CHECKOUT_ROW
    expect(row).toEqual(approx(EXPECTED_CHECKOUT_ROW))
  })

  it('lists the records behind the figures: changes, failure causes, rollbacks, linked incidents', async () => {
    const res = await fetch(`${server.url}/api/v1/deployments?${Q}`)
    const { deployments } = (await res.json()) as { deployments: Record<string, any>[] }
    const byId = Object.fromEntries(deployments.map((d) => [d.id, d]))
    expect(byId['github:acme/checkout#101']).toMatchObject({ failed: true, failureCauses: ['incident:github:acme/checkout#7'], changeCount: 3, recoverySeconds: 345600 })
    expect(byId['github:acme/checkout#101'].changes.map((c: { leadTimeSeconds: number }) => c.leadTimeSeconds).sort()).toEqual([1800, 3600, 7200])
    expect(byId['github:acme/checkout#102']).toMatchObject({ failed: true, failureCauses: ['rollback:github:acme/checkout#103'], recoverySeconds: 3600 })
    expect(byId['github:acme/checkout#103']).toMatchObject({ isRollback: true, rework: true, changeCount: 0 })
    expect(byId['github:acme/checkout#104']).toMatchObject({ failed: true, failureCauses: ['window:pagerduty:Q1'], deployedAt: '2026-07-03T12:00:00.000Z' })
    const inc = (await (await fetch(`${server.url}/api/v1/incidents?${Q}`)).json()) as { incidents: Record<string, any>[] }
    const q1 = inc.incidents.find((i) => i.id === 'pagerduty:Q1')!
    expect(q1).toMatchObject({ acknowledgeSeconds: 300, restoreSeconds: 5400, linkKind: 'window', deploymentIds: ['github:acme/checkout#104'] })
    expect(q1.timeline.map((t: { transition: string }) => t.transition)).toEqual(['triggered', 'acknowledged', 'resolved'])
  })

  it('replay rebuilds exactly the tables live processing built', async () => {
    const live = await dumpTables(server.db!)
    expect(live.deployments!.length).toBe(4)
    await server.stop()
    const log = await openLog(config)
    const db = await openDb(config)
    try {
      const result = await replay(log, db, config)
      expect(result.events).toBe(scenarioDeliveries().length)
      expect(await dumpTables(db)).toEqual(live)
      expect(await log.committedOffset(config.processor.group)).toBe(await log.headOffset())
    } finally {
      await log.close()
      await db.close()
    }
  })
})
