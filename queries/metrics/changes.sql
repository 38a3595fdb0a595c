-- Lead times of the changes of the deployments of the period: a change is
-- selected and bucketed by its deployment's deployed_at (copied onto the row).
-- A negative lead time (clock skew) counts as 0 (METRICS.md §3). Changes the projection marked
-- in_lead_time = 0 (bots, with metrics.excludeBots, §16) count as changes but not in lead time.
SELECT
  {{group}},
  {{bucket(deployed_at)}} AS bucket,
  count() AS changes,
  countIf(in_lead_time = 1) AS lead_count,
  quantileExactInclusiveIf(0.5)(greatest(lead_time_seconds, 0), in_lead_time = 1) AS lead_median,
  quantileExactInclusiveIf(0.9)(greatest(lead_time_seconds, 0), in_lead_time = 1) AS lead_p90,
  avgIf(greatest(lead_time_seconds, 0), in_lead_time = 1) AS lead_mean
FROM changes
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY g_service, g_team, g_class, bucket
