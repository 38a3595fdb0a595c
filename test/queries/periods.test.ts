import { describe, expect, it } from 'vitest'
import { bucketSpans, metricsQuerySchema, resolveQuery } from '../../queries/periods.ts'

const messages = (raw: unknown) => {
  const r = metricsQuerySchema.safeParse(raw)
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}|${i.message}`)
}

describe('metrics query validation', () => {
  it('accepts a full valid query and treats empty strings as absent', () => {
    const r = metricsQuerySchema.safeParse({ from: '2026-07-01', to: '2026-10-01', tz: 'Europe/Berlin', service: '', groupBy: 'team', bucket: 'week', format: 'json' })
    expect(r.success).toBe(true)
    expect(r.data).toEqual({ from: '2026-07-01', to: '2026-10-01', tz: 'Europe/Berlin', groupBy: 'team', bucket: 'week' })
  })

  it('names the parameter in each error', () => {
    expect(messages({ tz: 'Mars/Olympus' })).toEqual([expect.stringMatching(/^tz\|tz: not an IANA timezone/)])
    expect(messages({ from: '2026-07-02', to: '2026-07-01' })).toEqual([expect.stringMatching(/^from\|from: must be before to/)])
    expect(messages({ from: '2026-07-01', to: '2026-07-01' })).toEqual([expect.stringMatching(/^from\|from: must be before to/)]) // empty period
    expect(messages({ from: 'yesterday' })).toEqual([expect.stringMatching(/^from\|from: not a date/)])
    expect(messages({ to: '2026-13-01' })).toEqual([expect.stringMatching(/^to\|to: not a date/)])
    expect(messages({ bucket: 'year' })).toEqual([expect.stringMatching(/^bucket\|bucket: must be one of day, week, month, quarter/)])
    expect(messages({ groupBy: 'repo' })).toEqual([expect.stringMatching(/^groupBy\|groupBy: must be one of service, team, none/)])
    expect(messages({ service: ['a', 'b'] })).toHaveLength(1) // repeated ?service= is not a list
    expect(messages({ from: '2000-01-01', to: '2026-01-01', bucket: 'day' })).toEqual([expect.stringMatching(/^bucket\|bucket: the period has more than 5000 day buckets/)])
  })

  it('resolveQuery: canonical tz, defaults from config tz, from/to instants', () => {
    const r = resolveQuery({ from: '2026-07-01', to: '2026-07-02', tz: 'europe/berlin' }, 'UTC')
    // midnight CEST (+02:00)
    expect(r).toEqual({ fromMs: Date.parse('2026-06-30T22:00Z'), toMs: Date.parse('2026-07-01T22:00Z'), tz: 'Europe/Berlin', groupBy: 'service', bucket: null, service: null, team: null })
    expect(resolveQuery({ from: '2026-07-01', to: '2026-07-02' }, 'Asia/Tokyo').fromMs).toBe(Date.parse('2026-06-30T15:00Z'))
  })
})

describe('bucket spans', () => {
  it('a DST day is 23 h long and the next day still starts at local midnight', () => {
    const s = bucketSpans(Date.parse('2026-03-28T23:00Z'), Date.parse('2026-03-30T22:00Z'), 'Europe/Berlin', 'day')
    // 29 Mar (CET → CEST): 23:00Z..22:00Z = 23 h; 30 Mar: 22:00Z..22:00Z = 24 h
    expect(s.map((b) => [b.key, (b.endMs - b.startMs) / 3_600_000])).toEqual([
      ['2026-03-29', 23],
      ['2026-03-30', 24],
    ])
  })

  it('ISO weeks start on Monday; the first and last buckets are cut by the period', () => {
    // Wed 1 Jul .. Wed 15 Jul 2026 (UTC): weeks of Mon 29 Jun (cut), 6 Jul, 13 Jul (cut)
    const s = bucketSpans(Date.parse('2026-07-01T00:00Z'), Date.parse('2026-07-15T00:00Z'), 'UTC', 'week')
    expect(s.map((b) => [b.key, new Date(b.startMs).toISOString(), (b.endMs - b.startMs) / 86_400_000])).toEqual([
      ['2026-06-29', '2026-07-01T00:00:00.000Z', 5],
      ['2026-07-06', '2026-07-06T00:00:00.000Z', 7],
      ['2026-07-13', '2026-07-13T00:00:00.000Z', 2],
    ])
  })
})
