-- @report rollouts_summary
-- @title Progressive rollouts and what the canary caught
-- @description Rollout attempts started in the period per group (METRICS.md §15): how many, how many the canary aborted before 100 %, and the blast radius (highest weight reached) of those.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (started_at), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param group_by String = service [service|team|none] : one row per service, per team, or one row
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column service String : the service ('' unless group_by = service)
-- @column team String : the team ('' when group_by = none)
-- @column rollouts UInt64 : rollout attempts
-- @column canary_aborts UInt64 : attempts ending aborted or failed before weight 100
-- @column blast_radius_median_percent Nullable(Float64) : median highest weight of the aborted ones
-- @column blast_radius_max_percent Nullable(Float64) : the largest
SELECT
  if({group_by:String} = 'service', r.service, '') AS service,
  if({group_by:String} = 'none', '', r.team) AS team,
  count() AS rollouts,
  countIf(canary_abort = 1) AS canary_aborts,
  if(canary_aborts = 0, NULL, quantileExactInclusiveIf(0.5)(max_weight, canary_abort = 1)) AS blast_radius_median_percent,
  if(canary_aborts = 0, NULL, maxIf(max_weight, canary_abort = 1)) AS blast_radius_max_percent
FROM rollouts AS r
WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, r.service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, r.team))
GROUP BY service, team
ORDER BY service, team
