import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfigText } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'
import { quarterlyReport } from '../../reports/quarterly/index.ts'
import { createLogger } from '../../server/logger.ts'
import { startServer, type Running } from '../../server/start.ts'
import { processedAll, send } from '../helpers/payloads.ts'
import { FREEZE_ANNOTATION, RELEASE_CONFIG_YAML, releaseDeliveries } from '../releases/scenario.ts'
import { browserSession, HAVE_CHROMIUM, IN_CI } from './chromium.ts'

/**
 * The release scenario (test/releases/scenario.ts) through the real server's
 * webhooks; Chromium renders the quarterly review's release section and the
 * overview's release panel with the freeze windows shaded. Screenshots go to
 * $DORAFLOW_SCREENSHOTS (or a temp dir, printed).
 */
const dir = mkdtempSync(join(tmpdir(), 'doraflow-browser-releases-'))
let config: Config
let server: Running & { url: string }

beforeAll(async () => {
  config = parseConfigText(RELEASE_CONFIG_YAML, {})
  config.server.port = 0
  config.server.host = '127.0.0.1'
  config.log.path = join(dir, 'log')
  config.clickhouse.path = join(dir, 'clickhouse')
  config.processor.pollIntervalMs = 50
  const running = await startServer(config, createLogger({ level: 'warn' }))
  server = Object.assign(running, { url: `http://127.0.0.1:${running.port}` })
  for (const d of releaseDeliveries()) expect((await send(server.url, d)).status, d.path).toBe(202)
  const a = await fetch(`${server.url}/api/v1/annotations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(FREEZE_ANNOTATION) })
  expect(a.status).toBe(202)
  await processedAll(server.url)
}, 120_000)
afterAll(async () => {
  await server?.stop()
})

describe('GET /api/v1/freezes', () => {
  it('the configured freeze and the annotation, overlapping Q3, by start', async () => {
    const body = (await (await fetch(`${server.url}/api/v1/freezes?from=2026-07-01&to=2026-10-01`)).json()) as { freezes: unknown[] }
    expect(body.freezes).toEqual([
      { id: 'annotation:pay-freeze', name: 'payments provider migration', from: '2026-07-10T11:30:00.000Z', to: '2026-07-10T13:00:00.000Z', services: [], teams: ['payments'] },
      { id: 'config:holidays', name: 'holidays', from: '2026-07-20T00:00:00.000Z', to: '2026-07-22T00:00:00.000Z', services: [], teams: ['payments'] },
    ])
  })
})

const browserSuite = HAVE_CHROMIUM ? describe : IN_CI ? describe : describe.skip

browserSuite('release views in headless Chromium', () => {
  const { ctx, shots, errors, watch } = browserSession()

  it('the quarterly review shows rollback vs hotfix in words, releases, kill switches, stale flags, freezes and canaries', async () => {
    const html = await quarterlyReport(server.db!, config, { quarter: '2026-Q3', format: 'html', now: Date.parse('2026-10-05T00:00:00Z') })
    const file = join(shots, 'quarterly-releases-2026-Q3.html')
    writeFileSync(file, html)
    const page = watch(await ctx().newPage())
    await page.goto(`file://${file}`)
    const section = page.locator('section#releases')
    await expect.poll(() => section.isVisible()).toBe(true)
    const findings = await section.locator('ul.findings li').allInnerTexts()
    expect(findings[0]).toBe('Rollback recovered in a median of 40m (1), kill switch in 35m (1), fix-forward in 3h 40m (1), other recovery in 1h (1).')
    expect(await section.locator('h3').allInnerTexts()).toEqual([
      'Rollback vs hotfix (recovery paths of failed deployments)',
      'What was released (flags going from 0 % to more), and how fast it rolled out',
      'Kill switches that saved us (flags switched off during an incident)',
      'Stale flags at the end of the quarter (100 % and unchanged for too long)',
      'Deployments during a freeze',
      'Bad releases stopped by the canary',
    ])
    // 4 path rows, 4 releases, 1 kill switch, 2 stale flags, 3 freeze deployments, 2 aborts.
    expect(await section.locator('table').evaluateAll((ts) => ts.map((t) => t.querySelectorAll('tbody tr').length))).toEqual([4, 4, 1, 2, 3, 2])
    await section.scrollIntoViewIfNeeded()
    await section.screenshot({ path: join(shots, 'quarterly-releases.png') })
    expect(errors).toEqual([])
    await page.close()
  })

  it('the overview shows the release panel per team and shades the freeze windows of the period', async () => {
    const page = watch(await ctx().newPage())
    await page.goto(`${server.url}/#preset=custom&from=2026-07-01&to=2026-10-01`)
    const panel = page.locator('section#releases')
    await expect.poll(() => panel.isVisible(), { timeout: 20_000 }).toBe(true)
    const payments = panel.locator('tr[data-team="payments"] td')
    expect((await payments.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'payments', '3', '2 median 2d 15h', '1 after 9m', '1', '1 (40m)1 (35m)1 (3h 40m)1 (1h)', '3 1 failed', '2 ≤ 23.5 % (p90)',
    ])
    expect(await panel.locator('tr[data-team="payments"] .path').evaluateAll((els) => els.map((e) => [e.getAttribute('data-path'), e.textContent]))).toEqual([
      ['rollback', '1 (40m)'], ['kill_switch', '1 (35m)'], ['fix_forward', '1 (3h 40m)'], ['other', '1 (1h)'],
    ])
    const bands = await panel.locator('#freeze-strip .freeze').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-freeze'), w: e.getBoundingClientRect().width, left: e.getBoundingClientRect().left })))
    expect(bands.map((b) => b.id)).toEqual(['annotation:pay-freeze', 'config:holidays'])
    // 2 days of 92 are wider than 90 minutes, and come later.
    expect(bands[1]!.w).toBeGreaterThan(bands[0]!.w)
    expect(bands[1]!.left).toBeGreaterThan(bands[0]!.left)
    // The weekly trend charts shade the same two freezes.
    expect(await page.$$eval('figure.trend', (els) => els.map((e) => e.getAttribute('data-freezes')))).toEqual(['2', '2', '2', '2', '2', '2'])
    await panel.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(shots, 'overview-releases.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })
})
