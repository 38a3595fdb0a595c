-- @report incidents_by_priority
-- @title Time to acknowledge and to resolve by priority and urgency
-- @description Incidents started in the period per (priority, urgency) as PagerDuty (or the source) last set them; '(none)' where the source has none (GitHub issues). MTTA: started → first acknowledgement; time to resolve: started → resolved (METRICS.md §4, §6), over the incidents that have one.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column priority String : priority, or '(none)'
-- @column urgency String : urgency, or '(none)'
-- @column incidents UInt64 : incidents started in the period
-- @column acknowledged UInt64 : of those, acknowledged
-- @column mtta_median_seconds Nullable(Float64) : median time to acknowledge
-- @column mtta_p90_seconds Nullable(Float64) : 90th percentile time to acknowledge
-- @column mtta_mean_seconds Nullable(Float64) : mean time to acknowledge
-- @column resolved UInt64 : of those, resolved
-- @column time_to_resolve_median_seconds Nullable(Float64) : median time to resolve
-- @column time_to_resolve_p90_seconds Nullable(Float64) : 90th percentile time to resolve
-- @column time_to_resolve_mean_seconds Nullable(Float64) : mean time to resolve
SELECT
  ifNull(priority, '(none)') AS priority,
  ifNull(urgency, '(none)') AS urgency,
  count() AS incidents,
  countIf(acknowledge_seconds IS NOT NULL) AS acknowledged,
  quantileExactInclusive(0.5)(acknowledge_seconds) AS mtta_median_seconds,
  quantileExactInclusive(0.9)(acknowledge_seconds) AS mtta_p90_seconds,
  avg(acknowledge_seconds) AS mtta_mean_seconds,
  countIf(restore_seconds IS NOT NULL) AS resolved,
  quantileExactInclusive(0.5)(restore_seconds) AS time_to_resolve_median_seconds,
  quantileExactInclusive(0.9)(restore_seconds) AS time_to_resolve_p90_seconds,
  avg(restore_seconds) AS time_to_resolve_mean_seconds
FROM incidents
WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY priority, urgency
ORDER BY priority, urgency
