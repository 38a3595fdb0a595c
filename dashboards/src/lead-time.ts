import { dashboard, fromReport, Layout, serviceVariable, teamVariable, tierThresholds, tzVariable, type Dashboard } from './lib.ts'

const S = (c: string) => ({ matcher: { id: 'byName', options: c }, properties: [{ id: 'unit', value: 's' }] })

/** Lead time: distribution, PR opened → merged → deployed, slowest changes. */
export function leadTimeDashboard(): Dashboard {
  const l = new Layout()
  l.add({ type: 'stat', title: 'Median lead time', w: 6, h: 5, unit: 's', thresholds: tierThresholds('leadTime'), sql: fromReport('dora_summary', 'lead_time_median_seconds', { group_by: "'none'" }) })
  l.add({ type: 'stat', title: '90th percentile lead time', w: 6, h: 5, unit: 's', thresholds: tierThresholds('leadTime'), sql: fromReport('dora_summary', 'lead_time_p90_seconds', { group_by: "'none'" }) })
  l.add({ type: 'stat', title: 'Changes deployed', w: 6, h: 5, thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] }, sql: fromReport('dora_summary', 'lead_time_count', { group_by: "'none'" }) })
  l.add({ type: 'stat', title: 'Merged PRs waiting for a deploy', w: 6, h: 5, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 5 }] }, sql: fromReport('lead_time_pr_breakdown', 'merged_not_deployed', { group_by: "'none'" }) })
  l.add({
    type: 'barchart', title: 'Lead time distribution', w: 12, h: 9,
    description: 'Changes deployed in the period by lead time (commit → production).',
    sql: fromReport('lead_time_histogram', 'lead_time, changes', {}, 'ORDER BY bin'),
    options: { xField: 'lead_time' },
  })
  l.add({ type: 'timeseries', title: 'Lead time per week (median, p90)', w: 12, h: 9, unit: 's', sql: fromReport('dora_trend', 'bucket_start AS time, lead_time_median_seconds AS median, lead_time_p90_seconds AS p90', { group_by: "'none'", bucket: "'week'" }, 'ORDER BY time') })
  l.add({
    type: 'barchart', title: 'Pull requests: opened → merged → deployed (median per service)', w: 12, h: 9, unit: 's',
    description: 'Review time (opened → merged) and waiting for a deploy (merged → deployed) of the merged PRs deployed in the period.',
    sql: fromReport('lead_time_pr_breakdown', 'service, opened_to_merged_median_seconds AS review, merged_to_deployed_median_seconds AS waiting_for_deploy', { group_by: "'service'" }, 'ORDER BY service'),
    options: { xField: 'service', stacking: 'normal', orientation: 'horizontal' },
  })
  l.add({
    type: 'table', title: 'Pull request breakdown', w: 12, h: 9,
    sql: fromReport('lead_time_pr_breakdown', '*', { group_by: "'service'" }),
    overrides: ['opened_to_merged', 'merged_to_deployed', 'opened_to_deployed'].flatMap((p) => ['median', 'p90', 'mean'].map((s) => S(`${p}_${s}_seconds`))),
  })
  l.add({
    type: 'table', title: 'Slowest changes', w: 24, h: 10,
    sql: fromReport('lead_time_slowest', 'lead_time_seconds, service, repo, substring(sha, 1, 10) AS sha, message, author, committed_at, deployed_at, deployment_id, url', { limit: 25 }),
    overrides: [S('lead_time_seconds'), { matcher: { id: 'byName', options: 'url' }, properties: [{ id: 'links', value: [{ title: 'open', url: '${__value.raw}' }] }] }],
  })
  return dashboard({
    uid: 'doraflow-lead-time',
    title: 'DORA lead time',
    description: 'Lead time for changes: distribution, pull request stages, slowest changes (doraflow).',
    tags: ['lead-time'],
    variables: [teamVariable(), serviceVariable(), tzVariable()],
    panels: l.build(),
  })
}
