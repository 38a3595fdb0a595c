import fc from 'fast-check'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openClickHouse, type Db } from '../../clickhouse/client.ts'
import { ALL_TABLES, migrate } from '../../clickhouse/migrations.ts'
import { parseConfigText } from '../../config/load.ts'
import type { LoggedEnvelope } from '../../contracts/envelope.ts'
import { annotationAdded, annotationEnvelope, annotationRemoved } from '../../sources/annotation/envelope.ts'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import { processEnvelopes } from '../../processors/processor.ts'
import { replay } from '../../processors/replay.ts'
import { computeMetrics } from '../../queries/metrics.ts'
import { dumpTables } from '../helpers/dump.ts'
import { approx } from '../helpers/payloads.ts'
import { deliveryOrders } from '../helpers/delivery-orders.ts'
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

  it('by team and month: releases in their month, stale flags counted at each bucket end', async () => {
    const a = await computeMetrics(db, config, { ...Q3, groupBy: 'team', bucket: 'month' })
    const payments = a.rows.filter((r) => r.team === 'payments').map((r) => [r.bucketStart, r.release.releases, r.release.fullReleases, r.release.killSwitches, r.release.staleFlags, r.canaryAborts, r.freezeDeployments])
    // dark-mode is at 100 % from 07-09 16:00: 22 days at 08-01, 53 days at 09-01 (stale), 83 at 10-01.
    expect(payments).toEqual([
      ['2026-07-01T00:00:00.000Z', 3, 2, 1, 0, 2, 3],
      ['2026-08-01T00:00:00.000Z', 0, 0, 0, 1, 0, 0],
      ['2026-09-01T00:00:00.000Z', 0, 0, 0, 1, 0, 0],
    ])
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

  it('processing the same envelopes again rewrites no release row (the sink compares before it deletes)', async () => {
    const deletes: string[] = []
    const counting: Db = { ...db, command: (sql, params) => (/^\s*DELETE FROM (flag_changes|flags|recovery_paths|freeze_deployments|rollouts)\b/.test(sql) && deletes.push(sql), db.command(sql, params)) }
    await processEnvelopes(envelopes, counting, config)
    expect(deletes).toEqual([])
    expect(await dumpTables(db)).toEqual(expectedTables)
  })

  it('any order, any batching, redeliveries: the same tables', async () => {
    await fc.assert(
      fc.asyncProperty(deliveryOrders(envelopes, { maxRedeliveries: 6, batchSizes: [3, 20] }), async (batches) => {
        await reset()
        for (const b of batches) await processEnvelopes(b, db, config)
        expect(await dumpTables(db)).toEqual(expectedTables)
      }),
      { numRuns: 3 },
    )
  }, 600_000)

  it('replay from the log rebuilds exactly the tables live processing wrote', async () => {
    const log = new MemoryEventLog()
    for (const e of envelopes) await log.append(e.envelope)
    await replay(log, db, config)
    expect(await dumpTables(db)).toEqual(expectedTables)
  }, 120_000)

  it('removing the freeze annotation live takes D6 out of the freeze; the configured freeze stays', async () => {
    const removal = { offset: 100_000, envelope: annotationEnvelope(annotationRemoved(FREEZE_ANNOTATION.id)) }
    await processEnvelopes([removal], db, config)
    const rows = await db.query<{ deployment_id: string; freeze: string }>('SELECT deployment_id, freeze FROM freeze_deployments ORDER BY deployed_at')
    expect(rows.map((r) => [r.deployment_id, r.freeze])).toEqual([
      ['github:acme/checkout#207', 'config:holidays'],
      ['github:acme/checkout#208', 'config:holidays'],
    ])
  })
})

describe('GET /api/v1/releases, GET /api/v1/flags and the deployment records, over the scenario', () => {
  let db: Db
  let url: string
  let close: () => Promise<void>
  beforeAll(async () => {
    const envelopes = await ingested()
    db = await openClickHouse({ ...config.clickhouse, path: join(mkdtempSync(join(tmpdir(), 'releases-api-')), 'ch') })
    await migrate(db)
    await processEnvelopes(envelopes, db, config)
    const express = (await import('express')).default
    const { createApiRouter } = await import('../../api/router.ts')
    const app = express()
    app.use(createApiRouter({ config, db }))
    const server = app.listen(0, '127.0.0.1')
    await new Promise<void>((r) => server.once('listening', () => r()))
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    close = () => new Promise<void>((r) => server.close(() => r()))
  }, 120_000)
  afterAll(async () => {
    await close?.()
    await db?.close()
  })
  const get = async (p: string) => {
    const res = await fetch(`${url}${p}`)
    return { status: res.status, body: (await res.json()) as any }
  }

  it('releases with their full release and rollout seconds; the kill switch with its incident; canary attempts', async () => {
    const r = await get('/api/v1/releases?from=2026-07-01&to=2026-10-01&service=checkout')
    expect(r.status).toBe(200)
    expect(r.body.releases.map((x: any) => [x.flag, x.releasedAt, x.exposure, x.fullReleaseAt, x.rolloutSeconds])).toEqual([
      ['checkout-banner', '2026-07-15T09:00:00.000Z', 50, null, null],
      ['checkout-dark-mode', '2026-07-06T10:00:00.000Z', 25, '2026-07-09T16:00:00.000Z', 280800],
      ['checkout-new-pay', '2026-07-01T12:00:00.000Z', 10, '2026-07-03T12:00:00.000Z', 172800],
    ])
    expect(r.body.killSwitches).toMatchObject([{ flag: 'checkout-new-pay', changedAt: '2026-07-05T10:29:00.000Z', incidentId: 'generic:i2', timeToKillSeconds: 540, exposureBefore: 100 }])
    expect(r.body.rollouts.filter((x: any) => x.canaryAbort).map((x: any) => [x.id, x.maxWeight])).toEqual([['checkout.prod', 10], ['checkout-r1', 25]])
  })

  it('flags at the end of Q3: exposure, since when, stale; ?stale=true keeps the stale ones; a bad `at` is a 400 naming it', async () => {
    const r = await get('/api/v1/flags?at=2026-10-01')
    expect(r.body.flags.map((f: any) => [f.service, f.flag, f.exposure, f.since, f.stale])).toEqual([
      ['Flagsmith Website', 'butter_bar', 100, '2026-07-20T09:00:00.000Z', true],
      ['checkout', 'checkout-banner', 50, '2026-07-15T09:00:00.000Z', false],
      ['checkout', 'checkout-dark-mode', 100, '2026-07-09T16:00:00.000Z', true],
      ['checkout', 'checkout-new-pay', 0, '2026-07-05T10:29:00.000Z', false],
    ])
    // 07-09 16:00 + 30 days = 08-08 16:00: at 08-08 12:00 not yet stale.
    expect((await get('/api/v1/flags?at=2026-08-08T12:00:00Z&stale=true')).body.flags).toEqual([])
    const bad = await get('/api/v1/flags?at=someday')
    expect(bad.status).toBe(400)
    expect(bad.body.issues[0].parameter).toBe('at')
  })

  it('a deployment record names its freeze and its recovery path', async () => {
    const r = await get('/api/v1/deployments?from=2026-07-01&to=2026-10-01&service=checkout&limit=20')
    const byId = new Map(r.body.deployments.map((d: any) => [d.id, d]))
    expect(byId.get('github:acme/checkout#206')).toMatchObject({ freeze: { id: 'annotation:pay-freeze', name: 'payments provider migration' }, recoveryPath: null })
    expect(byId.get('github:acme/checkout#208')).toMatchObject({ failed: true, freeze: { id: 'config:holidays', name: 'holidays' }, recoveryPath: 'other' })
    expect(byId.get('github:acme/checkout#204')).toMatchObject({ failed: true, freeze: null, recoveryPath: 'kill_switch' })
  })

  it('the quarterly review: rollback vs hotfix in words, releases, kill switches, stale flags, freezes with outcomes, canaries', async () => {
    const { quarterlyReport } = await import('../../reports/quarterly/index.ts')
    const md = await quarterlyReport(db, config, { quarter: '2026-Q3', format: 'md', now: Date.parse('2026-10-05T00:00:00Z') })
    // 2400 s, 2100 s, 13200 s, 3600 s (test/releases/scenario.ts).
    expect(md).toContain('- Rollback recovered in a median of 40m (1), kill switch in 35m (1), fix-forward in 3h 40m (1), other recovery in 1h (1).')
    // All teams: checkout's 3 releases and Flagsmith Website's; rollouts [0, 172800, 280800] s → median 2 days.
    expect(md).toContain('- 4 flag releases, 3 reached 100 % in a median of 2d.')
    expect(md).toContain('- 1 kill switch during incidents, a median of 9m after the incident began.')
    expect(md).toContain('- 2 bad releases stopped by the canary at ≤ 25 % of traffic.')
    expect(md).toContain('- 3 deployments during a freeze, 1 of them failed.')
    expect(md).toContain('- 2 flags are stale')
    expect(md).toContain('| acme/checkout#208 | checkout | 2026-07-21 14:00 | holidays | failed (recovered by other) |')
    expect(md).toContain('| checkout | checkout-new-pay | 2026-07-05 10:29 | i2 | 9m |')
    const html = await quarterlyReport(db, config, { quarter: '2026-Q3', format: 'html', now: Date.parse('2026-10-05T00:00:00Z') })
    expect(html).toContain('<section id="releases"><h2>Releases, flags, freezes and canaries</h2>')
    const csv = (await quarterlyReport(db, config, { quarter: '2026-Q3', format: 'csv', now: Date.parse('2026-10-05T00:00:00Z') })).split('\r\n').map((l) => l.split(','))
    const overall = (figure: string) => csv.find((l) => l[1] === 'overall' && l[4] === figure)?.slice(5, 7)
    expect([overall('releases'), overall('recovery_fix_forward_median'), overall('canaryAborts'), overall('blastRadiusMedian')]).toEqual([['4', 'count'], ['13200', 'seconds'], ['2', 'count'], ['17.5', 'percent']])
  })
})
