/**
 * Expands a panel's SQL the way Grafana and grafana-clickhouse-datasource (v4)
 * do before ClickHouse sees it:
 *
 * 1. frontend, CHDatasource.applyConditionalAll: each `$__conditionalAll(cond, $var)`
 *    (last first, arguments split at top-level commas) becomes `1=1` when the
 *    variable's current value, as a string, is '' or '$__all'; otherwise `cond`;
 * 2. frontend, templateSrv.replace with the plugin's format function:
 *    `$var`, `${var}`, `[[var]]`, `${var:format}`; All (without a custom all
 *    value) means every option; with no format an array becomes 'a','b'
 *    (the plugin's `format`) and a single value is pasted as it is;
 *    `singlequote` quotes each value and escapes `'` as `\'`; unknown names stay;
 * 3. backend, pkg/macros (sqlds): $__timeFilter(c) → `c >= toDateTime(<from s>) AND c <= toDateTime(<to s>)`,
 *    $__timeFilter_ms, $__fromTime / $__toTime → toDateTime(<epoch s>), $__fromTime_ms / $__toTime_ms →
 *    fromUnixTimestamp64Milli(<ms>), $__dateFilter, $__timeInterval(c) →
 *    toStartOfInterval(toDateTime(c), INTERVAL <s> second), $__timeInterval_ms, $__interval_s → <s> (at least 1).
 */
export interface VariableState {
  /** Selected values; ['$__all'] (or '$__all') for All. */
  value: string | string[]
  options: string[]
}

export interface ExpandContext {
  fromMs: number
  toMs: number
  intervalMs: number
  variables: Record<string, VariableState>
}

function macroArgs(sql: string, open: number): string[] | null {
  // `open` is the index of '('; mirrors CHDatasource.getMacroArgs.
  const args: string[] = []
  let depth = 0
  let last = open + 1
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i]
    if (ch === '(') depth++
    else if (ch === ')') depth--
    if (ch === ',' && depth === 1) {
      args.push(sql.slice(last, i))
      last = i + 1
    }
    if (depth === 0) {
      args.push(sql.slice(last, i))
      return args
    }
  }
  return null
}

export function applyConditionalAll(sql: string, vars: Record<string, VariableState>): string {
  const macro = '$__conditionalAll('
  let idx = sql.lastIndexOf(macro)
  while (idx !== -1) {
    const args = macroArgs(sql, idx + macro.length - 1)
    if (!args || args.length !== 2) return sql
    const m = /(?<=\$\{)[\w\d]+(?=\})|(?<=\$)[\w\d]+/.exec(args[1]!.trim())
    let phrase = args[0]!
    if (m) {
      const v = vars[m[0]]
      const s = v === undefined ? undefined : Array.isArray(v.value) ? v.value.join(',') : v.value
      if (s === '' || s === '$__all') phrase = '1=1'
    }
    sql = sql.replace(`${macro}${args[0]},${args[1]})`, phrase)
    idx = sql.lastIndexOf(macro)
  }
  return sql
}

function selected(v: VariableState): string[] {
  const xs = Array.isArray(v.value) ? v.value : [v.value]
  return xs.includes('$__all') ? v.options : xs
}

export function replaceVariables(sql: string, vars: Record<string, VariableState>): string {
  // Grafana's variable regex: $name | [[name(:fmt)]] | ${name(.path)(:fmt)}
  const re = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g
  return sql.replace(re, (match, n1?: string, n2?: string, f2?: string, n3?: string, _path?: string, f3?: string) => {
    const name = n1 ?? n2 ?? n3!
    const fmt = f2 ?? f3
    const v = vars[name]
    if (!v) return match
    const values = selected(v)
    const multi = Array.isArray(v.value) && (v.value.length !== 1 || v.value[0] === '$__all')
    if (fmt === 'singlequote') return values.map((x) => `'${x.replace(/'/g, "\\'")}'`).join(',')
    if (fmt === undefined) return multi ? `'${values.join("','")}'` : (values[0] ?? '')
    throw new Error(`format ${fmt} not modelled`)
  })
}

export function applyMacros(sql: string, ctx: Pick<ExpandContext, 'fromMs' | 'toMs' | 'intervalMs'>): string {
  const fromS = Math.floor(ctx.fromMs / 1000)
  const toS = Math.floor(ctx.toMs / 1000)
  const intervalS = Math.max(Math.floor(ctx.intervalMs / 1000), 1)
  const date = (ms: number) => `toDate('${new Date(ms).toISOString().slice(0, 10)}')`
  return sql.replace(/\$__(\w+)(?:\(([^()]*(?:\([^()]*\)[^()]*)*)\))?/g, (match, name: string, rawArgs?: string) => {
    const args = rawArgs === undefined ? [] : rawArgs.split(',').map((a) => a.trim())
    const one = () => {
      if (args.length !== 1) throw new Error(`$__${name}: expected 1 argument, received ${args.length}`)
      return args[0]!
    }
    switch (name) {
      case 'fromTime':
        return `toDateTime(${fromS})`
      case 'toTime':
        return `toDateTime(${toS})`
      case 'fromTime_ms':
        return `fromUnixTimestamp64Milli(${ctx.fromMs})`
      case 'toTime_ms':
        return `fromUnixTimestamp64Milli(${ctx.toMs})`
      case 'timeFilter': {
        const c = one()
        return `${c} >= toDateTime(${fromS}) AND ${c} <= toDateTime(${toS})`
      }
      case 'timeFilter_ms': {
        const c = one()
        return `${c} >= fromUnixTimestamp64Milli(${ctx.fromMs}) AND ${c} <= fromUnixTimestamp64Milli(${ctx.toMs})`
      }
      case 'dateFilter': {
        const c = one()
        return `${c} >= ${date(ctx.fromMs)} AND ${c} <= ${date(ctx.toMs)}`
      }
      case 'timeInterval':
        return `toStartOfInterval(toDateTime(${one()}), INTERVAL ${intervalS} second)`
      case 'timeInterval_ms':
        return `toStartOfInterval(toDateTime64(${one()}, 3), INTERVAL ${Math.max(ctx.intervalMs, 1)} millisecond)`
      case 'interval_s':
        return String(intervalS)
      default:
        throw new Error(`unknown macro ${match}`)
    }
  })
}

export function expandPanelSql(sql: string, ctx: ExpandContext): string {
  return applyMacros(replaceVariables(applyConditionalAll(sql, ctx.variables), ctx.variables), ctx)
}

/** Variable names a SQL text refers to ($x, ${x}, ${x:fmt}, [[x]]), macros excluded. */
export function variablesUsed(sql: string): string[] {
  const out = new Set<string>()
  for (const m of sql.matchAll(/\$(\w+)|\[\[(\w+?)(?::\w+)?\]\]|\$\{(\w+)(?:\.[^:^}]+)?(?::[^}]+)?\}/g)) {
    const name = m[1] ?? m[2] ?? m[3]!
    if (!name.startsWith('__')) out.add(name)
  }
  return [...out]
}
