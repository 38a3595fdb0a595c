import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'

/**
 * The banner's rules (overview/health.js) on their own: the page's script run in a
 * plain context, fed status and replay answers of the shapes GET /api/v1/status and
 * GET /api/v1/replay give. The browser test sees dead letters and a silent source
 * end to end; lag and a running replay are hard to hold still there, so here.
 */
const source = readFileSync(join(import.meta.dirname, '../../overview/health.js'), 'utf8')
const ctx: Record<string, any> = { onData: [], $: () => null, el: () => null, Date }
runInNewContext(`${source}\nthis.healthProblems = healthProblems`, ctx)
const problems = (status: unknown, replay: unknown, now = Date.parse('2026-11-20T00:00:00Z'), imports: unknown = null) => ctx.healthProblems(status, replay, now, imports) as { kind: string; text: string }[]

const quiet = { tierSet: 'dora-2021', tiers: {}, processorLagEvents: 0, deadLetters: { total: 0, byReason: [] }, sources: [{ source: 'github', lastDeliveryAt: '2026-11-19T10:00:00.000Z' }] }

describe('overview banner rules', () => {
  it('nothing to say when all is well', () => {
    expect(problems(quiet, { available: true, status: 'idle' })).toEqual([])
    expect(ctx.onData).toHaveLength(1) // it registered itself with the page
  })

  it('a running replay, with its progress', () => {
    expect(problems(quiet, { available: true, status: 'running', progress: { phase: 'facts', done: 250, total: 1000 } })).toEqual([
      { kind: 'replay', text: 'A replay is running (25 %): the figures are partial until it has finished.' },
    ])
  })

  it('a running import, named by its source (GET /api/v1/imports)', () => {
    expect(problems(quiet, null, undefined, { running: false, runs: [{ source: 'github', status: 'succeeded' }] })).toEqual([])
    expect(problems(quiet, null, undefined, { running: true, runs: [{ source: 'pagerduty', status: 'running' }] })).toEqual([{ kind: 'import', text: 'An import from PagerDuty is running: the figures fill in as its history arrives.' }])
  })

  it('processor lag above 1,000 events, not at or below', () => {
    expect(problems({ ...quiet, processorLagEvents: 1000 }, null)).toEqual([])
    expect(problems({ ...quiet, processorLagEvents: 1001 }, null)).toEqual([{ kind: 'lag', text: 'The processor is 1001 events behind the log: the figures are not up to date yet.' }])
  })

  it('a source silent for more than 7 days; annotations do not count as a source', () => {
    const sources = [
      { source: 'github', lastDeliveryAt: '2026-11-12T23:00:00.000Z' }, // 7 days 1 hour
      { source: 'pagerduty', lastDeliveryAt: '2026-11-13T01:00:00.000Z' }, // 6 days 23 hours
      { source: 'annotation', lastDeliveryAt: '2026-01-01T00:00:00.000Z' },
    ]
    expect(problems({ ...quiet, sources }, null).map((p) => p.text)).toEqual([
      'No delivery from GitHub for 7 days (last 2026-11-12): check its webhook (a changed secret or URL stops deliveries silently).',
    ])
  })

  it('dead letters: the total and the most frequent reason', () => {
    const p = problems({ ...quiet, deadLetters: { total: 1, byReason: [{ reason: 'bad timestamp', count: 1 }] } }, null)
    expect(p).toEqual([expect.objectContaining({ kind: 'dead-letters', text: '1 event could not be processed (dead letters); most often: bad timestamp (1). They are left out of the figures.' })])
  })
})
