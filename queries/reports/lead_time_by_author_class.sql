-- @report lead_time_by_author_class
-- @title Lead time and failure rate by author class
-- @description Changes deployed in the period split by who made them (METRICS.md §16: bot, ai_assisted, human): their share of all changes, their lead time (without the bot changes metrics.excludeBots leaves out), and the failure rate of the deployments that carried them.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (deployment time), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column author_class LowCardinality(String) : bot, ai_assisted or human
-- @column changes UInt64 : changes of the class deployed in the period
-- @column change_share Float64 : changes / all changes deployed in the period
-- @column lead_time_count UInt64 : changes of the class counted in lead time
-- @column lead_time_median_seconds Nullable(Float64) : median lead time (null: none counted)
-- @column lead_time_p90_seconds Nullable(Float64) : 90th percentile lead time
-- @column deployments UInt64 : deployments that carried at least one change of the class
-- @column failed_deployments UInt64 : those of them that failed
-- @column change_failure_rate Nullable(Float64) : failed_deployments / deployments
SELECT
  c.author_class AS author_class,
  count() AS changes,
  count() / sum(count()) OVER () AS change_share,
  countIf(c.in_lead_time = 1) AS lead_time_count,
  if(countIf(c.in_lead_time = 1) = 0, NULL, quantileExactInclusiveIf(0.5)(greatest(c.lead_time_seconds, 0), c.in_lead_time = 1)) AS lead_time_median_seconds,
  if(countIf(c.in_lead_time = 1) = 0, NULL, quantileExactInclusiveIf(0.9)(greatest(c.lead_time_seconds, 0), c.in_lead_time = 1)) AS lead_time_p90_seconds,
  uniqExact(c.service, c.deployment_id) AS deployments,
  uniqExactIf((c.service, c.deployment_id), d.failed = 1) AS failed_deployments,
  if(uniqExact(c.service, c.deployment_id) = 0, NULL, uniqExactIf((c.service, c.deployment_id), d.failed = 1) / uniqExact(c.service, c.deployment_id)) AS change_failure_rate
FROM changes AS c
LEFT JOIN deployments AS d ON d.service = c.service AND d.id = c.deployment_id
WHERE c.deployed_at >= {from:DateTime64(3, 'UTC')} AND c.deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, c.service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, c.team))
GROUP BY author_class
ORDER BY author_class
