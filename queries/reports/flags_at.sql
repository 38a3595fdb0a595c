-- @report flags_at
-- @title Feature flags at an instant, stale ones marked
-- @description Each production flag's exposure as of `at` (its changes before then), since when, and whether it is stale: at 100 % and unchanged for more than stale_days (METRICS.md §12, the seed's "alert if a flag is more than 30 days old").
-- @param at DateTime64(3, 'UTC') = now : the instant (UTC)
-- @param stale_days Float64 = 30 : days at 100 % after which a flag is stale (metrics.staleFlagDays)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column service String : the flag's service
-- @column team String : its team
-- @column provider String : launchdarkly | unleash | flagsmith | generic
-- @column flag String : the flag key
-- @column environment String : the (production) environment
-- @column exposure Float64 : percentage of users served the flag's "on" behaviour
-- @column since DateTime64(3, 'UTC') : when the exposure last changed
-- @column stale UInt8 : 1 when at 100 % for more than stale_days
SELECT service, team, CAST(provider, 'String') AS provider, flag, environment,
       argMax(exposure_after, (changed_at, id)) AS exposure,
       max(changed_at) AS since,
       toUInt8(exposure = 100 AND dateDiff('millisecond', since, {at:DateTime64(3, 'UTC')}) > {stale_days:Float64} * 86400000) AS stale
FROM flag_changes
WHERE changed_at < {at:DateTime64(3, 'UTC')} AND exposure_after != exposure_before
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY service, team, provider, flag, environment
ORDER BY stale DESC, service, flag, environment
