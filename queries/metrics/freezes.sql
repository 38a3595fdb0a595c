-- Deployments during a freeze with deployed_at in [from, to) (METRICS.md §14).
SELECT
  {{group}},
  {{bucket(deployed_at)}} AS bucket,
  count() AS freeze_deployments,
  countIf(failed = 1) AS freeze_failed_deployments
FROM freeze_deployments
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY g_service, g_team, bucket
