// "What is shown" as CSV (the rows of the table as they are: the teams and the
// services of the open ones), and links to the same figures in the API.
'use strict'

const CSV_COLUMNS = ['scope', 'team', 'service', 'from', 'to', 'deployments', 'deploymentsPerDay', 'leadTimeMedianSeconds', 'changeFailureRate', 'incidents', 'timeToRestoreMedianSeconds', 'failedDeploymentRecoveryMedianSeconds', 'reworkRate', 'tier']

function csvCell(v) {
  if (v === null || v === undefined) return ''
  const s = String(v)
  // Quote when needed; a leading = + - @ would be read as a formula by a spreadsheet.
  const safe = /^[=+\-@]/.test(s) && typeof v !== 'number' ? "'" + s : s
  return /[",\r\n]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe
}

function shownRows(d) {
  const rows = []
  const line = (scope, r) => [scope, r.team, scope === 'service' ? r.service : '', d.from, d.to, r.deployments, r.deploymentsPerDay, r.leadTimeSeconds.median, r.changeFailureRate, r.incidents, r.timeToRestoreSeconds.median, r.failedDeploymentRecoverySeconds.median, r.reworkRate, r.tiers.overall]
  for (const t of d.teams.rows) {
    rows.push(line('team', t))
    if (state.open.includes(t.team)) for (const s of d.services.rows.filter((x) => x.team === t.team)) rows.push(line('service', s))
  }
  return rows
}

function toCsv(d) {
  return [CSV_COLUMNS, ...shownRows(d)].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

function renderExport(d) {
  const q = new URLSearchParams({ from: d.from, to: d.to })
  $('api-teams').href = '/api/v1/metrics?' + q + '&groupBy=team'
  $('api-services').href = '/api/v1/metrics?' + q + '&groupBy=service'
  $('api-weekly').href = '/api/v1/metrics?' + q + '&groupBy=none&bucket=week'
}

document.addEventListener('DOMContentLoaded', () => {
  $('csv').addEventListener('click', () => {
    if (!data) return
    const url = URL.createObjectURL(new Blob([toCsv(data)], { type: 'text/csv;charset=utf-8' }))
    const a = el('a', { href: url, download: `doraflow-${data.from.slice(0, 10)}-${data.to.slice(0, 10)}.csv` })
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  })
})

onData.push(renderExport)
