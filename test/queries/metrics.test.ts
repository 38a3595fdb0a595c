import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../clickhouse/client.ts'
import { computeMetrics, renderSql } from '../../queries/metrics.ts'
import { change, config, deployment, failedAttempt, incident, openTestDb, truncateDerived } from './helpers.ts'

/**
 * computeMetrics on the real embedded engine. Rows are inserted straight into
 * the derived tables; every expected value is worked out by hand in a comment.
 */
let db: Db
const cfg = config()

beforeAll(async () => {
  db = await openTestDb()
})
afterAll(async () => {
  await db?.close()
})
beforeEach(async () => {
  await truncateDerived(db)
})

const JULY = { from: '2026-07-01', to: '2026-07-02' } // one UTC day

describe('computeMetrics', () => {
  it('counts deployments in the half-open period [from, to)', async () => {
    await db.insert('deployments', [
      deployment({ at: '2026-06-30T23:59:59.999Z' }), // before from: out
      deployment({ at: '2026-07-01T00:00:00.000Z' }), // exactly at from: in
      deployment({ at: '2026-07-01T12:00:00.000Z' }), // in
      deployment({ at: '2026-07-02T00:00:00.000Z' }), // exactly at to: out
    ])
    const a = await computeMetrics(db, cfg, JULY)
    expect(a.from).toBe('2026-07-01T00:00:00.000Z')
    expect(a.to).toBe('2026-07-02T00:00:00.000Z')
    expect(a.tz).toBe('UTC')
    expect(a.groupBy).toBe('service')
    expect(a.bucket).toBeNull()
    expect(a.rows).toHaveLength(1)
    // 2 deployments over 1 day → 2/day
    expect(a.rows[0]).toMatchObject({ service: 'checkout', team: 'payments', bucketStart: null, deployments: 2, deploymentsPerDay: 2 })
  })

  it('deploymentsPerDay divides by the period length in days (2.5 days)', async () => {
    await db.insert('deployments', [deployment({ at: '2026-07-01T01:00Z' }), deployment({ at: '2026-07-02T01:00Z' }), deployment({ at: '2026-07-03T11:00Z' })])
    // [07-01 00:00, 07-03 12:00) = 60 h = 2.5 days; 3 / 2.5 = 1.2
    const a = await computeMetrics(db, cfg, { from: '2026-07-01', to: '2026-07-03T12:00:00Z' })
    expect(a.rows[0]?.deployments).toBe(3)
    expect(a.rows[0]?.deploymentsPerDay).toBe(1.2)
  })

  it('counts failed attempts at their own time, filtered by service', async () => {
    await db.insert('failed_attempts', [
      failedAttempt({ at: '2026-07-01T00:00Z' }), // in
      failedAttempt({ at: '2026-07-01T08:00Z' }), // in
      failedAttempt({ at: '2026-07-01T08:00Z' }), // in (a second status at the same time is another attempt)
      failedAttempt({ at: '2026-07-02T00:00Z' }), // at to: out
      failedAttempt({ at: '2026-07-01T09:00Z', service: 'billing' }), // other service
    ])
    const a = await computeMetrics(db, cfg, { ...JULY, service: 'checkout' })
    expect(a.rows).toHaveLength(1)
    // 3 attempts, no deployment: 0 deployments, CFR null, frequency 0/day
    expect(a.rows[0]).toMatchObject({ service: 'checkout', failedAttempts: 3, deployments: 0, deploymentsPerDay: 0, changeFailureRate: null })
  })

  it('lead time stats over the changes of the deployments of the period (numpy linear quantiles)', async () => {
    await db.insert('changes', [
      change({ deployedAt: '2026-07-01T10:00Z', leadTimeSeconds: 60 }),
      change({ deployedAt: '2026-07-01T10:00Z', leadTimeSeconds: 180 }),
      change({ deployedAt: '2026-07-01T20:00Z', leadTimeSeconds: 240 }),
      change({ deployedAt: '2026-07-01T20:00Z', leadTimeSeconds: 120 }),
      change({ deployedAt: '2026-07-02T00:00Z', leadTimeSeconds: 99999 }), // its deployment is at `to`: out
    ])
    const a = await computeMetrics(db, cfg, JULY)
    // sorted 60,120,180,240 (n=4): median rank 0.5·3 = 1.5 → 120 + 0.5·60 = 150;
    // p90 rank 0.9·3 = 2.7 → 180 + 0.7·60 = 222; mean 600/4 = 150
    expect(a.rows[0]?.leadTimeSeconds).toEqual({ count: 4, median: 150, p90: 222, mean: 150 })
    // median 150 s < 1 day → elite
    expect(a.rows[0]?.tiers.leadTime).toBe('elite')
  })

  it('changeFailureRate is null with zero deployments, failed/deployments otherwise', async () => {
    await db.insert('incidents', [incident({ startedAt: '2026-07-01T05:00Z', restoreSeconds: 60, service: 'quiet' })])
    await db.insert('deployments', [
      deployment({ at: '2026-07-01T01:00Z', failed: true }),
      deployment({ at: '2026-07-01T02:00Z' }),
      deployment({ at: '2026-07-01T03:00Z' }),
      deployment({ at: '2026-07-01T04:00Z' }),
    ])
    const a = await computeMetrics(db, cfg, JULY)
    const [checkout, quiet] = a.rows
    // 1 failed of 4 → 0.25 → high (<= 30 %)
    expect(checkout).toMatchObject({ service: 'checkout', failedDeployments: 1, changeFailureRate: 0.25 })
    expect(checkout?.tiers.changeFailureRate).toBe('high')
    // 'quiet' has only an incident: no deployments → CFR and rework rate null, CFR tier null;
    // it has data in the period, so frequency 0/day is a measured 'low'
    expect(quiet).toMatchObject({ service: 'quiet', deployments: 0, failedDeployments: 0, changeFailureRate: null, reworkRate: null })
    expect(quiet?.tiers).toEqual({ deploymentFrequency: 'low', leadTime: null, timeToRestore: 'elite', changeFailureRate: null, overall: 'low' })
  })

  it('incidents count by startedAt; time to restore over the resolved ones only', async () => {
    await db.insert('incidents', [
      incident({ startedAt: '2026-06-30T23:00Z', restoreSeconds: 5 }), // started before from: out
      incident({ startedAt: '2026-07-01T01:00Z', restoreSeconds: 600 }),
      incident({ startedAt: '2026-07-01T02:00Z', restoreSeconds: 3600 }),
      incident({ startedAt: '2026-07-01T03:00Z', restoreSeconds: 1800 }),
      incident({ startedAt: '2026-07-01T04:00Z', restoreSeconds: null }), // still open: counted, no restore time
    ])
    const a = await computeMetrics(db, cfg, JULY)
    // restore times 600,1800,3600 (n=3): median 1800; p90 rank 0.9·2 = 1.8 → 1800 + 0.8·1800 = 3240;
    // mean 6000/3 = 2000
    expect(a.rows[0]?.incidents).toBe(4)
    expect(a.rows[0]?.timeToRestoreSeconds).toEqual({ count: 3, median: 1800, p90: 3240, mean: 2000 })
    // median 1800 s < 1 h → elite
    expect(a.rows[0]?.tiers.timeToRestore).toBe('elite')
  })

  it('failed deployment recovery stats leave out unrecovered ones', async () => {
    await db.insert('deployments', [
      deployment({ at: '2026-07-01T01:00Z', failed: true, recoverySeconds: 300 }),
      deployment({ at: '2026-07-01T02:00Z', failed: true, recoverySeconds: 900 }),
      deployment({ at: '2026-07-01T03:00Z', failed: true, recoverySeconds: null }), // not recovered: out
      deployment({ at: '2026-07-01T04:00Z' }),
    ])
    const a = await computeMetrics(db, cfg, JULY)
    // 300,900 (n=2): median 600; p90 rank 0.9 → 300 + 0.9·600 = 840; mean 600
    expect(a.rows[0]?.failedDeploymentRecoverySeconds).toEqual({ count: 2, median: 600, p90: 840, mean: 600 })
    expect(a.rows[0]?.failedDeployments).toBe(3)
  })

  it('stats with no values: count 0 and the rest null', async () => {
    await db.insert('deployments', [deployment({ at: '2026-07-01T01:00Z' })])
    const a = await computeMetrics(db, cfg, JULY)
    const empty = { count: 0, median: null, p90: null, mean: null }
    expect(a.rows[0]?.leadTimeSeconds).toEqual(empty)
    expect(a.rows[0]?.timeToRestoreSeconds).toEqual(empty)
    expect(a.rows[0]?.failedDeploymentRecoverySeconds).toEqual(empty)
  })

  it('rework rate = rework deployments / deployments', async () => {
    await db.insert('deployments', [
      deployment({ at: '2026-07-01T01:00Z', rework: true }),
      deployment({ at: '2026-07-01T02:00Z' }),
      deployment({ at: '2026-07-01T03:00Z' }),
      deployment({ at: '2026-07-01T04:00Z' }),
      deployment({ at: '2026-07-01T05:00Z', rework: true, failed: true }),
    ])
    const a = await computeMetrics(db, cfg, JULY)
    // 2 of 5 → 0.4
    expect(a.rows[0]).toMatchObject({ reworkDeployments: 2, reworkRate: 0.4 })
  })

  it('groupBy team and none: row key shapes, sorted by group', async () => {
    await db.insert('deployments', [
      deployment({ at: '2026-07-01T01:00Z', service: 'checkout', team: 'payments' }),
      deployment({ at: '2026-07-01T02:00Z', service: 'billing', team: 'payments' }),
      deployment({ at: '2026-07-01T03:00Z', service: 'gateway', team: 'platform' }),
    ])
    const byService = await computeMetrics(db, cfg, JULY)
    expect(byService.rows.map((r) => [r.service, r.team])).toEqual([
      ['billing', 'payments'],
      ['checkout', 'payments'],
      ['gateway', 'platform'],
    ])

    const byTeam = await computeMetrics(db, cfg, { ...JULY, groupBy: 'team' })
    expect(byTeam.groupBy).toBe('team')
    // payments: checkout + billing = 2; platform: 1
    expect(byTeam.rows.map((r) => [r.team, r.deployments])).toEqual([
      ['payments', 2],
      ['platform', 1],
    ])
    for (const r of byTeam.rows) expect(Object.keys(r)).not.toContain('service')

    const all = await computeMetrics(db, cfg, { ...JULY, groupBy: 'none' })
    expect(all.rows).toHaveLength(1)
    expect(all.rows[0]?.deployments).toBe(3)
    expect(Object.keys(all.rows[0] ?? {})).not.toContain('service')
    expect(Object.keys(all.rows[0] ?? {})).not.toContain('team')
    expect(Object.keys(all.rows[0] ?? {})[0]).toBe('bucketStart')

    const oneTeam = await computeMetrics(db, cfg, { ...JULY, team: 'payments', groupBy: 'none' })
    expect(oneTeam.rows[0]?.deployments).toBe(2)
  })

  it('week buckets in Europe/Berlin across the DST change (Mon-based, local midnight)', async () => {
    // Summer time starts Sun 2026-03-29 02:00 CET → 03:00 CEST.
    await db.insert('deployments', [
      deployment({ at: '2026-03-22T22:30Z' }), // Sun 22 Mar 23:30 CET: before from → out
      deployment({ at: '2026-03-22T23:30Z' }), // Mon 23 Mar 00:30 CET → week of 23 Mar (UTC would say Sunday)
      deployment({ at: '2026-03-29T21:30Z' }), // Sun 29 Mar 23:30 CEST → week of 23 Mar
      deployment({ at: '2026-03-29T22:30Z' }), // Mon 30 Mar 00:30 CEST → week of 30 Mar (UTC would say Sunday)
    ])
    const a = await computeMetrics(db, cfg, { from: '2026-03-23', to: '2026-04-06', tz: 'Europe/Berlin', bucket: 'week' })
    // from = Mon 23 Mar 00:00 CET = 22 Mar 23:00Z; to = Mon 6 Apr 00:00 CEST = 5 Apr 22:00Z
    expect(a.from).toBe('2026-03-22T23:00:00.000Z')
    expect(a.to).toBe('2026-04-05T22:00:00.000Z')
    expect(a.rows.map((r) => [r.bucketStart, r.deployments])).toEqual([
      ['2026-03-22T23:00:00.000Z', 2],
      ['2026-03-29T22:00:00.000Z', 1], // Mon 30 Mar 00:00 CEST
    ])
    // the DST week is 7 days − 1 h = 167 h: 2 / (167/24) = 48/167; the next is a plain 7 days: 1/7
    expect(a.rows[0]?.deploymentsPerDay).toBe(48 / 167)
    expect(a.rows[1]?.deploymentsPerDay).toBe(1 / 7)
  })

  it('month buckets cut by the period: cut lengths, and empty months filled with zeros', async () => {
    await db.insert('deployments', [
      deployment({ at: '2026-01-10T12:00Z' }), // before from: out
      deployment({ at: '2026-01-20T12:00Z' }),
      deployment({ at: '2026-01-21T12:00Z' }),
      deployment({ at: '2026-03-05T12:00Z' }),
      deployment({ at: '2026-03-06T12:00Z' }),
      deployment({ at: '2026-03-07T12:00Z' }),
      deployment({ at: '2026-03-10T00:00Z' }), // at to: out
    ])
    const a = await computeMetrics(db, cfg, { from: '2026-01-15', to: '2026-03-10', bucket: 'month' })
    expect(a.rows.map((r) => [r.bucketStart, r.deployments])).toEqual([
      ['2026-01-15T00:00:00.000Z', 2], // January cut to [15 Jan, 1 Feb): bucketStart clamped to from
      ['2026-02-01T00:00:00.000Z', 0], // no data: present with zeros so charts have no gap
      ['2026-03-01T00:00:00.000Z', 3], // March cut to [1 Mar, 10 Mar)
    ])
    expect(a.rows[0]?.deploymentsPerDay).toBe(2 / 17) // 17 days in the cut January
    expect(a.rows[1]?.deploymentsPerDay).toBe(0)
    expect(a.rows[1]?.changeFailureRate).toBeNull()
    expect(a.rows[1]?.tiers).toEqual({ deploymentFrequency: 'low', leadTime: null, timeToRestore: null, changeFailureRate: null, overall: 'low' })
    expect(a.rows[2]?.deploymentsPerDay).toBe(3 / 9) // 9 days in the cut March
  })

  it('quarter buckets in America/New_York', async () => {
    await db.insert('deployments', [
      deployment({ at: '2026-05-01T12:00Z' }), // Q2
      deployment({ at: '2026-07-01T03:30Z' }), // 30 Jun 23:30 EDT → Q2 (UTC would say Q3)
      deployment({ at: '2026-12-31T23:00Z' }), // 31 Dec 18:00 EST → Q4
    ])
    const a = await computeMetrics(db, cfg, { from: '2026-01-01', to: '2027-01-01', tz: 'America/New_York', bucket: 'quarter' })
    expect(a.rows.map((r) => [r.bucketStart, r.deployments])).toEqual([
      ['2026-01-01T05:00:00.000Z', 0], // 1 Jan 00:00 EST
      ['2026-04-01T04:00:00.000Z', 2], // 1 Apr 00:00 EDT
      ['2026-07-01T04:00:00.000Z', 0],
      ['2026-10-01T04:00:00.000Z', 1],
    ])
    // Q2 = 1 Apr..1 Jul, both EDT: 30+31+30 = 91 days → 2/91
    expect(a.rows[1]?.deploymentsPerDay).toBe(2 / 91)
  })

  it('day buckets: one row per local day', async () => {
    await db.insert('deployments', [deployment({ at: '2026-07-01T23:30Z' })]) // 2 Jul 01:30 in Berlin (CEST)
    const a = await computeMetrics(db, cfg, { from: '2026-07-01', to: '2026-07-03', tz: 'Europe/Berlin', bucket: 'day' })
    expect(a.rows.map((r) => [r.bucketStart, r.deployments])).toEqual([
      ['2026-06-30T22:00:00.000Z', 0],
      ['2026-07-01T22:00:00.000Z', 1],
    ])
  })

  it('reads plain dates and offset-less date-times in the query tz; default tz from config', async () => {
    await db.insert('deployments', [
      deployment({ at: '2026-06-30T15:30Z' }), // 1 Jul 00:30 JST: in
      deployment({ at: '2026-07-01T15:30Z' }), // 2 Jul 00:30 JST: at/after to → out
    ])
    const tokyo = await computeMetrics(db, cfg, { from: '2026-07-01', to: '2026-07-02', tz: 'Asia/Tokyo' })
    // midnight JST (+09:00) = 15:00Z the day before
    expect([tokyo.from, tokyo.to, tokyo.tz]).toEqual(['2026-06-30T15:00:00.000Z', '2026-07-01T15:00:00.000Z', 'Asia/Tokyo'])
    expect(tokyo.rows[0]?.deployments).toBe(1)

    const local = await computeMetrics(db, cfg, { from: '2026-07-01T09:00', to: '2026-07-01T09:00:00Z', tz: 'Asia/Tokyo' })
    expect(local.from).toBe('2026-07-01T00:00:00.000Z') // 09:00 JST
    expect(local.to).toBe('2026-07-01T09:00:00.000Z') // explicit Z wins over tz

    const cfgTokyo = config({ metrics: { timezone: 'Asia/Tokyo' } })
    const dflt = await computeMetrics(db, cfgTokyo, { from: '2026-07-01', to: '2026-07-02' })
    expect([dflt.tz, dflt.from]).toEqual(['Asia/Tokyo', '2026-06-30T15:00:00.000Z'])
  })

  it('defaults: to = now, from = midnight 90 days before in tz', async () => {
    const now = Date.parse('2026-07-15T10:00:00.000Z')
    const a = await computeMetrics(db, cfg, {}, now)
    // 15 Jul − 90 days = 16 Apr (15 Jul → 15 Jun: 30, → 16 May: 60, → 16 Apr: 90)
    expect([a.from, a.to, a.groupBy, a.bucket]).toEqual(['2026-04-16T00:00:00.000Z', '2026-07-15T10:00:00.000Z', 'service', null])
    expect(a.rows).toEqual([]) // nothing in the tables: groups without data are omitted
  })

  it('tier boundaries end to end: 1/day is high, 15 % CFR is elite, 1 day lead time is high', async () => {
    // 7 deployments in the 7 days [1 Jul, 8 Jul): exactly 1/day → high (elite needs > 1)
    await db.insert('deployments', Array.from({ length: 7 }, (_, i) => deployment({ at: `2026-07-0${i + 1}T10:00Z` })))
    await db.insert('changes', [change({ deployedAt: '2026-07-01T10:00Z', leadTimeSeconds: 86400 })]) // exactly 1 day → high
    // 20 deployments of 'steady', 3 failed: 3/20 = 15 % → elite
    await db.insert(
      'deployments',
      Array.from({ length: 20 }, (_, i) => deployment({ service: 'steady', at: `2026-07-0${(i % 7) + 1}T1${i % 10}:00Z`, failed: i < 3 })),
    )
    const a = await computeMetrics(db, cfg, { from: '2026-07-01', to: '2026-07-08' })
    const [checkout, steady] = a.rows
    expect(checkout?.deploymentsPerDay).toBe(1)
    expect(checkout?.tiers).toEqual({ deploymentFrequency: 'high', leadTime: 'high', timeToRestore: null, changeFailureRate: 'elite', overall: 'high' })
    expect(steady?.changeFailureRate).toBe(0.15)
    // 20 / 7 days ≈ 2.86/day → elite; CFR 15 % → elite; no lead time, no incidents → null
    expect(steady?.tiers).toEqual({ deploymentFrequency: 'elite', leadTime: null, timeToRestore: null, changeFailureRate: 'elite', overall: 'elite' })
  })

  it('uses the configured tier set', async () => {
    const strict = config({
      metrics: {
        tierSet: 'strict',
        tierSets: { strict: { deploymentFrequency: { elite: 10, high: 5, medium: 2 }, leadTime: { elite: 60, high: 120, medium: 180 }, timeToRestore: { elite: 60, high: 120, medium: 180 }, changeFailureRate: { elite: 0, high: 0.1, medium: 0.2 } } },
      },
    })
    await db.insert('deployments', [deployment({ at: '2026-07-01T01:00Z' }), deployment({ at: '2026-07-01T02:00Z' }), deployment({ at: '2026-07-01T03:00Z' })])
    // 3/day: >= 2 → medium under 'strict' (elite under the default set)
    const a = await computeMetrics(db, strict, JULY)
    expect(a.rows[0]?.tiers.deploymentFrequency).toBe('medium')
  })

  it('every row carries Quick Check scores from its own figures, and the answer the chosen benchmarks', async () => {
    // One day, 4 deployments (4/day < 24 → answer 5 → 8), 1 failed (CFR 25 % → 7.5), 2 rework (50 % → 5),
    // recovery 2 h (> 1 h → 8), lead times 30 min and 90 min (median 1 h → "≤ 1 h" → 10).
    await db.insert('deployments', [
      deployment({ at: '2026-07-01T01:00Z', failed: true, recoverySeconds: 7200 }),
      deployment({ at: '2026-07-01T02:00Z', rework: true }),
      deployment({ at: '2026-07-01T03:00Z', rework: true }),
      deployment({ at: '2026-07-01T04:00Z' }),
    ])
    await db.insert('changes', [change({ deployedAt: '2026-07-01T01:00Z', leadTimeSeconds: 1800 }), change({ deployedAt: '2026-07-01T02:00Z', leadTimeSeconds: 5400 })])
    const a = await computeMetrics(db, config({ metrics: { benchmark: { industry: 'technology', orgSize: 'fewer_than_500' } } }), JULY)
    expect(a.rows[0]?.scores).toEqual({ leadTime: 10, deploymentFrequency: 8, failedDeploymentRecovery: 8, changeFailure: 7.5, rework: 5, throughput: 26 / 3, stability: 6.25, overall: 38.5 / 5 })
    expect(a.benchmark.industry).toMatchObject({ key: 'technology', name: 'Technology' })
    expect(a.benchmark.orgSize).toMatchObject({ key: 'fewer_than_500', name: '100 to 499 employees' })
    expect(a.benchmark.industry.scores.leadTime).toEqual({ mean: 5.7, sd: 2.4 })
  })

  it('groupBy=authorClass (§16): share of changes, lead time per class, their deployments\' failure rate; excluded bots count as changes only', async () => {
    await db.insert('deployments', [
      deployment({ id: 'D1', at: '2026-07-01T01:00Z', failed: true }),
      deployment({ id: 'D2', at: '2026-07-01T02:00Z' }),
      deployment({ id: 'D3', at: '2026-07-01T03:00Z' }), // no changes: in no author-class row
    ])
    await db.insert('changes', [
      change({ deploymentId: 'D1', deployedAt: '2026-07-01T01:00Z', leadTimeSeconds: 3600, authorClass: 'human' }),
      change({ deploymentId: 'D1', deployedAt: '2026-07-01T01:00Z', leadTimeSeconds: 7200, authorClass: 'ai_assisted' }),
      change({ deploymentId: 'D2', deployedAt: '2026-07-01T02:00Z', leadTimeSeconds: 10800, authorClass: 'human' }),
      change({ deploymentId: 'D2', deployedAt: '2026-07-01T02:00Z', leadTimeSeconds: 600, authorClass: 'bot', inLeadTime: false }),
    ])
    const a = await computeMetrics(db, cfg, { ...JULY, groupBy: 'authorClass' })
    expect(a.rows.map((r) => [r.authorClass, r.changes, r.changeShare, r.leadTimeSeconds.count, r.leadTimeSeconds.median, r.deployments, r.failedDeployments, r.changeFailureRate, r.incidents])).toEqual([
      ['ai_assisted', 1, 1 / 4, 1, 7200, 1, 1, 1, 0], // D1 only, failed
      ['bot', 1, 1 / 4, 0, null, 1, 0, 0, 0], // its lead time left out (excludeBots); D2 not failed
      ['human', 2, 2 / 4, 2, 7200, 2, 1, 0.5, 0], // median of 3600 and 10800; D1 and D2
    ])
    expect(a.rows[0]).not.toHaveProperty('service')
    // grouped by service: the bot change is not in the lead time either: median of 3600, 7200, 10800
    const s = await computeMetrics(db, cfg, JULY)
    expect([s.rows[0]?.leadTimeSeconds.count, s.rows[0]?.leadTimeSeconds.median, s.rows[0]?.deployments]).toEqual([3, 7200, 3])
  })

  it('rejects an invalid query with a message naming the parameter', async () => {
    await expect(computeMetrics(db, cfg, { from: '2026-07-02', to: '2026-07-01' })).rejects.toThrow(/from: must be before to/)
    await expect(computeMetrics(db, cfg, { tz: 'Mars/Olympus' })).rejects.toThrow(/tz:/)
  })

  it('never pastes values into SQL: only fixed fragments and {name:Type} parameters', () => {
    const sql = renderSql('deployments', 'team', 'week')
    expect(sql).toContain('toMonday(deployed_at, {tz:String})')
    expect(sql).toContain('{from:DateTime64(3, \'UTC\')}')
    expect(sql).not.toContain('{{')
  })
})
