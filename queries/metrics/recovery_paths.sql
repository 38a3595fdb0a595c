-- Recovery paths of the failed deployments with deployed_at in [from, to)
-- (METRICS.md §13): count and recovery stats per path, one column set per path.
SELECT
  {{group}},
  {{bucket(deployed_at)}} AS bucket,
  countIf(path = 'rollback') AS rollback_count,
  quantileExactInclusiveIf(0.5)(recovery_seconds, path = 'rollback') AS rollback_median,
  quantileExactInclusiveIf(0.9)(recovery_seconds, path = 'rollback') AS rollback_p90,
  avgIf(recovery_seconds, path = 'rollback') AS rollback_mean,
  countIf(path = 'kill_switch') AS kill_switch_count,
  quantileExactInclusiveIf(0.5)(recovery_seconds, path = 'kill_switch') AS kill_switch_median,
  quantileExactInclusiveIf(0.9)(recovery_seconds, path = 'kill_switch') AS kill_switch_p90,
  avgIf(recovery_seconds, path = 'kill_switch') AS kill_switch_mean,
  countIf(path = 'fix_forward') AS fix_forward_count,
  quantileExactInclusiveIf(0.5)(recovery_seconds, path = 'fix_forward') AS fix_forward_median,
  quantileExactInclusiveIf(0.9)(recovery_seconds, path = 'fix_forward') AS fix_forward_p90,
  avgIf(recovery_seconds, path = 'fix_forward') AS fix_forward_mean,
  countIf(path = 'other') AS other_count,
  quantileExactInclusiveIf(0.5)(recovery_seconds, path = 'other') AS other_median,
  quantileExactInclusiveIf(0.9)(recovery_seconds, path = 'other') AS other_p90,
  avgIf(recovery_seconds, path = 'other') AS other_mean
FROM recovery_paths
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY g_service, g_team, bucket
