-- Canary aborts with aborted_at in [from, to) (METRICS.md §15): failed
-- attempts caught early, and their blast radius (the highest weight reached).
SELECT
  {{group}},
  {{bucket(aborted_at)}} AS bucket,
  count() AS canary_aborts,
  count() AS blast_count,
  quantileExactInclusive(0.5)(max_weight) AS blast_median,
  quantileExactInclusive(0.9)(max_weight) AS blast_p90,
  avg(max_weight) AS blast_mean
FROM rollouts
WHERE canary_abort = 1 AND aborted_at >= {from:DateTime64(3, 'UTC')} AND aborted_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY g_service, g_team, bucket
