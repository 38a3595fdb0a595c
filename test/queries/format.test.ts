import { describe, expect, it } from 'vitest'
import { formatMetrics, humanizeSeconds } from '../../queries/format.ts'
import type { MetricsAnswer } from '../../queries/metrics.ts'
import { chosenBenchmarks } from '../../queries/scores.ts'
import { EMPTY_RELEASE_FIELDS } from '../../queries/release-metrics.ts'

// The §8 example, with a comma in a team name to exercise CSV quoting.
const answer: MetricsAnswer = {
  from: '2026-07-01T00:00:00.000Z',
  to: '2026-10-01T00:00:00.000Z',
  tz: 'UTC',
  groupBy: 'service',
  bucket: null,
  rows: [
    {
      service: 'checkout',
      team: 'payments, emea',
      bucketStart: null,
      deployments: 12,
      deploymentsPerDay: 12 / 92,
      failedAttempts: 1,
      leadTimeSeconds: { count: 40, median: 5400, p90: 86000, mean: 20000 },
      failedDeployments: 3,
      changeFailureRate: 0.25,
      incidents: 4,
      timeToRestoreSeconds: { count: 4, median: 1800, p90: 7200, mean: 3000 },
      failedDeploymentRecoverySeconds: { count: 0, median: null, p90: null, mean: null },
      reworkDeployments: 1,
      reworkRate: 1 / 12,
      tiers: { deploymentFrequency: 'medium', leadTime: 'elite', timeToRestore: 'high', changeFailureRate: 'high', overall: 'medium' },
      // By hand (§17): lead 5400 s > 1 h → answer 5 → 8; 12/92 per day < 1/7 → answer 3 → 4; no recovery;
      // 10 − 2.5 = 7.5; 10 − 10/12; throughput (8 + 4) / 2; stability (7.5 + 9.1667) / 2; overall of the four.
      scores: { leadTime: 8, deploymentFrequency: 4, failedDeploymentRecovery: null, changeFailure: 7.5, rework: 10 - 10 / 12, throughput: 6, stability: (7.5 + 10 - 10 / 12) / 2, overall: (8 + 4 + 7.5 + 10 - 10 / 12) / 4 },
      ...EMPTY_RELEASE_FIELDS,
    },
  ],
  benchmark: chosenBenchmarks({ industry: 'all', orgSize: 'all' }),
}

describe('format', () => {
  it('json is the answer object, pretty, full precision', () => {
    const s = formatMetrics(answer, 'json')
    expect(JSON.parse(s)).toEqual(answer)
    expect(s).toContain('\n  "from"')
    expect(s).toContain(String(12 / 92)) // 0.13043478260869565, not rounded
  })

  it('csv: flat header with stats split, nulls empty, fields quoted when needed', () => {
    const [header, line] = formatMetrics(answer, 'csv').split('\r\n')
    expect(header).toBe(
      'service,team,bucket_start,deployments,deployments_per_day,failed_attempts,' +
        'lead_time_seconds_count,lead_time_seconds_median,lead_time_seconds_p90,lead_time_seconds_mean,' +
        'failed_deployments,change_failure_rate,incidents,' +
        'time_to_restore_seconds_count,time_to_restore_seconds_median,time_to_restore_seconds_p90,time_to_restore_seconds_mean,' +
        'failed_deployment_recovery_seconds_count,failed_deployment_recovery_seconds_median,failed_deployment_recovery_seconds_p90,failed_deployment_recovery_seconds_mean,' +
        'rework_deployments,rework_rate,tier_deployment_frequency,tier_lead_time,tier_time_to_restore,tier_change_failure_rate,tier_overall,' +
        'score_lead_time,score_deployment_frequency,score_failed_deployment_recovery,score_change_failure,score_rework,score_throughput,score_stability,score_overall,' +
        // METRICS.md §12–§15 after the §8 and §17 columns
        'releases,full_releases,rollout_seconds_count,rollout_seconds_median,rollout_seconds_p90,rollout_seconds_mean,' +
        'kill_switches,time_to_kill_seconds_count,time_to_kill_seconds_median,time_to_kill_seconds_p90,time_to_kill_seconds_mean,stale_flags,' +
        ['rollback', 'kill_switch', 'fix_forward', 'other'].map((p) => ['count', 'median', 'p90', 'mean'].map((k) => `recovery_${p}_seconds_${k}`).join(',')).join(',') +
        ',freeze_deployments,freeze_failed_deployments,canary_aborts,blast_radius_percent_count,blast_radius_percent_median,blast_radius_percent_p90,blast_radius_percent_mean',
    )
    const empty4 = '0,,,'
    expect(line).toBe(
      `checkout,"payments, emea",,12,${12 / 92},1,40,5400,86000,20000,3,0.25,4,4,1800,7200,3000,0,,,,1,${1 / 12},medium,elite,high,high,medium,` +
        `8,4,,7.5,${10 - 10 / 12},6,${(7.5 + 10 - 10 / 12) / 2},${(8 + 4 + 7.5 + 10 - 10 / 12) / 4},` +
        `0,0,${empty4},0,${empty4},0,${[empty4, empty4, empty4, empty4].join(',')},0,0,0,${empty4}`,
    )
  })

  it('table: aligned, humanized, readable', () => {
    const s = formatMetrics(answer, 'table')
    const lines = s.trimEnd().split('\n')
    expect(lines[1]).toMatch(/^SERVICE\s+TEAM\s+DEPLOYS\s+DEPLOYS\/DAY\s+LEAD TIME\s+CFR\s+MTTR\s+RECOVERY\s+REWORK\s+SCORE\s+TIER$/)
    expect(lines[2]).toContain('checkout')
    expect(lines[2]).toContain('0.13') // deploys/day
    expect(lines[2]).toContain('1h 30m') // lead time median 5400 s
    expect(lines[2]).toContain('25.0%') // CFR
    expect(lines[2]).toContain('30m') // MTTR 1800 s
    expect(lines[2]).toContain('8.3%') // rework 1/12
    expect(lines[2]).toMatch(/ 7\.2  medium$/) // overall score 7.1667, one decimal
    // columns line up: "DEPLOYS" is right-aligned over "12"
    const header = lines[1] ?? ''
    const row = lines[2] ?? ''
    expect(header.indexOf('DEPLOYS ') + 'DEPLOYS'.length).toBe(row.indexOf(' 12 ') + ' 12'.length)
    expect(formatMetrics({ ...answer, rows: [] }, 'table')).toContain('no data')
  })

  it('table: bucket column shows the local bucket start', () => {
    const s = formatMetrics({ ...answer, tz: 'Europe/Berlin', groupBy: 'none', bucket: 'week', rows: [{ ...answer.rows[0]!, service: undefined, team: undefined, bucketStart: '2026-03-29T22:00:00.000Z' }] }, 'table')
    expect(s).toMatch(/^WEEK\s+DEPLOYS/m)
    expect(s).toContain('2026-03-30')
  })

  it('groupBy=authorClass: author, changes and share columns in the table and the CSV', () => {
    const row = { ...answer.rows[0]!, service: undefined, team: undefined, authorClass: 'ai_assisted' as const, changes: 3, changeShare: 0.25 }
    const a = { ...answer, groupBy: 'authorClass' as const, rows: [row] }
    const lines = formatMetrics(a, 'table').trimEnd().split('\n')
    expect(lines[1]).toMatch(/^AUTHOR\s+CHANGES\s+SHARE\s+DEPLOYS/)
    expect(lines[2]).toMatch(/^ai_assisted\s+3\s+25\.0%/)
    const [header, line] = formatMetrics(a, 'csv').split('\r\n')
    expect(header?.startsWith('author_class,changes,change_share,bucket_start,')).toBe(true)
    expect(line?.startsWith('ai_assisted,3,0.25,,12,')).toBe(true)
  })

  it('humanizes durations', () => {
    expect([humanizeSeconds(null), humanizeSeconds(45), humanizeSeconds(90), humanizeSeconds(3600), humanizeSeconds(86000), humanizeSeconds(2.5 * 86400)]).toEqual(['-', '45s', '1m 30s', '1h', '23h 53m', '2d 12h'])
  })
})
