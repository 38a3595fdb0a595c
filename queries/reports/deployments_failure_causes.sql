-- @report deployments_failure_causes
-- @title Why deployments failed
-- @description Failed deployments of the period per kind of cause; a deployment with causes of several kinds counts once in each, so shares can add up to more than 1.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column cause String : incident (an incident names its sha), window (incident in the attribution window), rollback (it was rolled back)
-- @column label String : the cause in words
-- @column failed_deployments UInt64 : failed deployments with a cause of this kind
-- @column share_of_failed Float64 : failed_deployments / all failed deployments of the period
SELECT
  cause,
  multiIf(cause = 'incident', 'incident names its sha', cause = 'window', 'incident within the attribution window', cause = 'rollback', 'rolled back', cause) AS label,
  count() AS failed_deployments,
  failed_deployments / any(total) AS share_of_failed
FROM (
  SELECT arrayJoin(arrayDistinct(arrayMap(c -> splitByChar(':', c)[1], failure_causes))) AS cause, total
  FROM (
    -- total: failed deployments of the period, counted before a deployment is split by cause
    SELECT failure_causes, count() OVER () AS total FROM deployments
    WHERE failed = 1
      AND deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
      AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
      AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
  )
)
GROUP BY cause
ORDER BY failed_deployments DESC, cause
