-- @report releases_summary
-- @title Flag releases, rollout time and kill switches per group
-- @description Flag changes in production of the period (METRICS.md §12): releases (0 → more than 0 %), full releases (reaching 100 %) with how long the rollout took, kill switches (off during an incident) with how long after the incident began.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (changed_at), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param group_by String = service [service|team|none] : one row per service, per team, or one row
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column service String : the service ('' unless group_by = service)
-- @column team String : the team ('' when group_by = none)
-- @column releases UInt64 : releases (a flag going from 0 to more than 0 %)
-- @column full_releases UInt64 : full releases (the first change reaching 100 % after a release)
-- @column rollout_median_seconds Nullable(Float64) : median time from release to full release
-- @column rollout_p90_seconds Nullable(Float64) : 90th percentile
-- @column kill_switches UInt64 : flags switched off while an incident of the service was open
-- @column time_to_kill_median_seconds Nullable(Float64) : median time from the incident's start to the switch
SELECT
  if({group_by:String} = 'service', f.service, '') AS service,
  if({group_by:String} = 'none', '', f.team) AS team,
  countIf(is_release = 1) AS releases,
  countIf(is_full_release = 1) AS full_releases,
  if(full_releases = 0, NULL, quantileExactInclusiveIf(0.5)(assumeNotNull(rollout_seconds), is_full_release = 1)) AS rollout_median_seconds,
  if(full_releases = 0, NULL, quantileExactInclusiveIf(0.9)(assumeNotNull(rollout_seconds), is_full_release = 1)) AS rollout_p90_seconds,
  countIf(is_kill_switch = 1) AS kill_switches,
  if(kill_switches = 0, NULL, quantileExactInclusiveIf(0.5)(assumeNotNull(time_to_kill_seconds), is_kill_switch = 1)) AS time_to_kill_median_seconds
FROM flag_changes AS f
WHERE changed_at >= {from:DateTime64(3, 'UTC')} AND changed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, f.service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, f.team))
GROUP BY service, team
ORDER BY service, team
