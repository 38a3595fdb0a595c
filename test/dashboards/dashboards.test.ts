import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../clickhouse/client.ts'
import { allDashboards, renderDashboard } from '../../dashboards/src/index.ts'
import { DATASOURCE, type Panel } from '../../dashboards/src/lib.ts'
import { openReportsDb, seedRealistic } from '../sql-reports/seed.ts'
import { applyConditionalAll, applyMacros, expandPanelSql, replaceVariables, variablesUsed, type VariableState } from './expand.ts'

/**
 * The Grafana dashboards: generated JSON equals the checked-in files; ids,
 * uids, datasource references and variables are consistent; and every panel's
 * SQL, expanded as Grafana and the ClickHouse plugin expand it, runs on the
 * embedded engine over a realistic seeded data set and returns the columns its
 * panel type needs.
 */
const DIR = join(import.meta.dirname, '..', '..', 'dashboards')
const dashboards = allDashboards()
const queryPanels = (ps: Panel[]) => ps.filter((p) => p.type !== 'row' && p.type !== 'text')

describe('generated dashboards', () => {
  it('the checked-in JSON is the generator output (run `npm run dashboards`)', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
    expect(files).toEqual(dashboards.map((d) => d.file).sort())
    for (const { file, dashboard } of dashboards) expect(readFileSync(join(DIR, file), 'utf8'), file).toBe(renderDashboard(dashboard))
  })

  it('uids are unique across dashboards, panel ids and grid positions within one', () => {
    const uids = dashboards.map((d) => d.dashboard.uid)
    expect(new Set(uids).size).toBe(uids.length)
    for (const { dashboard } of dashboards) {
      const ids = dashboard.panels.map((p) => p.id)
      expect(new Set(ids).size, dashboard.uid).toBe(ids.length)
      // no two panels overlap on the 24-column grid
      const cells = new Set<string>()
      for (const p of dashboard.panels) {
        expect(p.gridPos.x + p.gridPos.w, `${dashboard.uid}/${p.title}`).toBeLessThanOrEqual(24)
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
          for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
            const k = `${x},${y}`
            expect(cells.has(k), `${dashboard.uid}/${p.title} overlaps at ${k}`).toBe(false)
            cells.add(k)
          }
      }
    }
  })

  it('every datasource reference is the provisioned ClickHouse datasource', () => {
    const prov = parseYaml(readFileSync(join(DIR, 'provisioning', 'datasources', 'clickhouse.yaml'), 'utf8')) as { datasources: { uid: string; type: string }[] }
    expect(prov.datasources).toHaveLength(1)
    expect(prov.datasources[0]).toMatchObject({ uid: DATASOURCE.uid, type: 'grafana-clickhouse-datasource' })
    for (const { dashboard } of dashboards) {
      const text = JSON.stringify(dashboard)
      const refs = [...text.matchAll(/"datasource":(\{[^}]*\})/g)].map((m) => JSON.parse(m[1]!))
      expect(refs.length).toBeGreaterThan(0)
      for (const r of refs) expect(r).toEqual({ type: 'grafana-clickhouse-datasource', uid: prov.datasources[0]!.uid })
      for (const p of queryPanels(dashboard.panels)) {
        expect(p.datasource).toEqual(DATASOURCE)
        expect(p.targets?.length).toBe(1)
        for (const t of p.targets ?? []) expect(t.datasource).toEqual(DATASOURCE)
      }
    }
    const provider = parseYaml(readFileSync(join(DIR, 'provisioning', 'dashboards', 'doraflow.yaml'), 'utf8')) as { providers: { type: string; options: { path: string } }[] }
    expect(provider.providers[0]).toMatchObject({ type: 'file' })
  })

  it('every variable a query uses is defined, and defined before the variables that use it', () => {
    for (const { dashboard } of dashboards) {
      const defined = dashboard.templating.list.map((v) => v.name)
      expect(new Set(defined).size).toBe(defined.length)
      for (const p of queryPanels(dashboard.panels)) {
        for (const t of p.targets ?? []) for (const v of variablesUsed(t.rawSql)) expect(defined, `${dashboard.uid}/${p.title} uses $${v}`).toContain(v)
      }
      for (const a of dashboard.annotations.list) for (const v of variablesUsed(a.target.rawSql)) expect(defined, `${dashboard.uid}/annotation ${a.name} uses $${v}`).toContain(v)
      dashboard.templating.list.forEach((v, i) => {
        for (const u of variablesUsed(v.query)) expect(defined.slice(0, i), `variable ${v.name} uses $${u}`).toContain(u)
      })
    }
  })

  it('has the panels the issue asks for', () => {
    const titles = (uid: string) => dashboards.find((d) => d.dashboard.uid === uid)!.dashboard.panels.map((p) => p.title).join('\n')
    expect(titles('doraflow-overview')).toMatch(/Deployment frequency[\s\S]*Lead time[\s\S]*Change failure rate[\s\S]*Time to restore[\s\S]*recovery[\s\S]*Tiers/)
    expect(titles('doraflow-lead-time')).toMatch(/distribution[\s\S]*opened → merged → deployed[\s\S]*Slowest changes/)
    expect(titles('doraflow-deployments')).toMatch(/per day[\s\S]*Why deployments failed[\s\S]*Rollbacks[\s\S]*Batch size[\s\S]*weekday[\s\S]*hour/)
    expect(titles('doraflow-incidents')).toMatch(/Open incidents now[\s\S]*MTTA[\s\S]*Reopen rate[\s\S]*priority and urgency[\s\S]*By service[\s\S]*Deploy-correlated[\s\S]*weekday and hour/)
  })
})

describe('macro and variable expansion (as the plugin does it)', () => {
  const vars: Record<string, VariableState> = {
    team: { value: ['$__all'], options: ['core', "o'brien"] },
    service: { value: ['checkout', 'api-eu'], options: ['checkout', 'api-eu', 'api-us'] },
    tz: { value: 'Europe/Berlin', options: ['UTC', 'Europe/Berlin'] },
  }
  it('$__conditionalAll: 1=1 for All, the condition otherwise', () => {
    expect(applyConditionalAll('WHERE $__conditionalAll(team IN (${team:singlequote}), $team) AND $__conditionalAll(service IN (${service:singlequote}), ${service})', vars)).toBe(
      'WHERE 1=1 AND service IN (${service:singlequote})',
    )
  })
  it('variables: singlequote escapes, All expands to every option, plain multi-value is quoted by the plugin', () => {
    expect(replaceVariables('[${team:singlequote}] ${service:singlequote} ${tz:singlequote} $tz ${service}', vars)).toBe(
      "['core','o\\'brien'] 'checkout','api-eu' 'Europe/Berlin' Europe/Berlin 'checkout','api-eu'",
    )
  })
  it('time macros as pkg/macros writes them', () => {
    const ctx = { fromMs: 1_782_864_000_123, toMs: 1_782_950_400_456, intervalMs: 3_600_000 }
    expect(applyMacros('$__timeFilter(at) $__fromTime $__toTime $__fromTime_ms $__interval_s $__timeInterval(at)', ctx)).toBe(
      'at >= toDateTime(1782864000) AND at <= toDateTime(1782950400) toDateTime(1782864000) toDateTime(1782950400) fromUnixTimestamp64Milli(1782864000123) 3600 toStartOfInterval(toDateTime(at), INTERVAL 3600 second)',
    )
  })
})

describe('every panel query on the seeded database', () => {
  let db: Db
  beforeAll(async () => {
    db = await openReportsDb()
    await seedRealistic(db)
  })
  afterAll(async () => {
    await db?.close()
  })

  const RANGE = { fromMs: Date.parse('2026-06-01T00:00:00Z'), toMs: Date.parse('2026-08-01T00:00:00Z'), intervalMs: 6 * 3600_000 }
  const STATES: Record<string, Record<string, VariableState>> = {
    'all teams and services, UTC': { team: { value: ['$__all'], options: ['core', 'payments', 'unassigned'] }, service: { value: ['$__all'], options: ['api-eu', 'api-us', 'checkout', 'ledger'] }, tz: { value: 'UTC', options: [] } },
    'one team, two services, Berlin': { team: { value: ['core'], options: ['core', 'payments', 'unassigned'] }, service: { value: ['api-eu', 'api-us'], options: ['api-eu', 'api-us'] }, tz: { value: 'Europe/Berlin', options: [] } },
    'a service with no data, New York': { team: { value: ['$__all'], options: ['core'] }, service: { value: ['nothing-here'], options: ['nothing-here'] }, tz: { value: 'America/New_York', options: [] } },
  }
  const isTime = (t: string) => /^(Nullable\()?(DateTime|DateTime64|Date)\b/.test(t)
  const isNum = (t: string) => /^(Nullable\()?(U?Int\d+|Float\d+|Decimal)/.test(t)

  // Seeded: a freeze for everyone, a checkout note (team payments), an api-eu note removed again.
  const EXPECTED_ANNOTATIONS: Record<string, string[]> = {
    'all teams and services, UTC': ['summer code freeze', 'checkout moved to the new CI'],
    'one team, two services, Berlin': ['summer code freeze'],
    'a service with no data, New York': ['summer code freeze'],
  }
  for (const { dashboard } of dashboards) {
    it(`${dashboard.uid} / annotations: the live ones of the selection, as time, timeEnd, text, tags`, async () => {
      expect(dashboard.annotations.list.length).toBeGreaterThan(0)
      for (const a of dashboard.annotations.list) {
        expect(a.datasource).toEqual(DATASOURCE)
        for (const [state, variables] of Object.entries(STATES)) {
          const sql = expandPanelSql(a.target.rawSql, { ...RANGE, variables })
          expect(sql, state).not.toMatch(/\$\{?\w|\[\[/)
          const cols = await db.query<{ name: string; type: string }>(`DESCRIBE TABLE (${sql})`)
          expect(cols.map((c) => c.name)).toEqual(['time', 'timeEnd', 'text', 'tags'])
          expect(isTime(cols[0]!.type) && isTime(cols[1]!.type), state).toBe(true)
          const rows = await db.query<{ text: string; tags: string; timeEnd: string | null }>(sql)
          expect(rows.map((r) => r.text), state).toEqual(EXPECTED_ANNOTATIONS[state])
          expect(rows[0]).toMatchObject({ tags: 'freeze,release' })
          expect(rows[0]!.timeEnd).toMatch(/^2026-06-27/)
        }
      }
    })
  }

  for (const { dashboard } of dashboards) {
    for (const p of queryPanels(dashboard.panels)) {
      it(`${dashboard.uid} / ${p.title}`, async () => {
        for (const [state, variables] of Object.entries(STATES)) {
          const sql = expandPanelSql(p.targets![0]!.rawSql, { ...RANGE, variables })
          expect(sql, state).not.toMatch(/\$\{?\w|\[\[/)
          const cols = await db.query<{ name: string; type: string }>(`DESCRIBE TABLE (${sql})`)
          const rows = await db.query<Record<string, unknown>>(sql)
          const types = cols.map((c) => c.type)
          switch (p.type) {
            case 'timeseries':
              expect(isTime(types[0]!), `${state}: time column first (${types})`).toBe(true)
              expect(types.slice(1).some(isNum), `${state}: a numeric column (${types})`).toBe(true)
              break
            case 'stat':
              expect(types.length).toBeGreaterThan(0)
              if (!/Tiers/.test(p.title)) expect(types.every(isNum), `${state}: numeric (${types})`).toBe(true)
              expect(rows.length, `${state}: one row`).toBeLessThanOrEqual(1)
              break
            case 'barchart':
              expect(types[0]!.includes('String'), `${state}: a label column first (${types})`).toBe(true)
              expect(types.slice(1).length > 0 && types.slice(1).every(isNum), `${state}: numeric values (${types})`).toBe(true)
              break
            case 'piechart':
              expect(types.slice(1).every(isNum) && types.length === 2, `${state}: label + value (${types})`).toBe(true)
              break
            case 'table':
              expect(types.length).toBeGreaterThan(0)
              break
          }
          if (state.startsWith('all')) {
            // the realistic data set fills every panel (open incidents and rollbacks included)
            expect(rows.length, `${state}: rows`).toBeGreaterThan(0)
          }
        }
      })
    }
  }
})
