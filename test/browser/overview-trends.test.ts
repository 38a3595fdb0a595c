import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfigText } from '../../config/load.ts'
import { QUARTER_SERVICES, quarterDeliveries, quarterServicesYaml } from '../../generator/quarter.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'
import { githubDelivery, processedAll, pushPayload, send } from '../helpers/payloads.ts'
import { startTestServer } from '../helpers/server.ts'
import { HAVE_CHROMIUM, IN_CI, launch, pageErrors, screenshotDir } from './chromium.ts'

/**
 * The overview over the generated quarter fed through the signed webhooks: trend
 * charts (vendored uPlot) with tier bands, the banner, CSV and API links, the
 * keyboard, at 1280 px and at a phone's width. Screenshots are looked at by a person.
 */
const GH = 'ov-gh'
const PD = 'ov-pd'
const OVERVIEW = join(import.meta.dirname, '../../overview')

describe('the vendored uPlot', () => {
  it('is the npm package uplot, byte for byte, with its licence', () => {
    const pkg = dirname(createRequire(import.meta.url).resolve('uplot/package.json'))
    for (const f of ['uPlot.iife.min.js', 'uPlot.min.css']) expect(readFileSync(join(OVERVIEW, 'vendor', f)).equals(readFileSync(join(pkg, 'dist', f))), f).toBe(true)
    expect(readFileSync(join(OVERVIEW, 'vendor/uPlot.LICENSE'), 'utf8')).toBe(readFileSync(join(pkg, 'LICENSE'), 'utf8'))
    const html = readFileSync(join(OVERVIEW, 'index.html'), 'utf8')
    expect(html).not.toMatch(/(src|href)="https?:/) // nothing from a CDN
  })
})

const browserSuite = HAVE_CHROMIUM ? describe : IN_CI ? describe : describe.skip

browserSuite('the overview in headless Chromium: trends, banner, export, keyboard', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let ctx: BrowserContext
  const shots = HAVE_CHROMIUM ? screenshotDir() : ''
  const { errors, watch } = pageErrors()

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error('CI=true and /usr/bin/chromium is missing: run scripts/browser/install.sh')
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-ov-'))
    const config = parseConfigText(`github:\n  webhookSecrets: [${GH}]\npagerduty:\n  webhookSecrets: [${PD}]\n${quarterServicesYaml()}\n`, {})
    Object.assign(config.log, { path: join(dir, 'log') })
    Object.assign(config.clickhouse, { path: join(dir, 'clickhouse') })
    Object.assign(config.imports, { path: join(dir, 'imports') })
    Object.assign(config.server, { host: '127.0.0.1', port: 0 })
    config.processor.pollIntervalMs = 50
    server = await startTestServer(config)
    // The quarter ends now, so the page's default period (last 90 days) shows it.
    for (const d of quarterDeliveries({ seed: 5, end: Date.now(), githubSecret: GH, pagerdutySecret: PD })) expect((await send(server.url, d)).status).toBe(202)
    // Three well-signed deliveries the parser cannot read: the banner must say so.
    for (const id of ['bad-1', 'bad-2', 'bad-3']) {
      const poison = pushPayload({ repo: 'acme/checkout', before: 'a'.repeat(40), after: 'b'.repeat(40), commits: [] }) as Record<string, unknown>
      poison.commits = 'not-an-array'
      expect((await send(server.url, githubDelivery('push', poison, GH, id))).status).toBe(202)
    }
    // POST /events last heard from 12 days ago (an envelope as ingest stored it then): the banner must say the source went silent.
    await server.log.append(buildEnvelope({ source: 'generic', deliveryId: 'old-tool-1', path: '/events', type: 'dev.doraflow.deployment', subject: 'tool', headers: {}, data: '{}' }, new Date(Date.now() - 12 * 86_400_000)))
    await processedAll(server.url)
    ctx = await launch()
    process.stderr.write(`overview screenshots: ${shots}\n`)
  }, 180_000)
  afterAll(async () => {
    await ctx?.close()
    await server?.stop()
  })

  it('at 1280 px: six weekly trend charts with the tier bands; the banner names the dead letters and the silent source', async () => {
    const page = watch(await ctx.newPage())
    await page.goto(`${server.url}/`)
    await page.waitForSelector('figure.trend canvas')
    const figs = await page.$$eval('figure.trend', (els) => els.map((e) => ({ key: e.getAttribute('data-figure'), bands: Number(e.getAttribute('data-bands')), w: e.querySelector('canvas')!.getBoundingClientRect().width, readout: e.querySelector('.readout')!.textContent })))
    expect(figs.map((f) => f.key)).toEqual(['deploymentFrequency', 'leadTime', 'changeFailureRate', 'timeToRestore', 'recovery', 'rework'])
    // Four figures have DORA tiers (four bands each); recovery and rework have none.
    expect(figs.map((f) => f.bands)).toEqual([4, 4, 4, 4, 0, 0])
    for (const f of figs) expect(f.w).toBeGreaterThan(300) // three to a row at 1280 px
    expect(figs[0]!.readout).toMatch(/^latest week \d+(\.\d)?\/(day|week|month)$/)
    // The bands are painted: the canvas of lead time has green (elite) pixels behind the line.
    const greenish = await page.$eval('figure.trend[data-figure="leadTime"] canvas', (c) => {
      const ctx2 = (c as HTMLCanvasElement).getContext('2d')!
      const { data } = ctx2.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height)
      let n = 0
      for (let i = 0; i < data.length; i += 4) if (data[i + 1]! > data[i]! + 8 && data[i + 1]! > data[i + 2]! + 8) n++
      return n
    })
    expect(greenish).toBeGreaterThan(500)
    // The three poison pushes and the old '{}' event are dead letters, all four for a field they lack or mistype (reason code bad_field).
    expect(await page.locator('#health p[data-kind="dead-letters"]').textContent()).toMatch(/^4 events could not be processed \(dead letters\); most often: bad_field \(4\)\. They are left out of the figures\./)
    expect(await page.locator('#health p[data-kind="silent"]').textContent()).toMatch(/^No delivery from POST \/events for 12 days \(last \d{4}-\d\d-\d\d\)/)
    expect(await page.locator('#health p').count()).toBe(2) // no lag, no replay
    expect(await page.locator('tr.team').count()).toBe(3)
    await page.screenshot({ path: join(shots, 'overview-1280.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('CSV of what is shown (the teams, and the services of an open team) and links to the same API query', async () => {
    const page = watch(await ctx.newPage())
    await page.goto(`${server.url}/`)
    await page.waitForSelector('tr.team')
    await page.click('tr.team[data-team="discovery"] button')
    await page.waitForSelector('tr.service[data-team="discovery"]')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')])
    const csv = readFileSync((await download.path())!, 'utf8')
    const lines = csv.trimEnd().split('\r\n').map((l) => l.split(','))
    expect(lines[0]).toEqual(['scope', 'team', 'service', 'from', 'to', 'deployments', 'deploymentsPerDay', 'leadTimeMedianSeconds', 'changeFailureRate', 'incidents', 'timeToRestoreMedianSeconds', 'failedDeploymentRecoveryMedianSeconds', 'reworkRate', 'tier'])
    expect(lines.slice(1).map((l) => [l[0], l[1], l[2]])).toEqual([
      ['team', 'discovery', ''],
      ['service', 'discovery', 'recommendations'],
      ['service', 'discovery', 'search'],
      ['team', 'payments', ''],
      ['team', 'platform', ''],
    ])
    // The same numbers as the API link next to it.
    const href = await page.getAttribute('#api-teams', 'href')
    expect(href).toMatch(/^\/api\/v1\/metrics\?from=.*&to=.*&groupBy=team$/)
    const api = (await (await fetch(`${server.url}${href}`)).json()) as { rows: { team: string; deployments: number; changeFailureRate: number | null }[] }
    for (const row of api.rows) {
      const line = lines.find((l) => l[0] === 'team' && l[1] === row.team)!
      expect(Number(line[5])).toBe(row.deployments)
      expect(line[8] === '' ? null : Number(line[8])).toBe(row.changeFailureRate)
    }
    expect(api.rows.reduce((a, r) => a + r.deployments, 0)).toBeGreaterThan(QUARTER_SERVICES.length)
    writeFileSync(join(shots, 'overview.csv'), csv)
    await page.close()
  })

  it('keyboard: Tab reaches the charts, arrows walk the weeks; Enter opens a team and a figure cell the records behind it', async () => {
    const page = watch(await ctx.newPage())
    await page.goto(`${server.url}/`)
    await page.waitForSelector('figure.trend canvas')
    await page.focus('figure.trend[data-figure="deploymentFrequency"]')
    // The first bucket starts with the period (a part week); from the second on, buckets are whole weeks.
    await page.keyboard.press('Home')
    const start = await page.locator('figure.trend[data-figure="deploymentFrequency"] .readout').textContent()
    await page.keyboard.press('ArrowRight')
    const first = await page.locator('figure.trend[data-figure="deploymentFrequency"] .readout').textContent()
    expect(Date.parse(first!.slice(8, 18))).toBeGreaterThan(Date.parse(start!.slice(8, 18)))
    await page.keyboard.press('ArrowRight')
    const second = await page.locator('figure.trend[data-figure="deploymentFrequency"] .readout').textContent()
    expect(first).toMatch(/^week of \d{4}-\d\d-\d\d: /)
    expect(second).toMatch(/^week of \d{4}-\d\d-\d\d: /)
    expect(Date.parse(second!.slice(8, 18)) - Date.parse(first!.slice(8, 18))).toBe(7 * 86_400_000)
    // Tab order: the CSV button, the API links, the six charts, then the team buttons.
    await page.focus('#api-weekly')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-figure'))).toBe('deploymentFrequency')
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-team'))).toBe('discovery')
    await page.keyboard.press('Enter')
    await page.waitForSelector('tr.service[data-service="search"]')
    await page.focus('tr.service[data-service="search"] td.figure[data-figure="leadTime"]')
    await page.keyboard.press('Enter')
    await page.waitForSelector('tr.detail[data-service="search"] table.records')
    expect(await page.locator('tr.detail[data-service="search"] h4').textContent()).toMatch(/^Deployments of search in the period/)
    expect(errors).toEqual([])
    await page.close()
  })

  it('at a phone width (390 px) everything stays readable: one chart per row, no page-wide horizontal scroll', async () => {
    const phone = await launch({ width: 390, height: 844 })
    try {
      const page = watch(await phone.newPage())
      await page.goto(`${server.url}/`)
      await page.waitForSelector('figure.trend canvas')
      const widths = await page.$$eval('figure.trend canvas', (els) => els.map((e) => e.getBoundingClientRect().width))
      for (const w of widths) expect(w).toBeGreaterThan(300)
      const tops = await page.$$eval('figure.trend', (els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))
      expect(new Set(tops).size).toBe(6) // stacked
      await page.screenshot({ path: join(shots, 'overview-390.png'), fullPage: true })
      // Nothing sticks out of the page (the wide table scrolls inside its own box).
      const overflow = await page.evaluate(() => {
        const inScroller = (e: Element) => { for (let p = e.parentElement; p; p = p.parentElement) if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true; return false }
        return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !inScroller(e)).map((e) => `${e.tagName}.${e.className}#${e.id}`).slice(0, 5)
      })
      expect(overflow).toEqual([])
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true)
      expect(errors).toEqual([])
    } finally {
      await phone.close()
    }
  })
})
