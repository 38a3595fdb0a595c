import { dashboard, fromReport, HEATMAP_TABLE, hourOfWeekPivot, Layout, SERVICE_FILTER, serviceVariable, TEAM_FILTER, teamVariable, tierThresholds, tzVariable, type Dashboard } from './lib.ts'

const S = (c: string) => ({ matcher: { id: 'byName', options: c }, properties: [{ id: 'unit', value: 's' }] })
const PCT = (c: string) => ({ matcher: { id: 'byName', options: c }, properties: [{ id: 'unit', value: 'percentunit' }, { id: 'decimals', value: 1 }] })
const NONE = { group_by: "'none'" }

/** Incidents: MTTR/MTTA trends, by priority/urgency and service, open incidents, reopen rate, hour-of-week heatmap, deploy correlation. */
export function incidentsDashboard(): Dashboard {
  const l = new Layout()
  l.add({
    type: 'stat', title: 'Open incidents now', w: 4, h: 4, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: 1 }] },
    description: 'Not resolved now, whenever they started (the time range does not apply).',
    sql: `SELECT count() AS open_incidents FROM incidents WHERE status = 'open' AND ${TEAM_FILTER} AND ${SERVICE_FILTER}`,
  })
  l.add({ type: 'stat', title: 'Incidents', w: 4, h: 4, thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] }, sql: fromReport('incidents_summary', 'incidents', NONE) })
  l.add({ type: 'stat', title: 'MTTA (median)', w: 4, h: 4, unit: 's', thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 900 }, { color: 'red', value: 3600 }] }, sql: fromReport('incidents_summary', 'mtta_median_seconds', NONE) })
  l.add({ type: 'stat', title: 'Time to restore (median)', w: 4, h: 4, unit: 's', thresholds: tierThresholds('timeToRestore'), sql: fromReport('incidents_summary', 'time_to_restore_median_seconds', NONE) })
  l.add({ type: 'stat', title: 'Reopen rate', w: 4, h: 4, unit: 'percentunit', decimals: 1, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.05 }, { color: 'red', value: 0.15 }] }, sql: fromReport('incidents_summary', 'reopen_rate', NONE) })
  l.add({ type: 'stat', title: 'Incidents per 100 deployments', w: 4, h: 4, decimals: 1, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 15 }, { color: 'red', value: 30 }] }, sql: fromReport('incidents_summary', 'incidents_per_100_deployments', NONE) })

  l.row('Trends (weeks in ${tz})')
  l.add({ type: 'timeseries', title: 'MTTA and time to restore per week (median)', w: 12, h: 8, unit: 's', sql: fromReport('incidents_trend', 'bucket_start AS time, mtta_median_seconds AS mtta, time_to_restore_median_seconds AS time_to_restore', { bucket: "'week'" }, 'ORDER BY time') })
  l.add({
    type: 'timeseries', title: 'Incidents started, per service', w: 12, h: 8, custom: { drawStyle: 'bars', fillOpacity: 70, stacking: { mode: 'normal' } },
    sql: `SELECT $__timeInterval(started_at) AS time, service, count() AS incidents
FROM incidents
WHERE $__timeFilter(started_at) AND ${TEAM_FILTER} AND ${SERVICE_FILTER}
GROUP BY time, service
ORDER BY time`,
  })

  l.row('Breakdowns')
  l.add({
    type: 'table', title: 'By priority and urgency', w: 12, h: 8,
    sql: fromReport('incidents_by_priority', 'priority, urgency, incidents, mtta_median_seconds, mtta_p90_seconds, time_to_resolve_median_seconds, time_to_resolve_p90_seconds, resolved', {}),
    overrides: ['mtta_median_seconds', 'mtta_p90_seconds', 'time_to_resolve_median_seconds', 'time_to_resolve_p90_seconds'].map(S),
  })
  l.add({
    type: 'table', title: 'By service', w: 12, h: 8,
    sql: fromReport('incidents_summary', 'service, team, incidents, open_incidents, reopen_rate, mtta_median_seconds, time_to_restore_median_seconds, deploy_correlated_share, incidents_per_100_deployments', { group_by: "'service'" }),
    overrides: [S('mtta_median_seconds'), S('time_to_restore_median_seconds'), PCT('reopen_rate'), PCT('deploy_correlated_share'), { matcher: { id: 'byName', options: 'incidents_per_100_deployments' }, properties: [{ id: 'decimals', value: 1 }] }],
  })
  l.add({ type: 'table', title: 'By team', w: 12, h: 6, sql: fromReport('incidents_summary', 'team, incidents, open_incidents, reopen_rate, mtta_median_seconds, time_to_restore_median_seconds, incidents_per_100_deployments', { group_by: "'team'" }), overrides: [S('mtta_median_seconds'), S('time_to_restore_median_seconds'), PCT('reopen_rate')] })
  l.add({ type: 'piechart', title: 'Deploy-correlated incidents', w: 12, h: 6, description: 'METRICS.md §5: explicit (names a deployed sha), window (attribution window), none.', sql: fromReport('incidents_deploy_correlation', 'label, incidents', {}) })

  l.row('Open incidents and when incidents start')
  l.add({
    type: 'table', title: 'Open incidents', w: 24, h: 8,
    sql: fromReport('incidents_open', "started_at, age_seconds, service, title, priority, urgency, acknowledged_at, reopen_count, link_kind, url", {}),
    overrides: [S('age_seconds')],
  })
  l.add({
    type: 'table', title: 'Incidents by weekday and hour (${tz})', w: 24, h: 9, thresholds: HEATMAP_TABLE.thresholds, custom: HEATMAP_TABLE.custom, overrides: HEATMAP_TABLE.overrides,
    description: "Hour of week when incidents start, in the dashboard timezone (doraflow query incidents_hour_of_week uses each service's own).",
    sql: hourOfWeekPivot('incidents_hour_of_week', 'incidents'),
  })
  return dashboard({
    uid: 'doraflow-incidents',
    title: 'DORA incidents',
    description: 'Incident analytics: MTTA/MTTR trends, priority/urgency, services, open incidents, reopen rate, hour of week, deploy correlation (doraflow).',
    tags: ['incidents'],
    variables: [teamVariable(), serviceVariable(), tzVariable()],
    panels: l.build(),
  })
}
