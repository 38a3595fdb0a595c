/**
 * Small inline SVG charts, generated as text: no script, no external font or
 * stylesheet, so the HTML report stays one self-contained file that prints.
 * Colours are attributes (not CSS variables) so they survive copy/paste.
 */

export const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')

const f1 = (x: number) => (Math.round(x * 10) / 10).toString()

/** 0, a round step, … ≥ max: 1, 2, 2.5, 5 × 10^k. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1
  const exp = Math.pow(10, Math.floor(Math.log10(max)))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= max) return m * exp
  return 10 * exp
}

const H = 3600
const D = 86400
const DURATION_STEPS = [120, 600, 1200, 1800, H, 2 * H, 4 * H, 6 * H, 8 * H, 12 * H, D, 2 * D, 4 * D, 6 * D, 8 * D, 14 * D, 20 * D, 30 * D, 60 * D, 90 * D, 180 * D, 360 * D]

/** The axis top for a kind of value: counts keep an integer middle line, durations round to clock units. */
export function axisMax(max: number, kind: 'number' | 'count' | 'duration'): number {
  if (!(max > 0)) return kind === 'duration' ? H : kind === 'count' ? 2 : 1
  if (kind === 'duration') return DURATION_STEPS.find((d) => d >= max) ?? niceMax(max)
  if (kind === 'count') {
    const exp = Math.pow(10, Math.floor(Math.log10(max)))
    for (const m of [1, 2, 3, 4, 5, 6, 8, 10]) if (m * exp >= max && Number.isInteger((m * exp) / 2)) return m * exp
    return 10 * exp
  }
  return niceMax(max)
}

interface Frame {
  title: string
  labels: string[]
  width?: number
  height?: number
  yFormat?: (v: number) => string
  /** Lowest top of the y axis (e.g. 0.5 for a share, so small rates do not look huge). */
  yMax?: number
  yKind?: 'number' | 'count' | 'duration'
  /** Series names and colours shown on a line under the title. */
  legend?: { name: string; color: string }[]
}

interface Geometry {
  w: number
  h: number
  left: number
  top: number
  pw: number
  ph: number
  max: number
  x(i: number): number
  y(v: number): number
  step: number
}

function geometry(f: Frame, dataMax: number): Geometry {
  const w = f.width ?? 340
  const h = f.height ?? 150
  const left = 46
  const right = 10
  const top = f.legend && f.legend.length > 0 ? 38 : 26
  const bottom = 22
  const pw = w - left - right
  const ph = h - top - bottom
  const nice = axisMax(dataMax, f.yKind ?? 'number')
  const max = f.yMax !== undefined ? Math.max(f.yMax, nice) : nice
  const count = Math.max(f.labels.length, 1)
  const step = pw / count
  return { w, h, left, top, pw, ph, max, step, x: (i) => left + step * i + step / 2, y: (v) => top + ph - (v / max) * ph }
}

function axes(f: Frame, g: Geometry): string {
  const fmt = f.yFormat ?? ((v: number) => f1(v))
  const parts: string[] = []
  for (const frac of [0, 0.5, 1]) {
    const v = g.max * frac
    const y = g.y(v)
    parts.push(`<line x1="${g.left}" x2="${g.left + g.pw}" y1="${f1(y)}" y2="${f1(y)}" stroke="${frac === 0 ? '#8a8f98' : '#e3e6ea'}" stroke-width="1"/>`)
    parts.push(`<text x="${g.left - 4}" y="${f1(y + 3.5)}" text-anchor="end" font-size="9" fill="#5b616b">${esc(fmt(v))}</text>`)
  }
  // At most ~7 x labels, always the first.
  const every = Math.max(1, Math.ceil(f.labels.length / 7))
  f.labels.forEach((l, i) => {
    if (i % every !== 0) return
    parts.push(`<text x="${f1(g.x(i))}" y="${g.h - 6}" text-anchor="middle" font-size="9" fill="#5b616b">${esc(l)}</text>`)
  })
  parts.push(`<text x="${g.left}" y="14" font-size="11" font-weight="600" fill="#1f2328">${esc(f.title)}</text>`)
  let x = g.left
  for (const s of f.legend ?? []) {
    parts.push(`<rect x="${f1(x)}" y="21" width="8" height="8" fill="${s.color}"/><text x="${f1(x + 11)}" y="28.5" font-size="9" fill="#5b616b">${esc(s.name)}</text>`)
    x += 20 + s.name.length * 5.2
  }
  return parts.join('')
}

function open(f: Frame, g: Geometry, kind: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-${kind}" width="${g.w}" height="${g.h}" viewBox="0 0 ${g.w} ${g.h}" role="img" aria-label="${esc(f.title)}"><title>${esc(f.title)}</title>`
}

export interface BarSeries {
  name: string
  values: number[]
  color: string
}

/** Stacked bars, one per label (e.g. deployments per week, failed ones on top in red). */
export function barChart(f: Frame & { series: BarSeries[] }): string {
  const totals = f.labels.map((_, i) => f.series.reduce((a, s) => a + (s.values[i] ?? 0), 0))
  const frame = { ...f, yKind: f.yKind ?? ('count' as const), legend: f.legend ?? (f.series.length > 1 ? f.series : undefined) }
  const g = geometry(frame, Math.max(0, ...totals))
  const bw = Math.max(2, g.step * 0.7)
  const bars: string[] = []
  f.labels.forEach((label, i) => {
    let base = 0
    for (const s of f.series) {
      const v = s.values[i] ?? 0
      if (v <= 0) continue
      const y0 = g.y(base)
      const y1 = g.y(base + v)
      bars.push(`<rect class="bar" x="${f1(g.x(i) - bw / 2)}" y="${f1(y1)}" width="${f1(bw)}" height="${f1(Math.max(0.5, y0 - y1))}" fill="${s.color}"><title>${esc(`${label}: ${s.name} ${v}`)}</title></rect>`)
      base += v
    }
  })
  return `${open(frame, g, 'bar')}${axes(frame, g)}${bars.join('')}</svg>`
}

/** A line with dots; null values break the line (a week with nothing to measure). */
export function lineChart(f: Frame & { values: (number | null)[]; color: string; name?: string }): string {
  const vals = f.values.filter((v): v is number => v !== null)
  const g = geometry(f, Math.max(0, ...vals))
  const segs: string[][] = []
  let cur: string[] = []
  const dots: string[] = []
  f.values.forEach((v, i) => {
    if (v === null) {
      if (cur.length) segs.push(cur)
      cur = []
      return
    }
    const p = `${f1(g.x(i))},${f1(g.y(v))}`
    cur.push(p)
    const label = f.labels[i] ?? ''
    dots.push(`<circle class="dot" cx="${f1(g.x(i))}" cy="${f1(g.y(v))}" r="2.6" fill="${f.color}"><title>${esc(`${label}: ${(f.yFormat ?? f1)(v)}`)}</title></circle>`)
  })
  if (cur.length) segs.push(cur)
  const paths = segs.map((s) => `<path class="line" d="M${s.join(' L')}" fill="none" stroke="${f.color}" stroke-width="1.8" stroke-linejoin="round"/>`)
  const empty = vals.length === 0 ? `<text x="${f1(g.left + g.pw / 2)}" y="${f1(g.top + g.ph / 2)}" text-anchor="middle" font-size="10" fill="#8a8f98">no data</text>` : ''
  return `${open(f, g, 'line')}${axes(f, g)}${paths.join('')}${dots.join('')}${empty}</svg>`
}

/** A word-sized trend line for table cells. */
export function sparkline(values: (number | null)[], color = '#3b6fd4', width = 90, height = 20): string {
  const vals = values.filter((v): v is number => v !== null)
  const max = Math.max(0, ...vals) || 1
  const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0
  const pts: string[] = []
  const segs: string[] = []
  values.forEach((v, i) => {
    if (v === null) {
      if (pts.length > 0) segs.push(pts.join(' '))
      pts.length = 0
      return
    }
    pts.push(`${f1(2 + i * step)},${f1(height - 2 - (v / max) * (height - 4))}`)
  })
  if (pts.length > 0) segs.push(pts.join(' '))
  const lines = segs.map((s) => (s.includes(' ') ? `<polyline points="${s}" fill="none" stroke="${color}" stroke-width="1.4"/>` : `<circle cx="${s.split(',')[0]}" cy="${s.split(',')[1]}" r="1.5" fill="${color}"/>`))
  return `<svg xmlns="http://www.w3.org/2000/svg" class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-hidden="true">${lines.join('')}</svg>`
}

/** ▁▂▃▄▅▆▇█ for Markdown. */
export function textSparkline(values: (number | null)[]): string {
  const bars = '▁▂▃▄▅▆▇█'
  const max = Math.max(0, ...values.filter((v): v is number => v !== null))
  return values.map((v) => (v === null ? ' ' : bars[max === 0 ? 0 : Math.min(7, Math.round((v / max) * 7))])).join('')
}
