-- @report lead_time_histogram
-- @title Lead time distribution
-- @description Changes deployed in the period by lead time (commit → production, METRICS.md §3; negative lead times count as 0), in eight classes from under an hour to 30 days and more. Every class is listed.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (deployment time), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column bin UInt8 : 1 … 8, shortest first
-- @column lead_time String : the class: < 1h, 1-4h, 4-12h, 12-24h, 1-2d, 2-7d, 7-30d, >= 30d
-- @column min_seconds Float64 : lower bound, inclusive
-- @column max_seconds Nullable(Float64) : upper bound, exclusive (null: none)
-- @column changes UInt64 : changes with a lead time in the class
-- @column share Nullable(Float64) : changes / all changes of the period
-- @column cumulative_share Nullable(Float64) : share of changes with a lead time below max_seconds
SELECT
  c.bin AS bin, c.lead_time AS lead_time, c.min_seconds AS min_seconds, c.max_seconds AS max_seconds,
  d.changes AS changes,
  if(sum(d.changes) OVER () = 0, NULL, d.changes / sum(d.changes) OVER ()) AS share,
  if(sum(d.changes) OVER () = 0, NULL, sum(d.changes) OVER (ORDER BY c.bin ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) / sum(d.changes) OVER ()) AS cumulative_share
FROM (
  SELECT b.1 AS bin, b.2 AS lead_time, b.3 AS min_seconds, b.4 AS max_seconds
  FROM (SELECT arrayJoin([
    (toUInt8(1), '< 1h', 0., CAST(3600, 'Nullable(Float64)')),
    (toUInt8(2), '1-4h', 3600., CAST(14400, 'Nullable(Float64)')),
    (toUInt8(3), '4-12h', 14400., CAST(43200, 'Nullable(Float64)')),
    (toUInt8(4), '12-24h', 43200., CAST(86400, 'Nullable(Float64)')),
    (toUInt8(5), '1-2d', 86400., CAST(172800, 'Nullable(Float64)')),
    (toUInt8(6), '2-7d', 172800., CAST(604800, 'Nullable(Float64)')),
    (toUInt8(7), '7-30d', 604800., CAST(2592000, 'Nullable(Float64)')),
    (toUInt8(8), '>= 30d', 2592000., CAST(NULL, 'Nullable(Float64)'))]) AS b)
) AS c
LEFT JOIN (
  SELECT
    toUInt8(multiIf(lt < 3600, 1, lt < 14400, 2, lt < 43200, 3, lt < 86400, 4, lt < 172800, 5, lt < 604800, 6, lt < 2592000, 7, 8)) AS bin,
    count() AS changes
  FROM (
    SELECT greatest(lead_time_seconds, 0) AS lt FROM changes
    WHERE in_lead_time = 1 AND deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
      AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
      AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
  )
  GROUP BY bin
) AS d ON d.bin = c.bin
ORDER BY bin
