-- Incidents with started_at in [from, to); time to restore over the resolved
-- ones only (restore_seconds = resolved_at - started_at, null while open).
SELECT
  {{group}},
  {{bucket(started_at)}} AS bucket,
  count() AS incidents,
  countIf(restore_seconds IS NOT NULL) AS restore_count,
  quantileExactInclusive(0.5)(restore_seconds) AS restore_median,
  quantileExactInclusive(0.9)(restore_seconds) AS restore_p90,
  avg(restore_seconds) AS restore_mean
FROM incidents
WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY g_service, g_team, g_class, bucket
