import type { QuarterlyReport, Scope } from './data.ts'
import { changeOf, FIGURES } from './figures.ts'
import { csvField as field } from '../../queries/csv.ts'
import { extrasCsv } from './render-extras.ts'
import { RECOVERY_PATHS } from '../../contracts/release-records.ts'

/**
 * Long format for spreadsheets: one line per scope (overall, team, service) and
 * figure, with the value at full precision, its tier, the previous quarter's
 * value and the change. RFC 4180, CRLF line ends, empty cell = no value.
 */
export const CSV_COLUMNS = [
  'quarter',
  'scope',
  'team',
  'service',
  'figure',
  'value',
  'unit',
  'tier',
  'previous_quarter',
  'previous_value',
  'previous_tier',
  'change',
  'change_kind',
  'direction',
] as const

export function renderCsv(r: QuarterlyReport): string {
  const lines: string[] = [CSV_COLUMNS.join(',')]
  const emit = (scope: 'overall' | 'team' | 'service', s: Scope) => {
    for (const f of FIGURES) {
      const ch = changeOf(f, s.current, s.previous)
      lines.push(
        [
          r.quarter.label,
          scope,
          s.team,
          s.service,
          f.key,
          s.current ? f.value(s.current) : null,
          f.unit,
          s.current ? f.tier(s.current) : null,
          r.previous.label,
          s.previous ? f.value(s.previous) : null,
          s.previous ? f.tier(s.previous) : null,
          ch.delta,
          f.change,
          ch.direction,
        ]
          .map(field)
          .join(','),
      )
    }
    // The counts behind the rates, so a spreadsheet can recompute them.
    for (const [key, get] of [
      ['deployments', (x: NonNullable<Scope['current']>) => x.deployments],
      ['failedDeployments', (x: NonNullable<Scope['current']>) => x.failedDeployments],
      ['failedAttempts', (x: NonNullable<Scope['current']>) => x.failedAttempts],
      ['incidents', (x: NonNullable<Scope['current']>) => x.incidents],
      ['reworkDeployments', (x: NonNullable<Scope['current']>) => x.reworkDeployments],
    ] as const) {
      const c = s.current ? get(s.current) : 0
      const p = s.previous ? get(s.previous) : 0
      lines.push([r.quarter.label, scope, s.team, s.service, key, c, 'count', null, r.previous.label, p, null, c - p, 'difference', null].map(field).join(','))
    }
    for (const line of extrasCsv(r, scope, s)) lines.push(line.map(field).join(','))
    // METRICS.md §12–§15: counts, and medians in seconds or percent.
    type Row = NonNullable<Scope['current']>
    const releaseFigures: [string, 'count' | 'seconds' | 'percent', (x: Row) => number | null][] = [
      ['releases', 'count', (x) => x.release.releases],
      ['fullReleases', 'count', (x) => x.release.fullReleases],
      ['rolloutMedian', 'seconds', (x) => x.release.rolloutSeconds.median],
      ['killSwitches', 'count', (x) => x.release.killSwitches],
      ['timeToKillMedian', 'seconds', (x) => x.release.timeToKillSeconds.median],
      ['staleFlags', 'count', (x) => x.release.staleFlags],
      ...RECOVERY_PATHS.flatMap((p): [string, 'count' | 'seconds', (x: Row) => number | null][] => [
        [`recovery_${p}`, 'count', (x) => x.recoveryByPath[p].count],
        [`recovery_${p}_median`, 'seconds', (x) => x.recoveryByPath[p].median],
      ]),
      ['freezeDeployments', 'count', (x) => x.freezeDeployments],
      ['freezeFailedDeployments', 'count', (x) => x.freezeFailedDeployments],
      ['canaryAborts', 'count', (x) => x.canaryAborts],
      ['blastRadiusMedian', 'percent', (x) => x.blastRadiusPercent.median],
    ]
    for (const [key, unit, get] of releaseFigures) {
      const c = s.current ? get(s.current) : unit === 'count' ? 0 : null
      const p = s.previous ? get(s.previous) : unit === 'count' ? 0 : null
      lines.push([r.quarter.label, scope, s.team, s.service, key, c, unit, null, r.previous.label, p, null, c !== null && p !== null ? c - p : null, 'difference', null].map(field).join(','))
    }
  }
  if (!r.team) emit('overall', r.overall)
  for (const t of r.teams) {
    emit('team', t.summary)
    for (const s of t.services) emit('service', s)
  }
  return lines.join('\r\n') + '\r\n'
}
