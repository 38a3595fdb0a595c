-- Deployments of one team in [from, to) by weekday (1 = Monday) and hour in
-- {tz} (the team's timezone), with how many failed (METRICS.md §5).
-- Params: from, to DateTime64(3,'UTC'); team String; tz String (IANA).
SELECT
  toDayOfWeek(deployed_at, 0, {tz:String}) AS weekday,
  toHour(deployed_at, {tz:String}) AS hour,
  count() AS deployments,
  countIf(failed = 1) AS failed
FROM deployments
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND team = {team:String}
GROUP BY weekday, hour
ORDER BY weekday, hour
