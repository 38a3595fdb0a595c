-- @report deployments_by_weekday
-- @title Deployments and change failure rate by weekday
-- @description "Are Friday deploys riskier here?": deployments of the period by the weekday of deployed_at in each service's own timezone, with their change failure rate. All seven weekdays are listed, Monday first.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param tz String = config:timezone : IANA timezone of services not in service_names (and of all when it is empty)
-- @param service_names Array(String) = config:service_names : services whose own timezone is in service_tzs; doraflow fills this from the configuration
-- @param service_tzs Array(String) = config:service_tzs : the IANA timezone of each service in service_names, same order
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column weekday UInt8 : ISO weekday, 1 = Monday … 7 = Sunday, local to the service
-- @column weekday_name String : Mon … Sun
-- @column deployments UInt64 : deployments on that weekday
-- @column failed_deployments UInt64 : of those, failed
-- @column change_failure_rate Nullable(Float64) : failed_deployments / deployments
-- @column rework_deployments UInt64 : of those, rework
-- @column share_of_deployments Nullable(Float64) : deployments / all deployments of the period
SELECT
  w.weekday AS weekday,
  ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][w.weekday] AS weekday_name,
  d.deployments AS deployments,
  d.failed_deployments AS failed_deployments,
  if(d.deployments = 0, NULL, d.failed_deployments / d.deployments) AS change_failure_rate,
  d.rework_deployments AS rework_deployments,
  if(sum(d.deployments) OVER () = 0, NULL, d.deployments / sum(d.deployments) OVER ()) AS share_of_deployments
FROM (SELECT toUInt8(number + 1) AS weekday FROM numbers(7)) AS w
LEFT JOIN (
  SELECT
    -- deployed_at as wall time in the service's timezone (toString takes a per-row timezone since ClickHouse 23.9)
    toDayOfWeek(toDateTime64(toString(deployed_at, transform(service, {service_names:Array(String)}, {service_tzs:Array(String)}, {tz:String})), 3, 'UTC')) AS weekday,
    count() AS deployments,
    countIf(failed = 1) AS failed_deployments,
    countIf(rework = 1) AS rework_deployments
  FROM deployments
  WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
    AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
    AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
  GROUP BY weekday
) AS d ON d.weekday = w.weekday
ORDER BY weekday
