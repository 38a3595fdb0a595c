import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chTime, type Db } from '../../clickhouse/client.ts'
import { parseConfig } from '../../config/load.ts'
import { runReport } from '../../queries/library.ts'
import { openReportsDb } from './seed.ts'

/**
 * Hand-made rows in the derived tables, every expected value worked out by
 * hand in a comment: MTTA and time to resolve by priority, reopen rate, deploy
 * correlation, weekday/hour in the services' timezones across DST changes,
 * rollback time, batch size, lead time classes.
 */
let db: Db
const t = (iso: string) => chTime(Date.parse(iso))
const config = parseConfig({
  services: [
    { name: 'berlin-svc', team: 'web', timezone: 'Europe/Berlin' },
    { name: 'ny-svc', team: 'web', timezone: 'America/New_York' },
    { name: 'checkout', team: 'payments', timezone: 'Europe/Berlin' },
  ],
})
const ctx = { config, now: Date.parse('2026-12-01T00:00:00Z') }

function dep(o: { id: string; service: string; team?: string; at: string; failed?: boolean; causes?: string[]; rollback?: boolean; previous?: string; version?: string; changes?: number; incidents?: string[] }) {
  return {
    id: o.id, service: o.service, team: o.team ?? 'web', origin: 'generic', repo: null, environment: 'production',
    version: o.version ?? o.id, sha: null, artifact: o.version ?? o.id, deployed_at: t(o.at), url: null, previous_id: o.previous ?? null,
    is_rollback: o.rollback ? 1 : 0, failed: o.failed ? 1 : 0, failure_causes: o.causes ?? (o.failed ? ['window:x'] : []),
    rework: o.rollback ? 1 : 0, rework_causes: o.rollback ? ['rollback'] : [], recovered_at: null, recovery_seconds: null,
    change_count: o.changes ?? 0, incident_ids: o.incidents ?? [],
  }
}

function inc(o: { id: string; service?: string; team?: string; at: string; ack?: number | null; resolve?: number | null; priority?: string | null; urgency?: string | null; reopens?: number; link?: 'explicit' | 'window' | 'none' }) {
  const start = Date.parse(o.at)
  const ack = o.ack ?? null
  const res = o.resolve ?? null
  return {
    id: o.id, service: o.service ?? 'checkout', team: o.team ?? 'payments', origin: 'pagerduty', title: o.id, url: null,
    started_at: t(o.at), acknowledged_at: ack === null ? null : chTime(start + ack * 1000), resolved_at: res === null ? null : chTime(start + res * 1000),
    restore_seconds: res, acknowledge_seconds: ack, urgency: o.urgency ?? null, priority: o.priority ?? null,
    status: res === null ? 'open' : 'resolved', reopen_count: o.reopens ?? 0, link_kind: o.link ?? 'none', deployment_ids: [],
  }
}

beforeAll(async () => {
  db = await openReportsDb()
  await db.insert('incidents', [
    inc({ id: 'i1', at: '2026-07-01T10:00:00Z', ack: 120, resolve: 3600, priority: 'P1', urgency: 'high', link: 'explicit' }),
    inc({ id: 'i2', at: '2026-07-02T10:00:00Z', ack: 300, resolve: 7200, priority: 'P1', urgency: 'high', reopens: 1, link: 'window' }),
    inc({ id: 'i3', at: '2026-07-03T10:00:00Z', ack: 600, resolve: null, priority: 'P1', urgency: 'high' }),
    inc({ id: 'i4', at: '2026-07-04T10:00:00Z', ack: null, resolve: 1800, priority: 'P2', urgency: 'low' }),
    inc({ id: 'i5', service: 'api', team: 'core', at: '2026-07-05T10:00:00Z', ack: 60, resolve: 600, reopens: 2 }),
    inc({ id: 'i0', at: '2026-06-30T23:59:59.999Z', ack: 1, resolve: 1, priority: 'P1', urgency: 'high' }), // before the period
  ])
  await db.insert('deployments', [
    // July: 4 deployments of checkout, 1 of api → incidents per 100 deployments
    ...['2026-07-01T09:00:00Z', '2026-07-02T09:00:00Z', '2026-07-03T09:00:00Z', '2026-07-04T09:00:00Z'].map((at, i) => dep({ id: `c${i}`, service: 'checkout', team: 'payments', at })),
    dep({ id: 'a0', service: 'api', team: 'core', at: '2026-07-05T09:00:00Z' }),
    // March, around the European (29 Mar) and US (8 Mar) DST changes
    dep({ id: 'd1', service: 'berlin-svc', at: '2026-03-27T23:30:00Z', failed: true }), // Sat 00:30 CET
    dep({ id: 'd2', service: 'berlin-svc', at: '2026-03-29T22:30:00Z' }), // Mon 00:30 CEST (Sun 23:30 if +1 were used)
    dep({ id: 'd3', service: 'berlin-svc', at: '2026-03-30T22:30:00Z', failed: true }), // Tue 00:30 CEST
    dep({ id: 'd4', service: 'berlin-svc', at: '2026-03-27T12:00:00Z' }), // Fri 13:00 CET
    dep({ id: 'd5', service: 'berlin-svc', at: '2026-03-27T21:30:00Z', failed: true }), // Fri 22:30 CET
    dep({ id: 'd6', service: 'utc-svc', at: '2026-03-27T23:30:00Z' }), // not configured: tz param (UTC) → Fri 23:30
    dep({ id: 'd7', service: 'ny-svc', at: '2026-03-28T03:30:00Z', failed: true }), // Fri 23:30 EDT
    // May: a bad deploy rolled back 45 min 30 s later
    dep({ id: 'r1', service: 'roll', at: '2026-05-01T10:00:00Z', version: 'A', changes: 5 }),
    dep({ id: 'r2', service: 'roll', at: '2026-05-01T12:00:00Z', version: 'B', changes: 2, failed: true, causes: ['rollback:r3'], previous: 'r1', incidents: [] }),
    dep({ id: 'r3', service: 'roll', at: '2026-05-01T12:45:30Z', version: 'A', rollback: true, previous: 'r2' }),
  ])
  await db.insert('changes', [3599, 3600, 86399, 86400, 2592000, -5].map((lt, i) => ({
    service: 'roll', team: 'web', deployment_id: 'r1', deployed_at: t('2026-05-01T10:00:00Z'), repo: 'acme/roll', sha: `s${i}`,
    committed_at: chTime(Date.parse('2026-05-01T10:00:00Z') - lt * 1000), lead_time_seconds: lt, message: `change ${i}\nbody`, url: null, author: 'dev',
  })))
})
afterAll(async () => {
  await db?.close()
})

const JULY = { from: '2026-07-01', to: '2026-08-01' }

describe('incident analytics', () => {
  it('MTTA and time to resolve by priority and urgency', async () => {
    const { rows } = await runReport(db, 'incidents_by_priority', { from: JULY.from, to: JULY.to }, { now: ctx.now })
    expect(rows).toEqual([
      // i5: no priority; ack 60, resolved in 600
      { priority: '(none)', urgency: '(none)', incidents: 1, acknowledged: 1, mtta_median_seconds: 60, mtta_p90_seconds: 60, mtta_mean_seconds: 60, resolved: 1, time_to_resolve_median_seconds: 600, time_to_resolve_p90_seconds: 600, time_to_resolve_mean_seconds: 600 },
      // i1–i3: acks 120, 300, 600 → median 300; p90 rank 0.9·2 = 1.8 → 300 + 0.8·300 = 540; mean 1020/3 = 340.
      // resolved i1, i2 (i3 open): 3600, 7200 → median 5400; p90 3600 + 0.9·3600 = 6840; mean 5400. i0 is before the period.
      { priority: 'P1', urgency: 'high', incidents: 3, acknowledged: 3, mtta_median_seconds: 300, mtta_p90_seconds: 540, mtta_mean_seconds: 340, resolved: 2, time_to_resolve_median_seconds: 5400, time_to_resolve_p90_seconds: 6840, time_to_resolve_mean_seconds: 5400 },
      // i4: never acknowledged → MTTA null; resolved in 1800
      { priority: 'P2', urgency: 'low', incidents: 1, acknowledged: 0, mtta_median_seconds: null, mtta_p90_seconds: null, mtta_mean_seconds: null, resolved: 1, time_to_resolve_median_seconds: 1800, time_to_resolve_p90_seconds: 1800, time_to_resolve_mean_seconds: 1800 },
    ])
  })

  it('reopen rate, open incidents, deploy correlation and incidents per 100 deployments, per service and overall', async () => {
    const all = (await runReport(db, 'incidents_summary', { ...JULY, group_by: 'none' }, ctx)).rows
    // 5 incidents; reopened i2, i5 → 2/5; open i3; explicit i1 + window i2 → 2/5; 5 deployments → 100·5/5 = 100
    expect(all).toEqual([expect.objectContaining({ service: '', team: '', incidents: 5, open_incidents: 1, reopened_incidents: 2, reopen_rate: 0.4, acknowledged: 4, deploy_correlated: 2, deploy_correlated_share: 0.4, deployments: 5, incidents_per_100_deployments: 100 })])
    // acks 60,120,300,600 → median (120+300)/2 = 210; resolved 600,1800,3600,7200 → median (1800+3600)/2 = 2700
    expect(all[0]).toMatchObject({ mtta_median_seconds: 210, time_to_restore_median_seconds: 2700 })
    const bySvc = (await runReport(db, 'incidents_summary', { ...JULY, group_by: 'service' }, ctx)).rows
    // api: 1 incident, reopened → 1.0, 1 deployment → 100; checkout: 4 incidents, 1 reopened → 0.25, 4 deployments → 100
    expect(bySvc.map((r) => [r.service, r.incidents, r.reopen_rate, r.incidents_per_100_deployments])).toEqual([['api', 1, 1, 100], ['checkout', 4, 0.25, 100]])
    const corr = (await runReport(db, 'incidents_deploy_correlation', JULY, ctx)).rows
    expect(corr.map((r) => [r.link_kind, r.incidents, r.share])).toEqual([['explicit', 1, 0.2], ['window', 1, 0.2], ['none', 3, 0.6]])
    const open = (await runReport(db, 'incidents_open', {}, ctx)).rows
    expect(open.map((r) => r.id)).toEqual(['i3'])
  })

  it('hour of week in each service\'s timezone', async () => {
    const { rows } = await runReport(db, 'incidents_hour_of_week', { ...JULY, tz: 'UTC' }, ctx)
    const hits = rows.filter((r) => Number(r.incidents) > 0).map((r) => `${r.weekday_name} ${r.hour}h ${r.incidents}`)
    // checkout in Europe/Berlin (CEST, +2): 10:00Z → 12h, Wed 1 … Sat 4 July; api is not configured → tz UTC: Sun 5 July 10h
    expect(hits).toEqual(['Wed 12h 1', 'Thu 12h 1', 'Fri 12h 1', 'Sat 12h 1', 'Sun 10h 1'])
    expect(rows).toHaveLength(168)
  })
})

describe('release-practice analytics', () => {
  const MARCH = { from: '2026-03-01', to: '2026-04-30', tz: 'UTC' }

  it('deployments and change failure rate by weekday in the services\' timezones across DST', async () => {
    const { rows } = await runReport(db, 'deployments_by_weekday', MARCH, ctx)
    // Fri: d4 (ok), d5 (failed), d6 (ok, UTC), d7 (failed, New York) → 4, 2, 0.5
    // Sat: d1 (failed; 23:30Z Friday is Saturday in Berlin) → 1, 1, 1
    // Mon: d2 (22:30Z Sunday is Monday 00:30 in CEST) → 1, 0, 0; Tue: d3 → 1, 1, 1
    expect(rows.map((r) => [r.weekday_name, r.deployments, r.failed_deployments, r.change_failure_rate])).toEqual([
      ['Mon', 1, 0, 0], ['Tue', 1, 1, 1], ['Wed', 0, 0, null], ['Thu', 0, 0, null], ['Fri', 4, 2, 0.5], ['Sat', 1, 1, 1], ['Sun', 0, 0, null],
    ])
    // all in UTC instead (no service timezones): d1, d6 Fri 23:30; d2 Sun 22:30; d3 Mon; d7 Sat 03:30
    const utc = (await runReport(db, 'deployments_by_weekday', { ...MARCH, service_names: '[]', service_tzs: '[]' }, ctx)).rows
    expect(utc.map((r) => r.deployments)).toEqual([1, 0, 0, 0, 4, 1, 1])
  })

  it('by weekday and hour', async () => {
    const { rows } = await runReport(db, 'deployments_by_weekday_hour', MARCH, ctx)
    const hits = rows.filter((r) => Number(r.deployments) > 0).map((r) => `${r.weekday_name} ${r.hour}h ${r.deployments}/${r.failed_deployments}`)
    expect(hits).toEqual(['Mon 0h 1/0', 'Tue 0h 1/1', 'Fri 13h 1/0', 'Fri 22h 1/1', 'Fri 23h 2/1', 'Sat 0h 1/1'])
  })

  it('rollbacks: how many, and how long after the bad deploy', async () => {
    const MAY = { from: '2026-05-01', to: '2026-06-01' }
    const { rows } = await runReport(db, 'rollbacks', MAY, ctx)
    // r3 undoes r2: 12:45:30 − 12:00:00 = 2730 s
    expect(rows).toEqual([expect.objectContaining({ rollback_id: 'r3', bad_deployment_id: 'r2', bad_version: 'B', rollback_version: 'A', rolled_back_at: '2026-05-01T12:45:30.000Z', bad_deployed_at: '2026-05-01T12:00:00.000Z', time_to_rollback_seconds: 2730 })])
    const sum = (await runReport(db, 'rollbacks_summary', { ...MAY, group_by: 'service' }, ctx)).rows
    expect(sum).toEqual([{ service: 'roll', team: 'web', deployments: 3, rollbacks: 1, rollback_rate: 1 / 3, time_to_rollback_median_seconds: 2730, time_to_rollback_p90_seconds: 2730, time_to_rollback_max_seconds: 2730 }])
    const failed = (await runReport(db, 'deployments_failed', MAY, ctx)).rows
    expect(failed.map((r) => [r.id, r.cause_kinds, r.rolled_back_by])).toEqual([['r2', ['rollback'], 'r3']])
  })

  it('batch size against failure', async () => {
    const { rows } = await runReport(db, 'deployments_batch_size', { from: '2026-05-01', to: '2026-06-01' }, ctx)
    // r3: 0 changes; r2: 2 (failed); r1: 5
    expect(rows.map((r) => [r.batch_size, r.deployments, r.failed_deployments, r.change_failure_rate, r.changes])).toEqual([
      ['0', 1, 0, 0, 0], ['1', 0, 0, null, 0], ['2-3', 1, 1, 1, 2], ['4-7', 1, 0, 0, 5], ['8-15', 0, 0, null, 0], ['16+', 0, 0, null, 0],
    ])
  })
})

describe('lead time', () => {
  it('classes are half-open at their bounds; negative lead times count as 0', async () => {
    const { rows } = await runReport(db, 'lead_time_histogram', { from: '2026-05-01', to: '2026-06-01' }, ctx)
    // -5 → 0 and 3599 → < 1h; 3600 → 1-4h; 86399 → 12-24h; 86400 → 1-2d; 2592000 → >= 30d
    expect(rows.map((r) => [r.lead_time, r.changes])).toEqual([['< 1h', 2], ['1-4h', 1], ['4-12h', 0], ['12-24h', 1], ['1-2d', 1], ['2-7d', 0], ['7-30d', 0], ['>= 30d', 1]])
    expect(rows.map((r) => r.cumulative_share)).toEqual([2 / 6, 3 / 6, 3 / 6, 4 / 6, 5 / 6, 5 / 6, 5 / 6, 1])
    const slow = (await runReport(db, 'lead_time_slowest', { from: '2026-05-01', to: '2026-06-01', limit: '2' }, ctx)).rows
    expect(slow.map((r) => [r.sha, r.lead_time_seconds, r.message])).toEqual([['s4', 2592000, 'change 4'], ['s3', 86400, 'change 3']])
  })
})
