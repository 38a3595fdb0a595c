-- Deployments with deployed_at in [from, to), per group and bucket (METRICS.md §6).
-- failed / rework / recovery are properties of the whole event set, computed by
-- the projector; here they are only counted for the deployments of the period.
-- The group and bucket placeholders are fixed fragments chosen in metrics.ts by enum value;
-- deployed_at is this file's time column. Every value is a server-side parameter.
SELECT
  {{group}},
  {{bucket(deployed_at)}} AS bucket,
  count() AS deployments,
  countIf(failed = 1) AS failed_deployments,
  countIf(rework = 1) AS rework_deployments,
  -- recovery: failed deployments that did recover; unrecovered ones are left out
  countIf(failed = 1 AND recovery_seconds IS NOT NULL) AS recovery_count,
  quantileExactInclusiveIf(0.5)(recovery_seconds, failed = 1 AND recovery_seconds IS NOT NULL) AS recovery_median,
  quantileExactInclusiveIf(0.9)(recovery_seconds, failed = 1 AND recovery_seconds IS NOT NULL) AS recovery_p90,
  avgIf(recovery_seconds, failed = 1 AND recovery_seconds IS NOT NULL) AS recovery_mean
FROM deployments
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY g_service, g_team, g_class, bucket
