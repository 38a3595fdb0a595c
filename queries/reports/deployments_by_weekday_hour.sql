-- @report deployments_by_weekday_hour
-- @title Deployments and change failure rate by weekday and hour
-- @description Deployments of the period by weekday and hour of deployed_at in each service's own timezone, with their change failure rate: all 168 hours of the week, Monday 00h first (a heatmap).
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param tz String = config:timezone : IANA timezone of services not in service_names (and of all when it is empty)
-- @param service_names Array(String) = config:service_names : services whose own timezone is in service_tzs; doraflow fills this from the configuration
-- @param service_tzs Array(String) = config:service_tzs : the IANA timezone of each service in service_names, same order
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column weekday UInt8 : ISO weekday, 1 = Monday … 7 = Sunday, local to the service
-- @column weekday_name String : Mon … Sun
-- @column hour UInt8 : local hour, 0 … 23
-- @column deployments UInt64 : deployments in that hour of the week
-- @column failed_deployments UInt64 : of those, failed
-- @column change_failure_rate Nullable(Float64) : failed_deployments / deployments
SELECT
  w.weekday AS weekday,
  ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][w.weekday] AS weekday_name,
  w.hour AS hour,
  d.deployments AS deployments,
  d.failed_deployments AS failed_deployments,
  if(d.deployments = 0, NULL, d.failed_deployments / d.deployments) AS change_failure_rate
FROM (SELECT toUInt8(intDiv(number, 24) + 1) AS weekday, toUInt8(number % 24) AS hour FROM numbers(168)) AS w
LEFT JOIN (
  SELECT
    toDayOfWeek(local_at) AS weekday,
    toHour(local_at) AS hour,
    count() AS deployments,
    countIf(failed = 1) AS failed_deployments
  FROM (
    SELECT
      -- deployed_at as wall time in the service's timezone (toString takes a per-row timezone since ClickHouse 23.9)
      toDateTime64(toString(deployed_at, transform(service, {service_names:Array(String)}, {service_tzs:Array(String)}, {tz:String})), 3, 'UTC') AS local_at, failed
    FROM deployments
    WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
      AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
      AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
  )
  GROUP BY weekday, hour
) AS d ON d.weekday = w.weekday AND d.hour = w.hour
ORDER BY weekday, hour
