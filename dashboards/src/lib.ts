import { DEFAULT_TIERS, type TierThresholds } from '../../config/schema.ts'
import { getReport } from '../../queries/library.ts'

/**
 * Hand-written builders for Grafana dashboard JSON (schemaVersion 39) over the
 * official ClickHouse datasource plugin (grafana-clickhouse-datasource, v4).
 * The dashboards/*.json files are generated from dashboards/src/*.ts by
 * `npm run dashboards`; a test checks that the checked-in JSON is the output.
 *
 * Panel SQL comes from the report library where a report exists (one source
 * of truth): reportSql() takes queries/reports/NAME.sql and replaces its
 * server-side parameters with what Grafana provides —
 *   {from:…} / {to:…}            → $__fromTime_ms / $__toTime_ms (the plugin's DateTime64(3) macros;
 *                                   the report's own half-open [from, to) filter is kept)
 *   {services:…} / {teams:…}     → [${service:singlequote}] / [${team:singlequote}]
 *                                   (All expands to every option of the variable)
 *   {tz:String}                  → ${tz:singlequote} (the dashboard's tz variable)
 *   {service_names}/{service_tzs} → empty lists: a dashboard reads every service in ${tz}
 *                                   (the service timezones live in doraflow's config, which Grafana cannot see)
 *   anything else (group_by, bucket, limit) → a literal fixed by the panel.
 */

export const DATASOURCE = { type: 'grafana-clickhouse-datasource', uid: 'doraflow-clickhouse' } as const
export const SCHEMA_VERSION = 39

export type PanelType = 'stat' | 'timeseries' | 'table' | 'barchart' | 'piechart' | 'text' | 'row'

export interface Panel {
  id: number
  type: PanelType
  title: string
  description?: string
  gridPos: { x: number; y: number; w: number; h: number }
  datasource?: typeof DATASOURCE
  targets?: Target[]
  fieldConfig?: unknown
  options?: unknown
  collapsed?: boolean
  panels?: Panel[]
  transformations?: unknown[]
}

export interface Target {
  refId: string
  datasource: typeof DATASOURCE
  editorType: 'sql'
  queryType: 'table' | 'timeseries'
  /** sqlutil.FormatQueryOption: 0 time series, 1 table. */
  format: 0 | 1
  rawSql: string
}

export interface Variable {
  type: 'query' | 'custom'
  name: string
  label: string
  description?: string
  datasource?: typeof DATASOURCE
  query: string
  definition?: string
  multi: boolean
  includeAll: boolean
  current: { text: string | string[]; value: string | string[] }
  options: { text: string; value: string; selected: boolean }[]
  refresh?: 1 | 2
  sort?: number
  hide: 0
}

/** A dashboard annotation query (Grafana maps the columns time, timeEnd, text, tags by name). */
export interface Annotation {
  name: string
  enable: boolean
  hide: boolean
  iconColor: string
  datasource: typeof DATASOURCE
  target: Target
}

/**
 * The annotations people pin through POST /api/v1/annotations (the `annotations`
 * table): a point, or a region when it has an end. Those about no service show
 * whatever services are selected; FINAL keeps the latest event of each, so
 * removed ones stay hidden.
 */
export function timelineAnnotations(): Annotation {
  const rawSql = `SELECT at AS time, end_at AS timeEnd, text, arrayStringConcat(tags, ',') AS tags
FROM annotations FINAL
WHERE removed = 0
  AND at <= $__toTime AND ifNull(end_at, at) >= $__fromTime
  AND (team = '' OR ${TEAM_FILTER})
  AND (service = '' OR ${SERVICE_FILTER})
ORDER BY time`
  return {
    name: 'doraflow annotations',
    enable: true,
    hide: false,
    iconColor: 'purple',
    datasource: DATASOURCE,
    target: { refId: 'Anno', datasource: DATASOURCE, editorType: 'sql', queryType: 'table', format: 1, rawSql },
  }
}

export interface Dashboard {
  uid: string
  title: string
  description: string
  tags: string[]
  timezone: string
  editable: boolean
  graphTooltip: 1
  schemaVersion: number
  version: 1
  refresh: string
  time: { from: string; to: string }
  templating: { list: Variable[] }
  annotations: { list: Annotation[] }
  links: unknown[]
  panels: Panel[]
}

// ---------------------------------------------------------------- SQL from reports

const GRAFANA_PARAM: Record<string, string> = {
  from: '$__fromTime_ms',
  to: '$__toTime_ms',
  services: '[${service:singlequote}]',
  teams: '[${team:singlequote}]',
  tz: '${tz:singlequote}',
  service_names: "CAST([], 'Array(String)')",
  service_tzs: "CAST([], 'Array(String)')",
}

/**
 * The statement of queries/reports/NAME.sql with its parameters replaced for
 * Grafana; `fixed` gives literal SQL for the others (e.g. { group_by: "'none'" }).
 */
export function reportSql(name: string, fixed: Record<string, string | number> = {}): string {
  const report = getReport(name)
  if (!report) throw new Error(`no report ${name}`)
  let sql = report.body
  for (const p of report.params) {
    const lit = fixed[p.name]
    const value = lit !== undefined ? (typeof lit === 'number' ? String(lit) : lit) : GRAFANA_PARAM[p.name]
    if (value === undefined) throw new Error(`${name}: the panel must fix parameter ${p.name}`)
    sql = sql.replaceAll(`{${p.name}:${p.type}}`, value)
  }
  if (/(?<!\$)\{\w+:[A-Z]/.test(sql)) throw new Error(`${name}: a parameter is left in the SQL`)
  return `-- queries/reports/${name}.sql\n${sql}`
}

/** A report as a subquery: SELECT <columns> FROM (<report>) [rest]. */
export function fromReport(name: string, select: string, fixed: Record<string, string | number> = {}, rest = ''): string {
  const inner = reportSql(name, fixed)
  return `SELECT ${select}\nFROM (\n${indent(inner)}\n)${rest ? `\n${rest}` : ''}`
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n')

/** Filters for hand-written panel SQL: the plugin's $__conditionalAll with the dashboard variables. */
export const TEAM_FILTER = '$__conditionalAll(team IN (${team:singlequote}), $team)'
export const SERVICE_FILTER = '$__conditionalAll(service IN (${service:singlequote}), $service)'

/** A weekday × hour table (rows Mon…Sun, columns 00…23) from a report with weekday, weekday_name, hour and `value`. */
export function hourOfWeekPivot(name: string, value: string, fixed: Record<string, string | number> = {}): string {
  const hours = Array.from({ length: 24 }, (_, h) => `sumIf(${value}, hour = ${h}) AS \`${String(h).padStart(2, '0')}\``).join(',\n  ')
  return fromReport(name, `weekday_name AS day,\n  ${hours}`, fixed, 'GROUP BY weekday, weekday_name\nORDER BY weekday')
}

// ---------------------------------------------------------------- tiers

export type TierKey = keyof TierThresholds
export const TIERS: TierThresholds = DEFAULT_TIERS

/** SQL for the tier of a figure (METRICS.md §7, thresholds from config/schema.ts DEFAULT_TIERS). */
export function tierSql(key: TierKey, col: string): string {
  const t = TIERS[key]
  switch (key) {
    case 'deploymentFrequency':
      return `multiIf(${col} IS NULL, NULL, ${col} > ${t.elite}, 'elite', ${col} >= ${t.high}, 'high', ${col} >= ${t.medium}, 'medium', 'low')`
    case 'changeFailureRate':
      return `multiIf(${col} IS NULL, NULL, ${col} <= ${t.elite}, 'elite', ${col} <= ${t.high}, 'high', ${col} <= ${t.medium}, 'medium', 'low')`
    default:
      return `multiIf(${col} IS NULL, NULL, ${col} < ${t.elite}, 'elite', ${col} < ${t.high}, 'high', ${col} < ${t.medium}, 'medium', 'low')`
  }
}

const COLORS = { elite: 'green', high: 'yellow', medium: 'orange', low: 'red' } as const

/** Grafana thresholds coloring a figure by tier. */
export function tierThresholds(key: TierKey): unknown {
  const t = TIERS[key]
  const step = (color: string, value: number | null) => ({ color, value })
  switch (key) {
    case 'deploymentFrequency': // higher is better; elite is strictly above
      return { mode: 'absolute', steps: [step(COLORS.low, null), step(COLORS.medium, t.medium), step(COLORS.high, t.high), step(COLORS.elite, t.elite + 1e-9)] }
    case 'changeFailureRate': // lower is better, bounds inclusive
      return { mode: 'absolute', steps: [step(COLORS.elite, null), step(COLORS.high, t.elite + 1e-9), step(COLORS.medium, t.high + 1e-9), step(COLORS.low, t.medium + 1e-9)] }
    default: // durations: lower is better, upper bounds exclusive
      return { mode: 'absolute', steps: [step(COLORS.elite, null), step(COLORS.high, t.elite), step(COLORS.medium, t.high), step(COLORS.low, t.medium)] }
  }
}

export const TIER_VALUE_MAPPINGS = [
  {
    type: 'value',
    options: Object.fromEntries(Object.entries(COLORS).map(([tier, color], i) => [tier, { color, index: i, text: tier }])),
  },
]

// ---------------------------------------------------------------- variables

const ALL = { text: 'All', value: '$__all' }

/** A multi-value query variable with "All", as the team and service filters need. */
function multiQueryVariable(name: string, label: string, query: string): Variable {
  return {
    type: 'query',
    name,
    label,
    datasource: DATASOURCE,
    query,
    definition: query,
    multi: true,
    includeAll: true,
    current: { text: [ALL.text], value: [ALL.value] },
    options: [],
    refresh: 1,
    sort: 1,
    hide: 0,
  }
}

export function teamVariable(): Variable {
  return multiQueryVariable('team', 'Team', 'SELECT DISTINCT team FROM (SELECT team FROM deployments UNION ALL SELECT team FROM incidents) ORDER BY team')
}

export function serviceVariable(): Variable {
  return multiQueryVariable(
    'service',
    'Service',
    `SELECT DISTINCT service FROM (SELECT service, team FROM deployments UNION ALL SELECT service, team FROM incidents) WHERE ${TEAM_FILTER} ORDER BY service`,
  )
}

const ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney']

/** Calendar days, weeks and hours of the week are read in this timezone (type another IANA name if yours is missing). */
export function tzVariable(): Variable {
  return {
    type: 'custom',
    name: 'tz',
    label: 'Timezone',
    description: "IANA timezone for days, weeks, weekdays and hours (doraflow's own reports use each service's configured timezone)",
    query: ZONES.join(','),
    multi: false,
    includeAll: false,
    current: { text: 'UTC', value: 'UTC' },
    options: ZONES.map((z) => ({ text: z, value: z, selected: z === 'UTC' })),
    hide: 0,
  }
}

// ---------------------------------------------------------------- panels and layout

export interface PanelSpec {
  type: Exclude<PanelType, 'row'>
  title: string
  description?: string
  sql?: string
  w: number
  h: number
  unit?: string
  decimals?: number
  thresholds?: unknown
  mappings?: unknown[]
  options?: Record<string, unknown>
  overrides?: unknown[]
  custom?: Record<string, unknown>
  content?: string
}

export class Layout {
  private panels: Panel[] = []
  private x = 0
  private y = 0
  private rowH = 0
  private id = 0

  row(title: string): this {
    this.newline()
    this.panels.push({ id: ++this.id, type: 'row', title, collapsed: false, gridPos: { x: 0, y: this.y, w: 24, h: 1 }, panels: [] })
    this.y += 1
    return this
  }

  add(spec: PanelSpec): this {
    if (this.x + spec.w > 24) this.newline()
    const timeseries = spec.type === 'timeseries'
    const panel: Panel = {
      id: ++this.id,
      type: spec.type,
      title: spec.title,
      ...(spec.description ? { description: spec.description } : {}),
      gridPos: { x: this.x, y: this.y, w: spec.w, h: spec.h },
    }
    if (spec.type === 'text') {
      panel.options = { mode: 'markdown', content: spec.content ?? '' }
    } else {
      panel.datasource = DATASOURCE
      panel.targets = [{ refId: 'A', datasource: DATASOURCE, editorType: 'sql', queryType: timeseries ? 'timeseries' : 'table', format: timeseries ? 0 : 1, rawSql: spec.sql ?? '' }]
      panel.fieldConfig = {
        defaults: {
          ...(spec.unit ? { unit: spec.unit } : {}),
          ...(spec.decimals !== undefined ? { decimals: spec.decimals } : {}),
          ...(spec.thresholds ? { thresholds: spec.thresholds, color: { mode: 'thresholds' } } : {}),
          ...(spec.mappings ? { mappings: spec.mappings } : {}),
          ...(spec.custom ? { custom: spec.custom } : {}),
        },
        overrides: spec.overrides ?? [],
      }
      panel.options = { ...defaultOptions(spec.type), ...(spec.options ?? {}) }
    }
    this.panels.push(panel)
    this.x += spec.w
    this.rowH = Math.max(this.rowH, spec.h)
    return this
  }

  private newline(): void {
    if (this.x > 0) {
      this.y += this.rowH
      this.x = 0
      this.rowH = 0
    }
  }

  build(): Panel[] {
    return this.panels
  }
}

function defaultOptions(type: PanelSpec['type']): Record<string, unknown> {
  switch (type) {
    case 'stat':
      return { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'auto', justifyMode: 'auto', orientation: 'auto' }
    case 'timeseries':
      return { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } }
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], countRows: false } }
    case 'barchart':
      return { orientation: 'auto', xTickLabelRotation: 0, showValue: 'auto', stacking: 'none', groupWidth: 0.7, barWidth: 0.9, legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } }
    case 'piechart':
      return { pieType: 'donut', reduceOptions: { calcs: ['lastNotNull'], fields: '', values: true }, legend: { displayMode: 'table', placement: 'right', showLegend: true, values: ['value', 'percent'] }, tooltip: { mode: 'single', sort: 'none' } }
    case 'text':
      return {}
  }
}

export function dashboard(o: { uid: string; title: string; description: string; tags?: string[]; variables: Variable[]; panels: Panel[]; from?: string }): Dashboard {
  return {
    uid: o.uid,
    title: o.title,
    description: o.description,
    tags: ['doraflow', 'dora', ...(o.tags ?? [])],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    refresh: '',
    time: { from: o.from ?? 'now-90d', to: 'now' },
    templating: { list: o.variables },
    annotations: { list: [timelineAnnotations()] },
    links: [{ type: 'dashboards', tags: ['doraflow'], asDropdown: false, title: 'doraflow', includeVars: true, keepTime: true }],
    panels: o.panels,
  }
}

/** A table heatmap: color every hour cell by its value. */
export const HEATMAP_TABLE = {
  custom: { cellOptions: { type: 'color-background', mode: 'gradient' }, align: 'center', width: 42 },
  overrides: [{ matcher: { id: 'byName', options: 'day' }, properties: [{ id: 'custom.cellOptions', value: { type: 'auto' } }, { id: 'custom.width', value: 60 }] }],
  thresholds: { mode: 'percentage', steps: [{ color: 'transparent', value: null }, { color: 'green', value: 1 }, { color: 'yellow', value: 50 }, { color: 'red', value: 80 }] },
}
