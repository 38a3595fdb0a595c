-- @report incidents_hour_of_week
-- @title When incidents start
-- @description Incidents started in the period by weekday and hour of started_at in each service's own timezone: all 168 hours of the week, Monday 00h first (a heatmap).
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
-- @column incidents UInt64 : incidents that started in that hour of the week
SELECT
  w.weekday AS weekday,
  ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][w.weekday] AS weekday_name,
  w.hour AS hour,
  i.incidents AS incidents
FROM (SELECT toUInt8(intDiv(number, 24) + 1) AS weekday, toUInt8(number % 24) AS hour FROM numbers(168)) AS w
LEFT JOIN (
  SELECT
    toDayOfWeek(local_at) AS weekday,
    toHour(local_at) AS hour,
    count() AS incidents
  FROM (
    SELECT
      -- started_at as wall time in the service's timezone (toString takes a per-row timezone since ClickHouse 23.9)
      toDateTime64(toString(started_at, transform(service, {service_names:Array(String)}, {service_tzs:Array(String)}, {tz:String})), 3, 'UTC') AS local_at
    FROM incidents
    WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
      AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
      AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
  )
  GROUP BY weekday, hour
) AS i ON i.weekday = w.weekday AND i.hour = w.hour
ORDER BY weekday, hour
