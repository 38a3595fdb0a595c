import { RECOVERY_PATHS } from '../contracts/release-records.ts'
import { alignedTable, groupColumns, humanizeSeconds } from './format.ts'
import type { MetricsAnswer, MetricsAnswerRow } from './metrics.ts'

const PATH_TITLES = { rollback: 'ROLLBACK', kill_switch: 'KILL SW.', fix_forward: 'FIX-FWD', other: 'OTHER' } as const

/** `doraflow metrics --releases`: the release fields of each row (METRICS.md §12–§15), as a table. */
export function formatReleaseTable(a: MetricsAnswer): string {
  const cols = groupColumns<MetricsAnswerRow>(a)
  const withMedian = (n: number, median: number | null) => (n === 0 ? '0' : `${n} (${humanizeSeconds(median)})`)
  cols.push(
    { title: 'RELEASES', right: true, get: (r) => String(r.release.releases) },
    { title: 'FULL (ROLLOUT)', right: true, get: (r) => withMedian(r.release.fullReleases, r.release.rolloutSeconds.median) },
    { title: 'KILLS (TTK)', right: true, get: (r) => withMedian(r.release.killSwitches, r.release.timeToKillSeconds.median) },
    { title: 'STALE', right: true, get: (r) => String(r.release.staleFlags) },
    ...RECOVERY_PATHS.map((p) => ({ title: PATH_TITLES[p], right: true, get: (r: MetricsAnswerRow) => withMedian(r.recoveryByPath[p].count, r.recoveryByPath[p].median) })),
    { title: 'IN FREEZE (FAILED)', right: true, get: (r) => `${r.freezeDeployments} (${r.freezeFailedDeployments})` },
    { title: 'CANARY ABORTS', right: true, get: (r) => (r.canaryAborts === 0 ? '0' : `${r.canaryAborts} (≤ ${r.blastRadiusPercent.p90} %)`) },
  )
  return alignedTable(`Releases ${a.from} .. ${a.to} (${a.tz}); rollout, time to kill and recovery are medians, blast radius the p90`, cols, a.rows)
}
