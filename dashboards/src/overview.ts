import { addScorePanels } from './scores.ts'
import { dashboard, fromReport, Layout, serviceVariable, teamVariable, tierSql, tierThresholds, TIER_VALUE_MAPPINGS, tzVariable, type Dashboard } from './lib.ts'

const NONE = { group_by: "'none'" }
const WEEK = { group_by: "'none'", bucket: "'week'" }

/** DORA overview: the five figures with their tiers, weekly trends, per-service table. */
export function overviewDashboard(): Dashboard {
  const l = new Layout()
  l.row('The five figures (selected period, teams and services)')
  l.add({
    type: 'stat', title: 'Deployment frequency', w: 5, h: 5, unit: 'short', decimals: 2, thresholds: tierThresholds('deploymentFrequency'),
    description: 'Deployments per day over the period (METRICS.md §6). Colour: tier (green elite, yellow high, orange medium, red low).',
    sql: fromReport('dora_summary', 'deployments_per_day', NONE),
    options: { textMode: 'value_and_name' },
    overrides: [{ matcher: { id: 'byName', options: 'deployments_per_day' }, properties: [{ id: 'displayName', value: 'deploys / day' }] }],
  })
  l.add({
    type: 'stat', title: 'Lead time for changes (median)', w: 5, h: 5, unit: 's', thresholds: tierThresholds('leadTime'),
    description: 'Median commit → production time of the changes deployed in the period.',
    sql: fromReport('dora_summary', 'lead_time_median_seconds', NONE),
  })
  l.add({
    type: 'stat', title: 'Change failure rate', w: 5, h: 5, unit: 'percentunit', decimals: 1, thresholds: tierThresholds('changeFailureRate'),
    description: 'Failed deployments / deployments (METRICS.md §5: explicit incident link, attribution window, rollback).',
    sql: fromReport('dora_summary', 'change_failure_rate', NONE),
  })
  l.add({
    type: 'stat', title: 'Time to restore (median)', w: 5, h: 5, unit: 's', thresholds: tierThresholds('timeToRestore'),
    description: 'Median started → resolved of the incidents started in the period that are resolved.',
    sql: fromReport('dora_summary', 'time_to_restore_median_seconds', NONE),
  })
  l.add({
    type: 'stat', title: 'Failed deployment recovery (median)', w: 4, h: 5, unit: 's',
    thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] },
    description: 'Median deployed → recovered (rollback, or all its incidents resolved) of the failed deployments of the period. No DORA tier.',
    sql: fromReport('dora_summary', 'recovery_median_seconds', NONE),
  })
  l.add({
    type: 'stat', title: 'Tiers', w: 16, h: 4, mappings: TIER_VALUE_MAPPINGS,
    description: 'Tier of each key (METRICS.md §7, default thresholds); overall is the lowest.',
    sql: fromReport(
      'dora_summary',
      [
        `${tierSql('deploymentFrequency', 'deployments_per_day')} AS deployment_frequency`,
        `${tierSql('leadTime', 'lead_time_median_seconds')} AS lead_time`,
        `${tierSql('changeFailureRate', 'change_failure_rate')} AS change_failure_rate_tier`,
        `${tierSql('timeToRestore', 'time_to_restore_median_seconds')} AS time_to_restore`,
      ].join(',\n  '),
      NONE,
    ),
    options: { textMode: 'value_and_name', colorMode: 'background', reduceOptions: { calcs: ['lastNotNull'], fields: '/.*/', values: false } },
  })
  l.add({
    type: 'stat', title: 'Rework rate', w: 4, h: 4, unit: 'percentunit', decimals: 1,
    thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.1 }, { color: 'red', value: 0.2 }] },
    description: 'Rollbacks and deployments made while an incident was open, / deployments.',
    sql: fromReport('dora_summary', 'rework_rate', NONE),
  })
  l.add({
    type: 'stat', title: 'Deployments / incidents', w: 4, h: 4, thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] },
    sql: fromReport('dora_summary', 'deployments, incidents, failed_attempts', NONE),
    options: { textMode: 'value_and_name', reduceOptions: { calcs: ['lastNotNull'], fields: '/.*/', values: false } },
  })

  l.row('Trends by week (weeks in ${tz})')
  l.add({ type: 'timeseries', title: 'Deployments per week', w: 12, h: 8, custom: { drawStyle: 'bars', fillOpacity: 60 }, sql: fromReport('dora_trend', 'bucket_start AS time, deployments, failed_deployments', WEEK, 'ORDER BY time') })
  l.add({ type: 'timeseries', title: 'Lead time per week (median, p90)', w: 12, h: 8, unit: 's', sql: fromReport('dora_trend', 'bucket_start AS time, lead_time_median_seconds AS median, lead_time_p90_seconds AS p90', WEEK, 'ORDER BY time') })
  l.add({ type: 'timeseries', title: 'Change failure rate and rework rate per week', w: 12, h: 8, unit: 'percentunit', sql: fromReport('dora_trend', 'bucket_start AS time, change_failure_rate, rework_rate', WEEK, 'ORDER BY time') })
  l.add({ type: 'timeseries', title: 'Time to restore and recovery per week (median)', w: 12, h: 8, unit: 's', sql: fromReport('dora_trend', 'bucket_start AS time, time_to_restore_median_seconds AS time_to_restore, recovery_median_seconds AS failed_deployment_recovery', WEEK, 'ORDER BY time') })

  l.row('Per service')
  l.add({
    type: 'table', title: 'Figures and tiers per service', w: 24, h: 10,
    sql: fromReport(
      'dora_summary',
      [
        'service', 'team', 'deployments', 'deployments_per_day',
        `${tierSql('deploymentFrequency', 'deployments_per_day')} AS frequency_tier`,
        'lead_time_median_seconds', `${tierSql('leadTime', 'lead_time_median_seconds')} AS lead_time_tier`,
        'change_failure_rate', `${tierSql('changeFailureRate', 'change_failure_rate')} AS change_failure_tier`,
        'time_to_restore_median_seconds', `${tierSql('timeToRestore', 'time_to_restore_median_seconds')} AS restore_tier`,
        'recovery_median_seconds', 'rework_rate', 'incidents', 'failed_attempts',
      ].join(', '),
      { group_by: "'service'" },
      'ORDER BY service',
    ),
    overrides: [
      ...['lead_time_median_seconds', 'time_to_restore_median_seconds', 'recovery_median_seconds'].map((c) => ({ matcher: { id: 'byName', options: c }, properties: [{ id: 'unit', value: 's' }] })),
      ...['change_failure_rate', 'rework_rate'].map((c) => ({ matcher: { id: 'byName', options: c }, properties: [{ id: 'unit', value: 'percentunit' }, { id: 'decimals', value: 1 }] })),
      { matcher: { id: 'byName', options: 'deployments_per_day' }, properties: [{ id: 'decimals', value: 2 }] },
      {
        matcher: { id: 'byRegexp', options: '.*_tier' },
        properties: [{ id: 'mappings', value: TIER_VALUE_MAPPINGS }, { id: 'custom.cellOptions', value: { type: 'color-background' } }],
      },
    ],
  })
  addScorePanels(l)
  return dashboard({
    uid: 'doraflow-overview',
    title: 'DORA overview',
    description: 'The five DORA figures with their tiers, weekly trends, a per-service table, Quick Check scores against the 2025 benchmark and the AI-assisted split (doraflow, METRICS.md).',
    tags: ['overview'],
    variables: [teamVariable(), serviceVariable(), tzVariable()],
    panels: l.build(),
  })
}
