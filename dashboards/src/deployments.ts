import { dashboard, fromReport, HEATMAP_TABLE, hourOfWeekPivot, Layout, SERVICE_FILTER, serviceVariable, TEAM_FILTER, teamVariable, tierThresholds, tzVariable, type Dashboard } from './lib.ts'

const S = (c: string) => ({ matcher: { id: 'byName', options: c }, properties: [{ id: 'unit', value: 's' }] })
const PCT = (c: string) => ({ matcher: { id: 'byName', options: c }, properties: [{ id: 'unit', value: 'percentunit' }, { id: 'decimals', value: 1 }] })

/** Deployments: per day, failed ones and causes, rollbacks, batch size, weekday/hour. */
export function deploymentsDashboard(): Dashboard {
  const l = new Layout()
  l.add({ type: 'stat', title: 'Deployments', w: 4, h: 4, thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] }, sql: fromReport('dora_summary', 'deployments', { group_by: "'none'" }) })
  l.add({ type: 'stat', title: 'Deploys / day', w: 4, h: 4, decimals: 2, thresholds: tierThresholds('deploymentFrequency'), sql: fromReport('dora_summary', 'deployments_per_day', { group_by: "'none'" }) })
  l.add({ type: 'stat', title: 'Change failure rate', w: 4, h: 4, unit: 'percentunit', decimals: 1, thresholds: tierThresholds('changeFailureRate'), sql: fromReport('dora_summary', 'change_failure_rate', { group_by: "'none'" }) })
  l.add({ type: 'stat', title: 'Rollbacks', w: 4, h: 4, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 1 }] }, sql: fromReport('rollbacks_summary', 'rollbacks', { group_by: "'none'" }) })
  l.add({ type: 'stat', title: 'Time to rollback (median)', w: 4, h: 4, unit: 's', thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 3600 }, { color: 'red', value: 86400 }] }, sql: fromReport('rollbacks_summary', 'time_to_rollback_median_seconds', { group_by: "'none'" }) })
  l.add({ type: 'stat', title: 'Failed attempts', w: 4, h: 4, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 1 }] }, sql: fromReport('dora_summary', 'failed_attempts', { group_by: "'none'" }) })

  l.add({
    type: 'timeseries', title: 'Deployments per day (days in ${tz})', w: 16, h: 9, custom: { drawStyle: 'bars', fillOpacity: 70, stacking: { mode: 'none' } },
    sql: fromReport('deployments_per_day', 'toDateTime(day, ${tz:singlequote}) AS time, deployments, failed_deployments, rollbacks, failed_attempts', {}, 'ORDER BY time'),
  })
  l.add({
    type: 'timeseries', title: 'Deployment rate (deploys per day, per panel interval)', w: 8, h: 9, decimals: 2,
    description: 'Deployments per $__interval bucket, scaled to a daily rate: count · 86400 / $__interval_s.',
    sql: `SELECT $__timeInterval(deployed_at) AS time, count() * 86400 / $__interval_s AS deploys_per_day
FROM deployments
WHERE $__timeFilter(deployed_at) AND ${TEAM_FILTER} AND ${SERVICE_FILTER}
GROUP BY time
ORDER BY time`,
  })

  l.row('Failed deployments and their causes')
  l.add({ type: 'piechart', title: 'Why deployments failed', w: 8, h: 9, sql: fromReport('deployments_failure_causes', 'label, failed_deployments', {}), options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: true } } })
  l.add({
    type: 'table', title: 'Failed deployments', w: 16, h: 9,
    sql: fromReport('deployments_failed', "deployed_at, service, id, substring(version, 1, 12) AS version, arrayStringConcat(cause_kinds, ', ') AS causes, arrayStringConcat(incident_ids, ', ') AS incidents, rolled_back_by, recovery_seconds, change_count, url", { limit: 100 }),
    overrides: [S('recovery_seconds')],
  })

  l.row('Rollbacks')
  l.add({
    type: 'table', title: 'Rollbacks (time from the bad deploy)', w: 16, h: 8,
    sql: fromReport('rollbacks', "rolled_back_at, service, rollback_id, bad_deployment_id, substring(bad_version, 1, 12) AS bad_version, bad_deployed_at, time_to_rollback_seconds, arrayStringConcat(bad_incident_ids, ', ') AS incidents", { limit: 100 }),
    overrides: [S('time_to_rollback_seconds')],
  })
  l.add({
    type: 'table', title: 'Rollbacks per service', w: 8, h: 8,
    sql: fromReport('rollbacks_summary', 'service, deployments, rollbacks, rollback_rate, time_to_rollback_median_seconds AS median_time_to_rollback', { group_by: "'service'" }),
    overrides: [PCT('rollback_rate'), S('median_time_to_rollback')],
  })

  l.row('Release practice')
  l.add({
    type: 'barchart', title: 'Batch size against failure', w: 12, h: 9,
    description: 'Deployments by changes shipped, with the change failure rate of each size (right axis).',
    sql: fromReport('deployments_batch_size', 'batch_size, deployments, change_failure_rate', {}, 'ORDER BY size_class'),
    options: { xField: 'batch_size' },
    overrides: [{ matcher: { id: 'byName', options: 'change_failure_rate' }, properties: [{ id: 'unit', value: 'percentunit' }, { id: 'custom.axisPlacement', value: 'right' }, { id: 'min', value: 0 }, { id: 'max', value: 1 }] }],
  })
  l.add({
    type: 'barchart', title: 'Deployments and change failure rate by weekday (${tz})', w: 12, h: 9,
    description: '"Are Friday deploys riskier here?" Weekdays in the dashboard timezone (doraflow query deployments_by_weekday uses each service\'s own).',
    sql: fromReport('deployments_by_weekday', 'weekday_name, deployments, change_failure_rate', {}, 'ORDER BY weekday'),
    options: { xField: 'weekday_name' },
    overrides: [{ matcher: { id: 'byName', options: 'change_failure_rate' }, properties: [{ id: 'unit', value: 'percentunit' }, { id: 'custom.axisPlacement', value: 'right' }, { id: 'min', value: 0 }, { id: 'max', value: 1 }] }],
  })
  l.add({
    type: 'table', title: 'Deployments by weekday and hour (${tz})', w: 24, h: 9, thresholds: HEATMAP_TABLE.thresholds, custom: HEATMAP_TABLE.custom, overrides: HEATMAP_TABLE.overrides,
    sql: hourOfWeekPivot('deployments_by_weekday_hour', 'deployments'),
  })
  l.add({
    type: 'table', title: 'Failed deployments by weekday and hour (${tz})', w: 24, h: 9, thresholds: HEATMAP_TABLE.thresholds, custom: HEATMAP_TABLE.custom, overrides: HEATMAP_TABLE.overrides,
    sql: hourOfWeekPivot('deployments_by_weekday_hour', 'failed_deployments'),
  })

  l.row('Failed deploy attempts')
  l.add({
    type: 'timeseries', title: 'Failed attempts', w: 12, h: 8, custom: { drawStyle: 'bars', fillOpacity: 70 },
    sql: `SELECT $__timeInterval(at) AS time, state, count() AS attempts
FROM failed_attempts
WHERE $__timeFilter(at) AND ${TEAM_FILTER} AND ${SERVICE_FILTER}
GROUP BY time, state
ORDER BY time`,
  })
  l.add({ type: 'table', title: 'Failed attempts per service', w: 12, h: 8, sql: fromReport('failed_attempts', '*', {}) })
  return dashboard({
    uid: 'doraflow-deployments',
    title: 'DORA deployments',
    description: 'Deployments per day, failed deployments and causes, rollbacks, batch size, weekday/hour, failed attempts (doraflow).',
    tags: ['deployments'],
    variables: [teamVariable(), serviceVariable(), tzVariable()],
    panels: l.build(),
  })
}
