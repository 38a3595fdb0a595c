-- Flag changes with changed_at in [from, to) (METRICS.md §12): releases, full
-- releases (rollout duration over those), kill switches (time to kill).
SELECT
  {{group}},
  {{bucket(changed_at)}} AS bucket,
  countIf(is_release = 1) AS releases,
  countIf(is_full_release = 1) AS full_releases,
  countIf(is_full_release = 1) AS rollout_count,
  quantileExactInclusiveIf(0.5)(rollout_seconds, is_full_release = 1) AS rollout_median,
  quantileExactInclusiveIf(0.9)(rollout_seconds, is_full_release = 1) AS rollout_p90,
  avgIf(rollout_seconds, is_full_release = 1) AS rollout_mean,
  countIf(is_kill_switch = 1) AS kill_switches,
  countIf(is_kill_switch = 1) AS kill_count,
  quantileExactInclusiveIf(0.5)(time_to_kill_seconds, is_kill_switch = 1) AS kill_median,
  quantileExactInclusiveIf(0.9)(time_to_kill_seconds, is_kill_switch = 1) AS kill_p90,
  avgIf(time_to_kill_seconds, is_kill_switch = 1) AS kill_mean
FROM flag_changes
WHERE changed_at >= {from:DateTime64(3, 'UTC')} AND changed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY g_service, g_team, bucket
