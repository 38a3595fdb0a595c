// Weekly trend charts above the table, one per figure, drawn with the vendored uPlot.
// The release freezes of the period (GET /api/v1/freezes) are shaded as columns.
// The tier bands of the configured tier set (GET /api/v1/status) are shaded behind
// the line. Keyboard: each chart is focusable; ←/→ (Home/End) walk the weeks and the
// caption says the week's value (a live region), so nothing needs a mouse.
'use strict'

const HOUR = 3600
const TIER_COLOURS = { elite: 'rgba(26,127,55,0.13)', high: 'rgba(47,111,214,0.11)', medium: 'rgba(176,120,0,0.12)', low: 'rgba(207,34,46,0.10)' }

/** Per figure: the value plotted (in the unit shown), and its tier bands as [tier, from, to] in that unit. */
const TRENDS = [
  { key: 'deploymentFrequency', title: 'Deployment frequency', unit: 'per day', y: (r) => r.deploymentsPerDay, fmt: (v) => freq(v),
    bands: (t) => [['low', 0, t.deploymentFrequency.medium], ['medium', t.deploymentFrequency.medium, t.deploymentFrequency.high], ['high', t.deploymentFrequency.high, t.deploymentFrequency.elite], ['elite', t.deploymentFrequency.elite, Infinity]] },
  { key: 'leadTime', title: 'Lead time (median)', unit: 'hours', y: (r) => hours(r.leadTimeSeconds.median), fmt: (v) => dur(v * HOUR),
    bands: (t) => lowerIsBetter(t.leadTime, HOUR) },
  { key: 'changeFailureRate', title: 'Change failure rate', unit: '%', y: (r) => (r.changeFailureRate === null ? null : r.changeFailureRate * 100), fmt: (v) => pct(v / 100),
    bands: (t) => [['elite', 0, t.changeFailureRate.elite * 100], ['high', t.changeFailureRate.elite * 100, t.changeFailureRate.high * 100], ['medium', t.changeFailureRate.high * 100, t.changeFailureRate.medium * 100], ['low', t.changeFailureRate.medium * 100, Infinity]] },
  { key: 'timeToRestore', title: 'Time to restore (median)', unit: 'hours', y: (r) => hours(r.timeToRestoreSeconds.median), fmt: (v) => dur(v * HOUR),
    bands: (t) => lowerIsBetter(t.timeToRestore, HOUR) },
  { key: 'recovery', title: 'Failed-deployment recovery (median)', unit: 'hours', y: (r) => hours(r.failedDeploymentRecoverySeconds.median), fmt: (v) => dur(v * HOUR), bands: () => [] },
  { key: 'rework', title: 'Rework rate', unit: '%', y: (r) => (r.reworkRate === null ? null : r.reworkRate * 100), fmt: (v) => pct(v / 100), bands: () => [] },
]

function hours(s) {
  return s === null || s === undefined ? null : s / HOUR
}
function lowerIsBetter(b, per) {
  return [['elite', 0, b.elite / per], ['high', b.elite / per, b.high / per], ['medium', b.high / per, b.medium / per], ['low', b.medium / per, Infinity]]
}

/** Draws the bands that fall in the visible y range, clipped to the plot area. */
function bandsPlugin(bands) {
  return {
    hooks: {
      drawClear: (u) => {
        const ctx = u.ctx
        const { left, top, width, height } = u.bbox
        const [lo, hi] = [u.scales.y.min, u.scales.y.max]
        ctx.save()
        for (const [tier, from, to] of bands) {
          const a = Math.max(from, lo), b = Math.min(to, hi)
          if (!(b > a)) continue
          const y1 = u.valToPos(b, 'y', true), y2 = u.valToPos(a, 'y', true)
          ctx.fillStyle = TIER_COLOURS[tier]
          ctx.fillRect(left, Math.max(top, y1), width, Math.min(top + height, y2) - Math.max(top, y1))
        }
        ctx.restore()
      },
    },
  }
}

/** Shades the release freezes (GET /api/v1/freezes, METRICS.md §14) across the plot, behind the line. */
function freezesPlugin(freezes) {
  return {
    hooks: {
      drawClear: (u) => {
        const ctx = u.ctx
        const { left, top, width, height } = u.bbox
        ctx.save()
        ctx.fillStyle = 'rgba(10, 88, 202, 0.13)'
        for (const f of freezes) {
          const x1 = Math.max(left, u.valToPos(Date.parse(f.from) / 1000, 'x', true))
          const x2 = Math.min(left + width, u.valToPos(Date.parse(f.to) / 1000, 'x', true))
          if (x2 > x1) ctx.fillRect(x1, top, Math.max(2, x2 - x1), height)
        }
        ctx.restore()
      },
    },
  }
}

let charts = []

function chartWidth(box) {
  return Math.max(220, Math.floor(box.getBoundingClientRect().width) - 2)
}

function renderTrends(d) {
  for (const c of charts) c.plot.destroy()
  charts = []
  const host = $('charts')
  host.replaceChildren()
  const weeks = d.overallWeeks.rows
  $('trends').hidden = weeks.length === 0
  if (weeks.length === 0) return
  const xs = weeks.map((w) => Date.parse(w.bucketStart) / 1000)
  for (const t of TRENDS) {
    const ys = weeks.map((w) => t.y(w))
    const bands = d.status ? t.bands(d.status.tiers) : []
    const latest = [...ys].reverse().find((v) => v !== null && v !== undefined)
    const readout = el('span', { class: 'readout', 'aria-live': 'polite', text: latest === undefined ? 'no data' : 'latest week ' + t.fmt(latest) })
    const box = el('div', { class: 'plot' })
    const freezes = d.freezes || []
    const fig = el('figure', { class: 'trend', tabindex: '0', 'data-figure': t.key, 'data-bands': String(bands.length), 'data-freezes': String(freezes.length), 'aria-label': t.title + ', weekly; arrow keys step through the weeks' },
      el('figcaption', {}, el('strong', { text: t.title }), ' ', el('span', { class: 'unit', text: t.unit }), readout), box)
    host.append(fig)
    const plot = new uPlot({
      width: chartWidth(box),
      height: 150,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max === null ? 1 : max * 1.15, 0.0001)] } },
      axes: [
        { stroke: '#57606a', grid: { stroke: '#eef1f4' }, ticks: { stroke: '#d8dee4' }, font: '11px system-ui, sans-serif', values: (_u, vals) => vals.map((v) => new Date(v * 1000).toISOString().slice(5, 10)) },
        { stroke: '#57606a', grid: { stroke: '#eef1f4' }, ticks: { stroke: '#d8dee4' }, font: '11px system-ui, sans-serif', size: 46 },
      ],
      series: [{}, { label: t.title, stroke: '#0a58ca', width: 2, spanGaps: false, points: { show: true, size: 4, fill: '#0a58ca' } }],
      plugins: [bandsPlugin(bands), freezesPlugin(freezes)],
      hooks: {
        setCursor: [(u) => {
          const i = u.cursor.idx
          if (i === null || i === undefined) return
          const v = u.data[1][i]
          readout.textContent = 'week of ' + new Date(u.data[0][i] * 1000).toISOString().slice(0, 10) + ': ' + (v === null || v === undefined ? 'no data' : t.fmt(v))
        }],
      },
    }, [xs, ys], box)
    charts.push({ plot, box, fig })
    resized.observe(box)
    fig.addEventListener('keydown', (e) => stepCursor(plot, e))
  }
}

/** ←/→ move the cursor one week, Home/End to the ends: uPlot's own cursor, driven from the keyboard. */
function stepCursor(u, e) {
  const n = u.data[0].length
  const cur = u.cursor.idx === null || u.cursor.idx === undefined ? n - 1 : u.cursor.idx
  const next = { ArrowLeft: cur - 1, ArrowRight: cur + 1, Home: 0, End: n - 1 }[e.key]
  if (next === undefined) return
  e.preventDefault()
  const i = Math.max(0, Math.min(n - 1, next))
  u.setCursor({ left: u.valToPos(u.data[0][i], 'x'), top: u.valToPos(u.data[1][i] ?? 0, 'y') })
}

// Follow the layout (window size, the grid settling after the first paint), not only window resizes.
const resized = new ResizeObserver(() => {
  for (const c of charts) if (Math.abs(c.plot.width - chartWidth(c.box)) > 1) c.plot.setSize({ width: chartWidth(c.box), height: 150 })
})
resized.observe(document.documentElement)

onData.push(renderTrends)
