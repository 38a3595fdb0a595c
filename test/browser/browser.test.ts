import express from 'express'
import { mkdtempSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiAuth } from '../../api/auth.ts'
import { createReportsRouter } from '../../api/reports.ts'
import { createApiRouter } from '../../api/router.ts'
import { parseConfig } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'
import { quarterlyReport } from '../../reports/quarterly/index.ts'
import { createLogger } from '../../server/logger.ts'
import { startServer, type Running } from '../../server/start.ts'
import { run } from '../helpers/child.ts'
import { processedAll } from '../helpers/payloads.ts'
import { seedFromEvents } from '../helpers/seed.ts'
import { quarterEvents, QUARTER_CONFIG } from '../quarterly-report/quarter-scenario.ts'
import { browserSession, HAVE_CHROMIUM, IN_CI } from './chromium.ts'

/**
 * The real server on the embedded engine, its database seeded with two
 * quarters of a realistic org (test/quarterly-report/quarter-scenario.ts). Headless
 * Chromium renders (a) the quarterly HTML report and (b) the overview page.
 * Screenshots are written to $DORAFLOW_SCREENSHOTS (or a temp dir, printed).
 */
const NOW = Date.parse('2026-11-29T00:00:00Z')
const dir = mkdtempSync(join(tmpdir(), 'doraflow-browser-'))
let config: Config
let server: Running & { url: string }

beforeAll(async () => {
  config = parseConfig({ ...QUARTER_CONFIG, server: { port: 0, host: '127.0.0.1' }, log: { path: join(dir, 'log') }, clickhouse: { path: join(dir, 'clickhouse') } })
  const running = await startServer(config, createLogger({ level: 'warn' }))
  server = Object.assign(running, { url: `http://127.0.0.1:${running.port}` })
  await seedFromEvents(server.db!, config, quarterEvents(7))
})
afterAll(async () => {
  await server?.stop()
})

describe('CLI through the running server', () => {
  it('`doraflow report quarterly` and `doraflow postmortem` ask the running doraflow and say so', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'doraflow-cli-'))
    writeFileSync(join(cwd, 'doraflow.yaml'), `server:\n  port: ${server.port}\n`)
    const md = await run(['report', 'quarterly', '--quarter', '2026-Q3', '--team', 'payments'], cwd)
    expect(md.stderr).toContain(`asking the running doraflow at ${server.url}`)
    expect(md.code).toBe(0)
    expect(md.stdout).toMatch(/^# Quarterly engineering review — 2026-Q3 — team payments/)
    const out = join(cwd, 'q3.html')
    const html = await run(['report', 'quarterly', '--quarter', '2026-Q3', '--format', 'html', '--out', out], cwd)
    expect(html.code).toBe(0)
    expect(html.stderr).toContain(`wrote ${out}`)
    const bad = await run(['report', 'quarterly', '--quarter', '2026-Q7'], cwd)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/quarter/)
    const [id] = (await server.db!.query<{ id: string }>("SELECT id FROM incidents WHERE service = 'checkout' AND length(deployment_ids) > 0 ORDER BY started_at LIMIT 1")).map((r) => r.id)
    const pm = await run(['postmortem', id!], cwd)
    expect(pm.code).toBe(0)
    expect(pm.stderr).toContain('asking the running doraflow')
    expect(pm.stdout).toMatch(/^# Post-mortem \(draft\)/)
    const missing = await run(['postmortem', 'pagerduty:NOPE'], cwd)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no incident/)
  })
})

const browserSuite = HAVE_CHROMIUM ? describe : IN_CI ? describe : describe.skip

browserSuite('in headless Chromium', () => {
  const { ctx, shots, errors, watch } = browserSession()

  it('(a) draws the quarterly report charts', async () => {
    const html = await quarterlyReport(server.db!, config, { quarter: '2026-Q3', format: 'html', now: NOW })
    const file = join(shots, 'quarterly-2026-Q3.html')
    writeFileSync(file, html)
    const page = watch(await ctx().newPage())
    await page.goto(`file://${file}`)
    const charts = await page.$$eval('svg.chart', (els) => els.map((e) => ({ w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height, rects: e.querySelectorAll('rect.bar').length, paths: e.querySelectorAll('path.line').length, dots: e.querySelectorAll('circle.dot').length })))
    // Overall: 4 trend charts; per team: 4 trend charts + weekday + batch size.
    expect(charts.length).toBe(4 + 2 * 6)
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(200)
      expect(c.h).toBeGreaterThan(80)
    }
    const bars = charts.reduce((a, c) => a + c.rects, 0)
    const lines = charts.reduce((a, c) => a + c.paths, 0)
    expect(bars).toBeGreaterThan(50)
    expect(lines).toBeGreaterThanOrEqual(9)
    expect(charts.reduce((a, c) => a + c.dots, 0)).toBeGreaterThan(100)
    const barBoxes = await page.$$eval('svg.chart rect.bar', (els) => els.filter((e) => e.getBoundingClientRect().height > 0 && e.getBoundingClientRect().width > 0).length)
    expect(barBoxes).toBe(bars)
    expect(await page.locator('table.scopes').count()).toBe(3)
    expect(await page.locator('section.team').count()).toBe(2)
    await page.screenshot({ path: join(shots, 'quarterly.png'), fullPage: true })
    await page.screenshot({ path: join(shots, 'quarterly-top.png') })
    // Printed: each team starts a page; charts are not split.
    await page.emulateMedia({ media: 'print' })
    expect(await page.$eval('section.team', (e) => getComputedStyle(e).breakBefore)).toBe('page')
    expect(await page.$eval('.charts figure', (e) => getComputedStyle(e).breakInside)).toBe('avoid')
    await page.pdf({ path: join(shots, 'quarterly.pdf'), format: 'A4', printBackground: true })
    await page.close()
  })

  it('(a) the report served by the API renders under its strict CSP', async () => {
    const page = watch(await ctx().newPage())
    const res = await page.goto(`${server.url}/api/v1/reports/quarterly?quarter=2026-Q3&format=html`)
    expect(res?.status()).toBe(200)
    expect(res?.headers()['content-security-policy']).toMatch(/default-src 'none'/)
    // The inline stylesheet applies (tier badges are coloured, cards laid out in a grid).
    expect(await page.$eval('.cards', (e) => getComputedStyle(e).display)).toBe('grid')
    expect(await page.locator('svg.chart').count()).toBe(16)
    await page.close()
  })

  it('(b) the overview shows the figures per team, and a click on a team shows its services', async () => {
    // Two notes on the timeline, through the API and the log like any annotation.
    for (const note of [
      { id: 'freeze', at: '2026-08-01T00:00:00Z', endAt: '2026-08-08T00:00:00Z', text: 'summer code freeze', tags: ['freeze'] },
      { id: 'ci', at: '2026-09-01T09:00:00Z', text: 'checkout moved to the new CI', service: 'checkout', team: 'payments' },
    ]) {
      const r = await fetch(`${server.url}/api/v1/annotations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(note) })
      expect(r.status).toBe(202)
    }
    await processedAll(server.url)
    const page = watch(await ctx().newPage())
    const res = await page.goto(`${server.url}/#preset=custom&from=2026-07-01&to=2026-10-01`)
    const h = res!.headers()
    expect(h['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/)
    expect(h['x-content-type-options']).toBe('nosniff')
    expect(h['referrer-policy']).toBe('no-referrer')
    await page.waitForSelector('tr.team')
    expect(await page.$$eval('tr.team', (els) => els.map((e) => e.getAttribute('data-team')))).toEqual(['core', 'payments'])
    expect(await page.locator('tr.service').count()).toBe(0)
    // The five figures (+ rework) with values, tiers and weekly sparklines.
    const payments = page.locator('tr.team[data-team="payments"]')
    expect(await payments.locator('td.figure').count()).toBe(6)
    expect(await payments.locator('td.figure[data-figure="deploymentFrequency"] .val').textContent()).toMatch(/\/(day|week|month)$/)
    expect(await payments.locator('td.figure[data-figure="changeFailureRate"] .val').textContent()).toMatch(/^\d+\.\d %$/)
    expect(await payments.locator('.tier').count()).toBeGreaterThanOrEqual(5)
    const sparkBoxes = await page.$$eval('tr.team svg.spark polyline', (els) => els.map((e) => e.getBoundingClientRect().width))
    expect(sparkBoxes.length).toBeGreaterThanOrEqual(10)
    // Weeks with nothing to measure break a line into segments; every segment is drawn.
    expect(Math.min(...sparkBoxes)).toBeGreaterThan(0)
    expect(Math.max(...sparkBoxes)).toBeGreaterThan(50)
    expect(await page.locator('#range').textContent()).toContain('2026-07-01 → 2026-10-01')
    expect(await page.$$eval('#note-list li', (els) => els.map((e) => e.textContent))).toEqual([
      '2026-08-01 00:00 UTC → 2026-08-08 00:00 UTC summer code freeze#freeze',
      '2026-09-01 09:00 UTC checkout moved to the new CIcheckout · team payments',
    ])
    expect(await page.locator('#notes').isVisible()).toBe(true)
    await page.screenshot({ path: join(shots, 'overview-teams.png') })
    // Issue 15: the overall score per row, the scores against the benchmark, and the changes by author.
    expect(await payments.locator('td.score').textContent()).toMatch(/^\d+\.\d$/)
    expect(await page.locator('#scores').isVisible()).toBe(true)
    expect(await page.$$eval('#score-table tbody tr', (els) => els.map((e) => e.firstElementChild?.textContent))).toEqual(['core', 'payments', 'Benchmark: All industries (2025)', 'Benchmark: All organizations (2025)'])
    expect(await page.locator('#score-table tr.benchmark').first().locator('td').nth(1).textContent()).toBe('5.5 ± 2.4')
    expect(await page.$$eval('#author-table tbody tr', (els) => els.map((e) => e.getAttribute('data-author')))).toEqual(['ai_assisted', 'human'])
    expect(await page.locator('#ai-sentence').textContent()).toMatch(/^AI-assisted changes: \d+\.\d % of changes, median lead time .+ vs .+; their deployments' failure rate \d+\.\d % vs \d+\.\d % \(against people\)\.$/)

    await payments.locator('td.name button').click()
    await page.waitForSelector('tr.service[data-team="payments"]')
    expect(await page.$$eval('tr.service', (els) => els.map((e) => e.getAttribute('data-service')))).toEqual(['checkout', 'ledger'])
    expect(page.url()).toContain('open=payments')
    await page.screenshot({ path: join(shots, 'overview-services.png') })

    // Down to the records behind a figure: the deployments, then the incidents with a post-mortem draft.
    // A correction first (§18): the drill-down names it, with who and why.
    const [corrected] = (await server.db!.query<{ id: string }>("SELECT id FROM incidents WHERE service = 'checkout' AND started_at >= '2026-07-01' AND started_at < '2026-10-01' ORDER BY started_at LIMIT 1")).map((r) => r.id)
    const posted = await fetch(`${server.url}/api/v1/corrections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ incident: corrected, deployment: null, by: 'ana', reason: 'cloud provider outage' }) })
    expect(posted.status).toBe(202)
    await processedAll(server.url)
    await page.locator('tr.service[data-service="checkout"] td.figure[data-figure="changeFailureRate"]').click()
    await page.waitForSelector('tr.detail[data-kind="deployments"] table.records tbody tr')
    expect(await page.locator('tr.detail .flag.failed').count()).toBeGreaterThan(0)
    await page.locator('tr.service[data-service="checkout"] a[data-detail="incidents"]').click()
    await page.waitForSelector('tr.detail[data-kind="incidents"] table.records tbody tr')
    expect(await page.locator(`tr.detail tr[data-incident="${corrected}"] .correction`).textContent()).toMatch(/^caused no deployment's failure: cloud provider outage — ana, \d{4}-\d\d-\d\d$/)
    await page.locator('tr.detail button.pm').first().click()
    await page.waitForFunction(() => document.querySelector('pre.postmortem')?.textContent?.startsWith('# Post-mortem'))
    await page.screenshot({ path: join(shots, 'overview-incidents.png'), fullPage: true })

    // The author filter: only AI-assisted changes in the drill-down, kept in the URL.
    await page.selectOption('#author', 'ai_assisted')
    await page.waitForFunction(() => location.hash.includes('author=ai_assisted'))
    await page.waitForSelector('#author-table tr.selected[data-author="ai_assisted"]')
    await page.locator('tr.service[data-service="checkout"] a[data-detail="deployments"]').click()
    await page.waitForSelector('tr.detail[data-kind="deployments"] h4')
    expect(await page.locator('tr.detail[data-kind="deployments"] h4').textContent()).toMatch(/^Deployments of checkout in the period, carrying ai-assisted changes \(\d+/)
    await page.selectOption('#author', '')
    await page.waitForFunction(() => !location.hash.includes('author='))

    // The period picker: "Last quarter" on 2026-11-29 is Q3 again, by preset.
    await page.selectOption('#preset', 'last-quarter')
    await page.waitForFunction(() => location.hash.includes('preset=last-quarter'))
    await page.waitForSelector('tr.team')
    expect(await page.locator('#range').textContent()).toMatch(/→/)
    expect(errors).toEqual([])
    await page.close()
  })

  it('(b) with api.tokens set the page asks for a token, keeps it in sessionStorage, then shows the figures', async () => {
    const tokenConfig = parseConfig({ ...QUARTER_CONFIG, api: { tokens: ['s3cret-read-token'] } })
    const app = express()
    app.use('/api', apiAuth(tokenConfig.api))
    app.use(createReportsRouter({ config: tokenConfig, db: server.db! }))
    app.use(createApiRouter({ config: tokenConfig, db: server.db! }))
    const http: Server = await new Promise((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s))
    })
    try {
      const a = http.address()
      const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`
      expect((await fetch(`${url}/api/v1/metrics`)).status).toBe(401)
      const page = await ctx().newPage()
      await page.goto(`${url}/#preset=custom&from=2026-07-01&to=2026-10-01`)
      await page.waitForSelector('#auth:not([hidden])')
      expect(await page.locator('#status').textContent()).toMatch(/token/i)
      expect(await page.locator('tr.team').count()).toBe(0)
      await page.screenshot({ path: join(shots, 'overview-token.png') })
      await page.fill('#token', 'wrong')
      await page.click('#token-form button')
      await page.waitForFunction(() => /refused/.test(document.getElementById('status')?.textContent ?? ''))
      await page.fill('#token', 's3cret-read-token')
      await page.click('#token-form button')
      await page.waitForSelector('tr.team')
      expect(await page.evaluate(() => sessionStorage.getItem('doraflow.token'))).toBe('s3cret-read-token')
      expect(await page.locator('#auth').isHidden()).toBe(true)
      await page.close()
    } finally {
      await new Promise((r) => http.close(r))
    }
  })
})
