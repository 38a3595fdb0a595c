import { dashboard, fromReport, Layout, serviceVariable, teamVariable, tzVariable, type Dashboard } from './lib.ts'

const NONE = { group_by: "'none'" }
const SERVICE = { group_by: "'service'" }
const BLUE = { mode: 'absolute', steps: [{ color: 'blue', value: null }] }
const S = (c: string) => ({ matcher: { id: 'byName', options: c }, properties: [{ id: 'unit', value: 's' }] })
const FLAGS = { at: '$__toTime_ms', stale_days: 30 }

/** Releases and recovery (METRICS.md §12–§15): flag releases, kill switches, stale flags, recovery paths, freezes, canaries. */
export function releasesDashboard(): Dashboard {
  const l = new Layout()
  l.row('Releases (feature flags in production)')
  l.add({ type: 'stat', title: 'Releases', w: 4, h: 4, thresholds: BLUE, description: 'Flags going from 0 % to more than 0 % in the period.', sql: fromReport('releases_summary', 'releases', NONE) })
  l.add({ type: 'stat', title: 'Full releases', w: 4, h: 4, thresholds: BLUE, description: 'Releases reaching 100 %.', sql: fromReport('releases_summary', 'full_releases', NONE) })
  l.add({ type: 'stat', title: 'Rollout time (median)', w: 4, h: 4, unit: 's', thresholds: BLUE, description: 'Release → 100 %.', sql: fromReport('releases_summary', 'rollout_median_seconds', NONE) })
  l.add({ type: 'stat', title: 'Kill switches', w: 4, h: 4, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 1 }] }, description: 'Flags switched off while an incident of the service was open.', sql: fromReport('releases_summary', 'kill_switches', NONE) })
  l.add({ type: 'stat', title: 'Time to kill (median)', w: 4, h: 4, unit: 's', thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 900 }, { color: 'red', value: 3600 }] }, sql: fromReport('releases_summary', 'time_to_kill_median_seconds', NONE) })
  l.add({ type: 'stat', title: 'Stale flags (at the end)', w: 4, h: 4, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 1 }] }, description: 'At 100 % and unchanged for more than 30 days at the end of the time range: remove them.', sql: fromReport('flags_at', 'toUInt64(sum(stale)) AS stale_flags', FLAGS) })
  l.add({ type: 'table', title: 'Releases per service', w: 12, h: 8, sql: fromReport('releases_summary', 'service, releases, full_releases, rollout_median_seconds, kill_switches, time_to_kill_median_seconds', SERVICE), overrides: [S('rollout_median_seconds'), S('time_to_kill_median_seconds')] })
  l.add({ type: 'table', title: 'Flags at the end of the range (stale first)', w: 12, h: 8, sql: fromReport('flags_at', 'service, flag, environment, provider, exposure, since, stale', FLAGS) })

  l.row('Rollback vs hotfix')
  l.add({ type: 'barchart', title: 'Failed deployments by recovery path', w: 12, h: 8, description: 'METRICS.md §13: rollback, kill switch, fix-forward, other.', sql: fromReport('recovery_paths', 'path, failed_deployments', NONE), options: { xField: 'path' } })
  l.add({ type: 'table', title: 'Recovery time by path', w: 12, h: 8, sql: fromReport('recovery_paths', 'path, failed_deployments, recovery_median_seconds, recovery_p90_seconds', NONE), overrides: [S('recovery_median_seconds'), S('recovery_p90_seconds')] })

  l.row('Freezes and canaries')
  l.add({ type: 'table', title: 'Deployments during a freeze', w: 12, h: 8, description: 'Freeze annotations are the shaded regions on the time axes; config freezes are listed here by their deployments.', sql: fromReport('freeze_deployments', 'deployed_at, service, deployment_id, freeze_name, failed', {}) })
  l.add({ type: 'table', title: 'Rollouts and canary aborts per service', w: 12, h: 8, description: 'Attempts aborted before 100 % were caught by the canary; blast radius = the highest weight reached.', sql: fromReport('rollouts_summary', 'service, rollouts, canary_aborts, blast_radius_median_percent, blast_radius_max_percent', SERVICE) })
  // The freeze annotations are the shaded regions of every panel's time axis (lib.ts timelineAnnotations).
  return dashboard({
    uid: 'doraflow-releases',
    title: 'DORA releases and recovery',
    description: 'Flag releases, kill switches, stale flags, recovery paths (rollback vs hotfix), deployments during freezes, canary aborts (doraflow).',
    tags: ['releases'],
    variables: [teamVariable(), serviceVariable(), tzVariable()],
    panels: l.build(),
  })
}
