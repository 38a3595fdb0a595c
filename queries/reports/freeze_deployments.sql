-- @report freeze_deployments
-- @title Deployments during a release freeze
-- @description Every deployment of the period made inside a freeze that covers its service (config `freezes` or a `freeze`-tagged annotation, METRICS.md §14), with the freeze and the outcome.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (deployed_at), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column deployment_id String : the deployment (as in GET /api/v1/deployments)
-- @column service String : its service
-- @column team String : its team
-- @column deployed_at DateTime64(3, 'UTC') : when
-- @column freeze String : config:<name> or annotation:<id>
-- @column freeze_name String : the freeze's name (an annotation's text)
-- @column failed UInt8 : 1 when the deployment failed (METRICS.md §5)
SELECT deployment_id, service, team, deployed_at, freeze, freeze_name, failed
FROM freeze_deployments
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
ORDER BY deployed_at, deployment_id
