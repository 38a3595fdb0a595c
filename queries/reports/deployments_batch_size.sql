-- @report deployments_batch_size
-- @title Batch size against failure
-- @description Deployments of the period by how many changes each shipped (change_count, METRICS.md §3), with the change failure rate of each size class: do big batches fail more often? Redeploys and rollbacks ship no changes (class 0).
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column size_class UInt8 : 1 … 6, in order of size
-- @column batch_size String : changes per deployment: 0, 1, 2-3, 4-7, 8-15, 16+
-- @column min_changes UInt32 : smallest change_count in the class
-- @column max_changes Nullable(UInt32) : largest change_count in the class (null: no limit)
-- @column deployments UInt64 : deployments of that size
-- @column failed_deployments UInt64 : of those, failed
-- @column change_failure_rate Nullable(Float64) : failed_deployments / deployments
-- @column changes UInt64 : changes those deployments shipped
SELECT
  c.size_class AS size_class, c.batch_size AS batch_size, c.min_changes AS min_changes, c.max_changes AS max_changes,
  d.deployments AS deployments,
  d.failed_deployments AS failed_deployments,
  if(d.deployments = 0, NULL, d.failed_deployments / d.deployments) AS change_failure_rate,
  d.changes AS changes
FROM (
  SELECT b.1 AS size_class, b.2 AS batch_size, b.3 AS min_changes, b.4 AS max_changes FROM (SELECT arrayJoin([
    (toUInt8(1), '0', toUInt32(0), CAST(0, 'Nullable(UInt32)')),
    (toUInt8(2), '1', toUInt32(1), CAST(1, 'Nullable(UInt32)')),
    (toUInt8(3), '2-3', toUInt32(2), CAST(3, 'Nullable(UInt32)')),
    (toUInt8(4), '4-7', toUInt32(4), CAST(7, 'Nullable(UInt32)')),
    (toUInt8(5), '8-15', toUInt32(8), CAST(15, 'Nullable(UInt32)')),
    (toUInt8(6), '16+', toUInt32(16), CAST(NULL, 'Nullable(UInt32)'))]) AS b)
) AS c
LEFT JOIN (
  SELECT
    toUInt8(multiIf(change_count = 0, 1, change_count = 1, 2, change_count <= 3, 3, change_count <= 7, 4, change_count <= 15, 5, 6)) AS size_class,
    count() AS deployments,
    countIf(failed = 1) AS failed_deployments,
    sum(change_count) AS changes
  FROM deployments
  WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
    AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
    AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
  GROUP BY size_class
) AS d ON d.size_class = c.size_class
ORDER BY size_class
