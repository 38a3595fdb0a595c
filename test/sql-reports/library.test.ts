import { readFileSync, readdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqlReportsRouter } from '../../api/sql-reports.ts'
import type { Db } from '../../clickhouse/client.ts'
import { parseParamFlags } from '../../cli/query.ts'
import { computeMetrics } from '../../queries/metrics.ts'
import { boundParams, formatReport, getReport, listReports, renderReadme, REPORTS_DIR, ReportParamError, resolveParams, runReport } from '../../queries/library.ts'
import { openReportsDb, PERIOD, REALISTIC_CONFIG, seedRealistic } from './seed.ts'

/**
 * The report library: the registry and its README, parameter validation, every
 * report on a realistic seeded data set (declared columns and types), the
 * figures that also exist in the metrics answer agree with it, and the HTTP route.
 */
describe('registry', () => {
  it('lists every .sql file, named after it', () => {
    const files = readdirSync(REPORTS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort()
    expect(listReports().map((r) => r.name)).toEqual(files)
    expect(files.length).toBeGreaterThanOrEqual(20)
  })

  it('declares exactly the parameters each statement binds, with the same types', () => {
    for (const r of listReports()) {
      expect(boundParams(r.body).sort((a, b) => a.name.localeCompare(b.name)), r.name).toEqual(
        r.params.map((p) => ({ name: p.name, type: p.type })).sort((a, b) => a.name.localeCompare(b.name)),
      )
      // no templating: the file runs as it is
      expect(r.sql, r.name).not.toMatch(/\{\{/)
      expect(r.columns.length, r.name).toBeGreaterThan(0)
      expect(new Set(r.columns.map((c) => c.name)).size, r.name).toBe(r.columns.length)
    }
  })

  it('queries/README.md is the registry rendered (run `npm run docs:queries`) and names every report', () => {
    const readme = readFileSync(join(REPORTS_DIR, '..', 'README.md'), 'utf8')
    expect(readme).toBe(renderReadme())
    for (const f of readdirSync(REPORTS_DIR).filter((x) => x.endsWith('.sql'))) expect(readme).toContain(`reports/${f}`)
  })

  it('covers the analytics of issue 4', () => {
    const names = listReports().map((r) => r.name)
    for (const n of ['incidents_by_priority', 'incidents_summary', 'incidents_open', 'incidents_deploy_correlation', 'incidents_hour_of_week', 'deployments_by_weekday', 'deployments_by_weekday_hour', 'deployments_batch_size', 'rollbacks', 'failed_attempts', 'lead_time_histogram', 'lead_time_pr_breakdown', 'lead_time_slowest', 'deployments_per_day', 'deployments_failed']) {
      expect(names).toContain(n)
    }
  })
})

describe('parameters', () => {
  const now = Date.parse('2026-10-15T10:00:00Z')
  const weekday = getReport('deployments_by_weekday')!

  it('fills defaults: to = now, from = midnight 90 days before in tz, timezones from the config', () => {
    const { bind, echo } = resolveParams(weekday, {}, { config: REALISTIC_CONFIG, now })
    expect(echo.to).toBe('2026-10-15T10:00:00.000Z')
    // metrics.timezone Europe/Berlin: 2026-07-17 00:00 CEST = 2026-07-16T22:00Z
    expect(echo.from).toBe('2026-07-16T22:00:00.000Z')
    expect(bind.from).toBe('2026-07-16 22:00:00.000')
    expect(bind).toMatchObject({ tz: 'Europe/Berlin', services: [], teams: [], service_names: ['checkout', 'api-eu', 'api-us'], service_tzs: ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo'] })
  })

  it('reads dates in tz, lists from repeated or comma-separated values, integers strictly', () => {
    const { bind } = resolveParams(weekday, { from: '2026-07-01', to: '2026-07-02T00:00:00Z', tz: 'america/new_york', services: ['checkout', 'api-eu'], teams: 'core,payments' }, { now })
    expect(bind).toMatchObject({ from: '2026-07-01 04:00:00.000', to: '2026-07-02 00:00:00.000', tz: 'America/New_York', services: ['checkout', 'api-eu'], teams: ['core', 'payments'] })
    expect(resolveParams(getReport('lead_time_slowest')!, { limit: '5', services: '["a,b"]' }, { now }).bind).toMatchObject({ limit: 5, services: ['a,b'] })
  })

  it('rejects unknown parameters, bad values and from >= to, naming each parameter', () => {
    const err = (raw: Record<string, string>, r = weekday) => {
      try {
        resolveParams(r, raw, { now })
      } catch (e) {
        expect(e).toBeInstanceOf(ReportParamError)
        return (e as ReportParamError).issues.map((i) => i.parameter).sort()
      }
      throw new Error('accepted')
    }
    expect(err({ bogus: '1', from: 'yesterday', tz: 'Mars/Base' })).toEqual(['bogus', 'from', 'tz'])
    expect(err({ from: '2026-08-01', to: '2026-07-01' })).toEqual(['from'])
    expect(err({ limit: '-1' }, getReport('lead_time_slowest')!)).toEqual(['limit'])
    expect(err({ group_by: 'repo' }, getReport('dora_summary')!)).toEqual(['group_by'])
    expect(err({ service_tzs: 'Europe/Berlin,Nowhere/Land' })).toEqual(['service_tzs'])
  })

  it('--param flags: NAME=VALUE, a repeated name makes a list', () => {
    expect(parseParamFlags(['from=2026-07-01', 'services=a', 'services=b', 'x=a=b'])).toEqual({ from: '2026-07-01', services: ['a', 'b'], x: 'a=b' })
    expect(() => parseParamFlags(['nope'])).toThrow(ReportParamError)
  })
})

describe('every report on a realistic data set', () => {
  let db: Db
  beforeAll(async () => {
    db = await openReportsDb()
    await seedRealistic(db)
  })
  afterAll(async () => {
    await db?.close()
  })

  const ctx = { config: REALISTIC_CONFIG, now: Date.parse('2026-08-01T00:00:00Z') }
  const periodOf = (name: string) => (getReport(name)!.params.some((p) => p.name === 'from') ? PERIOD : {})

  for (const r of listReports()) {
    it(`${r.name}: runs with its declared parameters and returns its declared columns and types`, async () => {
      const res = await runReport(db, r.name, periodOf(r.name), ctx)
      expect(res.rows.length, 'rows').toBeGreaterThan(0)
      for (const row of res.rows) expect(Object.keys(row)).toEqual(r.columns.map((c) => c.name))
      const { bind } = resolveParams(r, periodOf(r.name), ctx)
      const described = await db.query<{ name: string; type: string }>(`DESCRIBE TABLE (${r.body})`, bind)
      expect(described.map((c) => [c.name, c.type])).toEqual(r.columns.map((c) => [c.name, c.type]))
      // the three formats render
      expect(formatReport(res, 'table').split('\n').length).toBeGreaterThan(2)
      expect(formatReport(res, 'csv').split('\n')[0]).toBe(r.columns.map((c) => c.name).join(','))
      expect(JSON.parse(formatReport(res, 'json')).rows).toHaveLength(res.rows.length)
    })
  }

  it('releases_summary, recovery_paths and rollouts_summary agree with the metrics answer', async () => {
    const m = await computeMetrics(db, REALISTIC_CONFIG, { ...PERIOD, groupBy: 'service' })
    const rel = await runReport(db, 'releases_summary', { ...PERIOD, group_by: 'service' }, ctx)
    expect(rel.rows.length).toBeGreaterThan(0)
    for (const rr of rel.rows) {
      const mr = m.rows.find((x) => x.service === rr.service)!
      expect(rr).toMatchObject({ releases: mr.release.releases, full_releases: mr.release.fullReleases, kill_switches: mr.release.killSwitches, rollout_median_seconds: mr.release.rolloutSeconds.median })
    }
    // A service filter with one row for everything (the SELECT aliases must not shadow the filtered columns).
    const one = await runReport(db, 'releases_summary', { ...PERIOD, group_by: 'none', services: ['checkout'] }, ctx)
    expect(one.rows).toHaveLength(1)
    expect(one.rows[0]).toMatchObject({ service: '', releases: m.rows.find((x) => x.service === 'checkout')!.release.releases })
    expect((m.rows.find((x) => x.service === 'checkout')!.release.releases)).toBeGreaterThan(0)
    const paths = await runReport(db, 'recovery_paths', { ...PERIOD, group_by: 'service' }, ctx)
    for (const pr of paths.rows) {
      const stats = m.rows.find((x) => x.service === pr.service)!.recoveryByPath[pr.path as 'rollback']
      expect(pr).toMatchObject({ failed_deployments: stats.count, recovery_median_seconds: stats.median })
    }
    const ro = await runReport(db, 'rollouts_summary', { ...PERIOD, group_by: 'service' }, ctx)
    // Aborts are counted at the abort, rollouts at their start: equal here, the seed's rollouts start and end in the period.
    for (const r of ro.rows) expect(r.canary_aborts).toBe(m.rows.find((x) => x.service === r.service)?.canaryAborts ?? 0)
  })

  it('dora_summary agrees with the metrics answer (GET /api/v1/metrics) for every grouping', async () => {
    for (const groupBy of ['service', 'team', 'none'] as const) {
      const all = await computeMetrics(db, REALISTIC_CONFIG, { ...PERIOD, groupBy })
      // The answer also has rows for groups with only release figures (a flag's service, METRICS.md §12): dora_summary has the DORA ones.
      const m = { rows: all.rows.filter((x) => x.deployments + x.incidents + x.failedAttempts + x.leadTimeSeconds.count > 0) }
      const r = await runReport(db, 'dora_summary', { ...PERIOD, group_by: groupBy }, ctx)
      expect(r.rows.length).toBe(m.rows.length)
      m.rows.forEach((mr, i) => {
        const rr = r.rows[i]!
        expect(rr.service, groupBy).toBe(mr.service ?? '')
        expect(rr.team).toBe(mr.team ?? '')
        expect(rr).toMatchObject({
          deployments: mr.deployments,
          deployments_per_day: mr.deploymentsPerDay,
          failed_attempts: mr.failedAttempts,
          lead_time_count: mr.leadTimeSeconds.count,
          lead_time_median_seconds: mr.leadTimeSeconds.median,
          lead_time_p90_seconds: mr.leadTimeSeconds.p90,
          failed_deployments: mr.failedDeployments,
          change_failure_rate: mr.changeFailureRate,
          incidents: mr.incidents,
          time_to_restore_count: mr.timeToRestoreSeconds.count,
          time_to_restore_median_seconds: mr.timeToRestoreSeconds.median,
          time_to_restore_p90_seconds: mr.timeToRestoreSeconds.p90,
          recovery_count: mr.failedDeploymentRecoverySeconds.count,
          recovery_median_seconds: mr.failedDeploymentRecoverySeconds.median,
          rework_deployments: mr.reworkDeployments,
          rework_rate: mr.reworkRate,
        })
        for (const [a, b] of [[rr.lead_time_mean_seconds, mr.leadTimeSeconds.mean], [rr.time_to_restore_mean_seconds, mr.timeToRestoreSeconds.mean], [rr.recovery_mean_seconds, mr.failedDeploymentRecoverySeconds.mean]] as const) {
          if (b === null) expect(a).toBeNull()
          else expect(a as number).toBeCloseTo(b, 6)
        }
      })
    }
  })

  it('dora_trend agrees with the bucketed metrics answer (weeks and days in a non-UTC timezone, cut buckets)', async () => {
    for (const bucket of ['week', 'day'] as const) {
      const q = { from: '2026-06-30T13:00:00Z', to: '2026-07-09T05:00:00Z', tz: 'Asia/Kolkata', groupBy: 'service' as const, bucket }
      const m = await computeMetrics(db, REALISTIC_CONFIG, q)
      const r = await runReport(db, 'dora_trend', { from: q.from, to: q.to, tz: q.tz, bucket, group_by: 'service' }, ctx)
      // the metrics answer fills empty buckets with zeros; the report omits them
      const filled = m.rows.filter((x) => x.deployments + x.incidents + x.failedAttempts + x.leadTimeSeconds.count > 0)
      const key = (s: unknown, b: unknown) => `${String(s)}|${String(b)}`
      const byKey = new Map(r.rows.map((x) => [key(x.service, x.bucket_start), x]))
      expect(r.rows.length).toBe(filled.length)
      for (const mr of filled) {
        const rr = byKey.get(key(mr.service, mr.bucketStart))
        expect(rr, key(mr.service, mr.bucketStart)).toBeDefined()
        expect(rr).toMatchObject({
          deployments: mr.deployments,
          deployments_per_day: mr.deploymentsPerDay,
          change_failure_rate: mr.changeFailureRate,
          lead_time_median_seconds: mr.leadTimeSeconds.median,
          time_to_restore_median_seconds: mr.timeToRestoreSeconds.median,
          recovery_median_seconds: mr.failedDeploymentRecoverySeconds.median,
          rework_rate: mr.reworkRate,
          failed_attempts: mr.failedAttempts,
          incidents: mr.incidents,
        })
      }
    }
  })

  it('the incident and deployment breakdowns add up to the summary figures', async () => {
    const summary = (await runReport(db, 'dora_summary', { ...PERIOD, group_by: 'none' }, ctx)).rows[0]!
    const incidents = (await runReport(db, 'incidents_summary', { ...PERIOD, group_by: 'none' }, ctx)).rows[0]!
    expect(incidents.incidents).toBe(summary.incidents)
    expect(incidents.deployments).toBe(summary.deployments)
    expect(incidents.time_to_restore_median_seconds).toBe(summary.time_to_restore_median_seconds)
    const sum = (rows: Record<string, unknown>[], c: string) => rows.reduce((a, x) => a + Number(x[c] ?? 0), 0)
    const corr = (await runReport(db, 'incidents_deploy_correlation', PERIOD, ctx)).rows
    expect(sum(corr, 'incidents')).toBe(summary.incidents)
    expect(sum(corr.filter((x) => x.link_kind !== 'none'), 'incidents')).toBe(incidents.deploy_correlated)
    expect(sum((await runReport(db, 'incidents_by_priority', PERIOD, ctx)).rows, 'incidents')).toBe(summary.incidents)
    expect(sum((await runReport(db, 'incidents_hour_of_week', PERIOD, ctx)).rows, 'incidents')).toBe(summary.incidents)
    for (const name of ['deployments_by_weekday', 'deployments_by_weekday_hour', 'deployments_batch_size', 'deployments_per_day']) {
      const rows = (await runReport(db, name, PERIOD, ctx)).rows
      expect(sum(rows, 'deployments'), name).toBe(summary.deployments)
      expect(sum(rows, 'failed_deployments'), name).toBe(summary.failed_deployments)
    }
    expect(sum((await runReport(db, 'lead_time_histogram', PERIOD, ctx)).rows, 'changes')).toBe(summary.lead_time_count)
    expect(sum((await runReport(db, 'failed_attempts', PERIOD, ctx)).rows, 'failed_attempts')).toBe(summary.failed_attempts)
    const failed = (await runReport(db, 'deployments_failed', { ...PERIOD, limit: '5000' }, ctx)).rows
    expect(failed.length).toBe(summary.failed_deployments)
    const trend = (await runReport(db, 'incidents_trend', { ...PERIOD, bucket: 'month', tz: 'UTC' }, ctx)).rows
    const dtrend = (await runReport(db, 'dora_trend', { ...PERIOD, bucket: 'month', tz: 'UTC' }, ctx)).rows
    expect(trend.map((x) => x.time_to_restore_median_seconds)).toEqual(dtrend.filter((x) => Number(x.incidents) > 0).map((x) => x.time_to_restore_median_seconds))
  })

  describe('GET /api/v1/reports', () => {
    let url: string
    let close: () => void
    beforeAll(async () => {
      const app = express()
      app.use(createSqlReportsRouter({ config: { ...REALISTIC_CONFIG, api: { tokens: ['s3cret'] } }, db }))
      const server = app.listen(0)
      await new Promise((r) => server.once('listening', r))
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      close = () => server.close()
    })
    afterAll(() => close?.())
    const auth = { authorization: 'Bearer s3cret' }

    it('lists the reports, needs the token', async () => {
      expect((await fetch(`${url}/api/v1/reports`)).status).toBe(401)
      const body = (await (await fetch(`${url}/api/v1/reports`, { headers: auth })).json()) as { reports: { name: string; params: unknown[]; columns: unknown[] }[] }
      expect(body.reports.map((r) => r.name)).toEqual(listReports().map((r) => r.name))
    })

    it('runs one with query parameters (repeated keys make a list), the same rows as the library', async () => {
      const res = await fetch(`${url}/api/v1/reports/incidents_summary?from=2026-06-01T00:00:00Z&to=2026-08-01T00:00:00Z&group_by=service&services=checkout&services=api-eu`, { headers: auth })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { report: string; params: Record<string, unknown>; rows: Record<string, unknown>[] }
      expect(body.report).toBe('incidents_summary')
      expect(body.params.services).toEqual(['checkout', 'api-eu'])
      const direct = await runReport(db, 'incidents_summary', { ...PERIOD, group_by: 'service', services: ['checkout', 'api-eu'] }, ctx)
      expect(body.rows).toEqual(direct.rows)
      expect(new Set(body.rows.map((r) => r.service))).toEqual(new Set(['checkout', 'api-eu']))
    })

    it('400 with one issue per bad parameter; an unknown name is passed on (404 from the app)', async () => {
      const bad = await fetch(`${url}/api/v1/reports/rollbacks?from=soon&limit=x&nope=1`, { headers: auth })
      expect(bad.status).toBe(400)
      const body = (await bad.json()) as { issues: { parameter: string }[] }
      expect(body.issues.map((i) => i.parameter).sort()).toEqual(['from', 'limit', 'nope'])
      expect((await fetch(`${url}/api/v1/reports/no_such_report`, { headers: auth })).status).toBe(404)
    })
  })
})
