-- Lead times of the changes of the deployments of the period: a change is
-- selected and bucketed by its deployment's deployed_at (copied onto the row).
-- A negative lead time (clock skew) counts as 0 (METRICS.md §3).
SELECT
  {{group}},
  {{bucket(deployed_at)}} AS bucket,
  count() AS lead_count,
  quantileExactInclusive(0.5)(greatest(lead_time_seconds, 0)) AS lead_median,
  quantileExactInclusive(0.9)(greatest(lead_time_seconds, 0)) AS lead_p90,
  avg(greatest(lead_time_seconds, 0)) AS lead_mean
FROM changes
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY g_service, g_team, bucket
