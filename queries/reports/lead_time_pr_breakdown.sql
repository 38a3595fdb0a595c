-- @report lead_time_pr_breakdown
-- @title Pull requests: opened → merged → deployed
-- @description Where the time goes, for the merged pull requests deployed in the period (METRICS.md §3, pull-request view): review (opened → merged) and waiting for a deploy (merged → deployed), as median, 90th percentile and mean; plus the pull requests merged in the period that no deployment has shipped yet.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (deployment time), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param group_by String = service [service|team|none] : one row per service, per team, or one row
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column service String : the service ('' unless group_by = service)
-- @column team String : the team ('' when group_by = none)
-- @column pull_requests UInt64 : merged pull requests deployed in the period
-- @column opened_to_merged_median_seconds Nullable(Float64) : median time from opened to merged
-- @column opened_to_merged_p90_seconds Nullable(Float64) : 90th percentile
-- @column opened_to_merged_mean_seconds Nullable(Float64) : mean
-- @column merged_to_deployed_median_seconds Nullable(Float64) : median time from merged to deployed
-- @column merged_to_deployed_p90_seconds Nullable(Float64) : 90th percentile
-- @column merged_to_deployed_mean_seconds Nullable(Float64) : mean
-- @column opened_to_deployed_median_seconds Nullable(Float64) : median time from opened to deployed
-- @column opened_to_deployed_p90_seconds Nullable(Float64) : 90th percentile
-- @column opened_to_deployed_mean_seconds Nullable(Float64) : mean
-- @column merged_not_deployed UInt64 : pull requests merged in the period and not deployed yet
SELECT
  if({group_by:String} = 'service', svc, '') AS service,
  if({group_by:String} = 'none', '', tm) AS team,
  countIf(deployed) AS pull_requests,
  quantileExactInclusiveIf(0.5)(om, deployed) AS opened_to_merged_median_seconds,
  quantileExactInclusiveIf(0.9)(om, deployed) AS opened_to_merged_p90_seconds,
  avgIf(om, deployed) AS opened_to_merged_mean_seconds,
  quantileExactInclusiveIf(0.5)(md, deployed) AS merged_to_deployed_median_seconds,
  quantileExactInclusiveIf(0.9)(md, deployed) AS merged_to_deployed_p90_seconds,
  avgIf(md, deployed) AS merged_to_deployed_mean_seconds,
  quantileExactInclusiveIf(0.5)(od, deployed) AS opened_to_deployed_median_seconds,
  quantileExactInclusiveIf(0.9)(od, deployed) AS opened_to_deployed_p90_seconds,
  avgIf(od, deployed) AS opened_to_deployed_mean_seconds,
  countIf(NOT deployed) AS merged_not_deployed
FROM (
  SELECT
    service AS svc, team AS tm,
    deployed_at IS NOT NULL AND deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')} AS deployed,
    toNullable(opened_to_merged_seconds) AS om,
    -- a merge commit deployed before the merge time (clock skew) counts as 0, as lead times do
    toNullable(greatest(assumeNotNull(merged_to_deployed_seconds), 0)) AS md,
    toNullable(greatest(assumeNotNull(opened_to_deployed_seconds), 0)) AS od
  FROM pull_requests
  WHERE (deployed OR (deployment_id IS NULL AND merged_at >= {from:DateTime64(3, 'UTC')} AND merged_at < {to:DateTime64(3, 'UTC')}))
    AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
    AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
)
GROUP BY service, team
ORDER BY service, team
