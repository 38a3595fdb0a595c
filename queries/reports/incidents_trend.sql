-- @report incidents_trend
-- @title Incidents, MTTA and MTTR per day, week, month or quarter
-- @description Incidents started per calendar bucket in tz (weeks start on Monday), with median and mean time to acknowledge and to restore of those incidents (the time to restore of dora_trend). Buckets with no incident are omitted.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param tz String = config:timezone : IANA timezone of the calendar buckets
-- @param bucket String = week [day|week|month|quarter] : bucket size
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column bucket_start DateTime64(3, 'UTC') : start of the bucket (local midnight in tz, or from when the period cuts the bucket)
-- @column incidents UInt64 : incidents started in the bucket
-- @column open_incidents UInt64 : of those, not resolved now
-- @column mtta_median_seconds Nullable(Float64) : median time to acknowledge
-- @column mtta_mean_seconds Nullable(Float64) : mean time to acknowledge
-- @column time_to_restore_median_seconds Nullable(Float64) : median time to restore (resolved ones)
-- @column time_to_restore_mean_seconds Nullable(Float64) : mean time to restore (resolved ones)
SELECT
  greatest(toTimeZone(toDateTime64(day, 3, {tz:String}), 'UTC'), {from:DateTime64(3, 'UTC')}) AS bucket_start,
  count() AS incidents,
  countIf(status = 'open') AS open_incidents,
  quantileExactInclusive(0.5)(acknowledge_seconds) AS mtta_median_seconds,
  avg(acknowledge_seconds) AS mtta_mean_seconds,
  quantileExactInclusive(0.5)(restore_seconds) AS time_to_restore_median_seconds,
  avg(restore_seconds) AS time_to_restore_mean_seconds
FROM (
  SELECT *,
    multiIf({bucket:String} = 'day', toDate(started_at, {tz:String}), {bucket:String} = 'week', toMonday(started_at, {tz:String}),
            {bucket:String} = 'month', toStartOfMonth(started_at, {tz:String}), toStartOfQuarter(started_at, {tz:String})) AS day
  FROM incidents
  WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
    AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
    AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
)
GROUP BY day
ORDER BY bucket_start
