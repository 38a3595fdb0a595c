// A banner above the figures when something makes them wrong or stale: dead letters,
// processor lag, a source silent for days, a replay or an import running. From
// GET /api/v1/status, /api/v1/replay and /api/v1/imports; nothing shown when all is well.
'use strict'

const SILENT_DAYS = 7
const LAG_EVENTS = 1000
const SOURCE_NAMES = { github: 'GitHub', pagerduty: 'PagerDuty', generic: 'POST /events', cdevents: 'CDEvents' }

function healthProblems(status, replay, now, imports) {
  const out = []
  if (imports && imports.running) {
    const run = (imports.runs || []).find((r) => r.status === 'running')
    out.push({ kind: 'import', text: 'An import' + (run && run.source ? ` from ${SOURCE_NAMES[run.source] || run.source}` : '') + ' is running: the figures fill in as its history arrives.' })
  }
  if (replay && replay.status === 'running') {
    const p = replay.progress
    out.push({ kind: 'replay', text: 'A replay is running' + (p && p.total ? ` (${Math.round((100 * p.done) / p.total)} %)` : '') + ': the figures are partial until it has finished.' })
  }
  if (!status) return out
  if (status.deadLetters.total > 0) {
    const top = status.deadLetters.byReason[0]
    out.push({ kind: 'dead-letters', text: `${status.deadLetters.total} event${status.deadLetters.total === 1 ? '' : 's'} could not be processed (dead letters)` + (top ? `; most often: ${top.reason} (${top.count})` : '') + '. They are left out of the figures.', link: '/api/v1/dead-letters' })
  }
  if (status.processorLagEvents !== null && status.processorLagEvents > LAG_EVENTS) {
    out.push({ kind: 'lag', text: `The processor is ${status.processorLagEvents} events behind the log: the figures are not up to date yet.` })
  }
  for (const s of status.sources || []) {
    if (s.source === 'annotation') continue
    const days = (now - Date.parse(s.lastDeliveryAt)) / 86400000
    if (days > SILENT_DAYS) out.push({ kind: 'silent', text: `No delivery from ${SOURCE_NAMES[s.source] || s.source} for ${Math.floor(days)} days (last ${s.lastDeliveryAt.slice(0, 10)}): check its webhook (a changed secret or URL stops deliveries silently).` })
  }
  return out
}

function renderHealth(d) {
  const box = $('health')
  const problems = healthProblems(d.status, d.replay, Date.now(), d.imports)
  box.replaceChildren(...problems.map((p) => el('p', { 'data-kind': p.kind }, p.text, p.link ? el('a', { href: p.link, text: ' Details' }) : null)))
  box.hidden = problems.length === 0
}

onData.push(renderHealth)
