// doraflow overview: read-only, no build step, no dependencies. Everything it
// shows comes from the query API (/api/v1/metrics, /deployments, /incidents, /annotations, /freezes);
// with api.tokens set, the user pastes a token, kept in sessionStorage only.
'use strict'

const TOKEN_KEY = 'doraflow.token'
/** Views beside the table (charts.js, health.js, export.js) register here; each gets the loaded data. */
const onData = []
const SVG = 'http://www.w3.org/2000/svg'
const $ = (id) => document.getElementById(id)

const FIGURES = [
  { key: 'deploymentFrequency', value: (r) => r.deploymentsPerDay, fmt: freq, tier: (r) => r.tiers.deploymentFrequency, detail: 'deployments' },
  { key: 'leadTime', value: (r) => r.leadTimeSeconds.median, fmt: dur, tier: (r) => r.tiers.leadTime, detail: 'deployments' },
  { key: 'changeFailureRate', value: (r) => r.changeFailureRate, fmt: pct, tier: (r) => r.tiers.changeFailureRate, detail: 'deployments' },
  { key: 'timeToRestore', value: (r) => r.timeToRestoreSeconds.median, fmt: dur, tier: (r) => r.tiers.timeToRestore, detail: 'incidents' },
  { key: 'recovery', value: (r) => r.failedDeploymentRecoverySeconds.median, fmt: dur, tier: () => null, detail: 'deployments' },
  { key: 'rework', value: (r) => r.reworkRate, fmt: pct, tier: () => null, detail: 'deployments' },
]

function freq(v) {
  if (v === null || v === undefined) return '–'
  if (v >= 1) return v.toFixed(1) + '/day'
  if (v * 7 >= 1) return (v * 7).toFixed(1) + '/week'
  return (v * 30).toFixed(1) + '/month'
}
function pct(v) {
  return v === null || v === undefined ? '–' : (v * 100).toFixed(1) + ' %'
}
function dur(s) {
  if (s === null || s === undefined) return '–'
  if (s < 60) return Math.round(s) + 's'
  const t = Math.round(s)
  const d = Math.floor(t / 86400), h = Math.floor((t % 86400) / 3600), m = Math.floor((t % 3600) / 60)
  if (d > 0) return h > 0 ? d + 'd ' + h + 'h' : d + 'd'
  if (h > 0) return m > 0 ? h + 'h ' + m + 'm' : h + 'h'
  return m + 'm'
}
function when(iso) {
  if (!iso) return '–'
  return iso.slice(0, 16).replace('T', ' ') + ' UTC'
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue
    if (k === 'class') e.className = v
    else if (k === 'text') e.textContent = v
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v)
    else e.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c)
  return e
}

function sparkline(values, cls) {
  const w = 72, h = 18
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('class', 'spark ' + (cls || ''))
  svg.setAttribute('width', w)
  svg.setAttribute('height', h)
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`)
  svg.setAttribute('aria-hidden', 'true')
  const known = values.filter((v) => v !== null && v !== undefined)
  const max = Math.max(0, ...known) || 1
  const step = values.length > 1 ? (w - 4) / (values.length - 1) : 0
  let pts = []
  const flush = () => {
    if (pts.length === 1) {
      const c = document.createElementNS(SVG, 'circle')
      c.setAttribute('cx', pts[0][0]); c.setAttribute('cy', pts[0][1]); c.setAttribute('r', '1.6'); c.setAttribute('fill', '#3b6fd4')
      svg.append(c)
    } else if (pts.length > 1) {
      const p = document.createElementNS(SVG, 'polyline')
      p.setAttribute('points', pts.map((x) => x.join(',')).join(' '))
      p.setAttribute('fill', 'none'); p.setAttribute('stroke', '#3b6fd4'); p.setAttribute('stroke-width', '1.4')
      svg.append(p)
    }
    pts = []
  }
  values.forEach((v, i) => {
    if (v === null || v === undefined) return flush()
    pts.push([(2 + i * step).toFixed(1), (h - 2 - (v / max) * (h - 4)).toFixed(1)])
  })
  flush()
  return svg
}

function tierBadge(t) {
  return el('span', { class: 'tier ' + (t || 'none'), text: t || 'n/a' })
}

// ---------- period (kept in the URL hash so a view can be shared) ----------

function isoDate(d) {
  return d.toISOString().slice(0, 10)
}
function periodOf(preset, from, to) {
  const now = new Date()
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
  const tomorrow = new Date(today.getTime() + 86400000)
  const q = Math.floor(today.getUTCMonth() / 3)
  switch (preset) {
    case '30d': return { from: isoDate(new Date(today.getTime() - 30 * 86400000)), to: isoDate(tomorrow) }
    case '90d': return { from: isoDate(new Date(today.getTime() - 90 * 86400000)), to: isoDate(tomorrow) }
    case 'this-quarter': return { from: isoDate(new Date(Date.UTC(today.getUTCFullYear(), q * 3, 1))), to: isoDate(tomorrow) }
    case 'last-quarter': return { from: isoDate(new Date(Date.UTC(today.getUTCFullYear(), q * 3 - 3, 1))), to: isoDate(new Date(Date.UTC(today.getUTCFullYear(), q * 3, 1))) }
    default: return { from, to }
  }
}

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1))
  return { preset: p.get('preset') || (p.get('from') ? 'custom' : '90d'), from: p.get('from') || '', to: p.get('to') || '', open: (p.get('open') || '').split(',').filter(Boolean), author: p.get('author') || '' }
}
function writeHash(state) {
  const p = new URLSearchParams()
  p.set('preset', state.preset)
  if (state.preset === 'custom') { p.set('from', state.from); p.set('to', state.to) }
  if (state.open.length) p.set('open', state.open.join(','))
  if (state.author) p.set('author', state.author)
  history.replaceState(null, '', '#' + p.toString())
}

// ---------- API ----------

class AuthNeeded extends Error {}

async function api(path, params, accept) {
  const headers = { accept: accept || 'application/json' }
  const token = sessionStorage.getItem(TOKEN_KEY)
  if (token) headers.authorization = 'Bearer ' + token
  const res = await fetch(path + (params ? '?' + new URLSearchParams(params) : ''), { headers, credentials: 'same-origin' })
  if (res.status === 401) throw new AuthNeeded()
  if (!res.ok) {
    let msg = res.status + ' ' + res.statusText
    try { msg = (await res.json()).message || msg } catch { /* not JSON */ }
    throw new Error(msg)
  }
  return accept && accept !== 'application/json' ? res.text() : res.json()
}

// ---------- rendering ----------

const state = readHash()
let data = null

function figureCells(row, weekly, service) {
  return FIGURES.map((f) => {
    const td = el('td', { class: 'figure' + (service ? ' clickable' : ''), 'data-figure': f.key, title: service ? 'show the ' + f.detail + ' behind this figure' : null })
    const v = row ? f.value(row) : null
    td.append(el('span', { class: 'val', text: f.fmt(v) }))
    const sub = el('span', { class: 'sub' })
    sub.append(sparkline(weekly.map((w) => f.value(w))))
    const t = row ? f.tier(row) : null
    if (t) sub.append(tierBadge(t))
    td.append(sub)
    if (service) {
      td.addEventListener('click', () => toggleDetail(service, f.detail))
      // Reachable without a mouse: Tab to it, Enter or Space opens the records behind it.
      td.tabIndex = 0
      td.setAttribute('role', 'button')
      td.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggleDetail(service, f.detail) } })
    }
    return td
  })
}

function render() {
  const tbody = $('rows')
  tbody.replaceChildren()
  // A team whose only figures are releases (a flag provider's project) has no DORA row: it shows in the release panel.
  const dora = (r) => r.deployments + r.incidents + r.failedAttempts + r.leadTimeSeconds.count > 0
  const teams = [...new Set(data.teams.rows.filter(dora).map((r) => r.team))]
  for (const team of teams) {
    const row = data.teams.rows.find((r) => r.team === team)
    const weekly = data.teamWeeks.rows.filter((r) => r.team === team)
    const open = state.open.includes(team)
    const tr = el('tr', { class: 'team' + (open ? ' open' : ''), 'data-team': team })
    const btn = el('button', { type: 'button', 'aria-expanded': String(open), text: team, onclick: () => toggleTeam(team) })
    tr.append(el('td', { class: 'name' }, btn), ...figureCells(row, weekly, null), el('td', {}, tierBadge(row && row.tiers.overall)), overallScoreCell(row, data.teams.benchmark))
    tbody.append(tr)
    if (!open) continue
    for (const s of data.services.rows.filter((r) => r.team === team)) {
      const sweekly = data.serviceWeeks.rows.filter((r) => r.service === s.service && r.team === team)
      const links = el('span', { class: 'links' },
        el('a', { href: '#', 'data-detail': 'deployments', onclick: (e) => { e.preventDefault(); toggleDetail(s.service, 'deployments') }, text: s.deployments + ' deployments' }),
        el('a', { href: '#', 'data-detail': 'incidents', onclick: (e) => { e.preventDefault(); toggleDetail(s.service, 'incidents') }, text: s.incidents + ' incidents' }))
      const str = el('tr', { class: 'service', 'data-service': s.service, 'data-team': team })
      str.append(el('td', { class: 'name' }, el('strong', { text: s.service }), links), ...figureCells(s, sweekly, s.service), el('td', {}, tierBadge(s.tiers.overall)), overallScoreCell(s, data.teams.benchmark))
      tbody.append(str)
    }
  }
  $('figures').hidden = teams.length === 0
  if (teams.length === 0) setStatus('No deployments or incidents in this period.')
  renderNotes(data.notes)
  renderScores(data.teams)
  renderAuthors(data.authors)
  renderReleases(data.teams.rows, data.freezes)
}

/** The release figures (METRICS.md §12–§15) per team, and the period's freeze windows shaded on a strip. */
function renderReleases(rows, freezes) {
  const tbody = $('release-rows')
  tbody.replaceChildren()
  const paths = ['rollback', 'kill_switch', 'fix_forward', 'other']
  const any = (r) => r.release.releases + r.release.fullReleases + r.release.killSwitches + r.release.staleFlags + r.freezeDeployments + r.canaryAborts + paths.reduce((n, p) => n + r.recoveryByPath[p].count, 0) > 0
  for (const r of rows.filter(any)) {
    const rel = r.release
    const num = (v, extra) => el('td', { class: 'num' }, el('span', { class: 'val', text: String(v) }), extra ? el('span', { class: 'sub', text: extra }) : null)
    tbody.append(el('tr', { class: 'release-team', 'data-team': r.team },
      el('td', { class: 'name', text: r.team }),
      num(rel.releases),
      num(rel.fullReleases, rel.rolloutSeconds.median === null ? null : 'median ' + dur(rel.rolloutSeconds.median)),
      num(rel.killSwitches, rel.timeToKillSeconds.median === null ? null : 'after ' + dur(rel.timeToKillSeconds.median)),
      num(rel.staleFlags),
      el('td', { class: 'paths' }, ...paths.map((p) => el('span', { class: 'path', 'data-path': p, title: p.replace('_', ' '), text: r.recoveryByPath[p].count + (r.recoveryByPath[p].count ? ' (' + dur(r.recoveryByPath[p].median) + ')' : '') }))),
      num(r.freezeDeployments, r.freezeFailedDeployments ? r.freezeFailedDeployments + ' failed' : null),
      num(r.canaryAborts, r.blastRadiusPercent.count ? '≤ ' + Math.max(r.blastRadiusPercent.p90, r.blastRadiusPercent.median) + ' % (p90)' : null)))
  }
  renderFreezeStrip(freezes)
  $('releases').hidden = tbody.children.length === 0 && freezes.length === 0
}

function renderFreezeStrip(freezes) {
  const strip = $('freeze-strip')
  strip.replaceChildren()
  const from = Date.parse(data.from), to = Date.parse(data.to)
  for (const f of freezes) {
    const a = Math.max(from, Date.parse(f.from)), b = Math.min(to, Date.parse(f.to))
    if (b <= a) continue
    const who = [...f.services, ...f.teams.map((t) => 'team ' + t)].join(', ') || 'everyone'
    const span = el('span', { class: 'freeze', 'data-freeze': f.id, title: f.name + ' · ' + when(f.from) + ' → ' + when(f.to) + ' · ' + who, text: f.name })
    // Through the CSSOM, which the page's CSP (no inline styles) allows.
    span.style.left = (100 * (a - from) / (to - from)).toFixed(3) + '%'
    span.style.width = Math.max(0.4, 100 * (b - a) / (to - from)).toFixed(3) + '%'
    strip.append(span)
  }
  strip.append(el('span', { class: 'edge start', text: data.from.slice(0, 10) }), el('span', { class: 'edge end', text: data.to.slice(0, 10) }))
  strip.hidden = freezes.length === 0
}

/** What people pinned on the timeline (POST /api/v1/annotations, `doraflow annotate add`): the context of the figures. */
function renderNotes(notes) {
  const list = $('note-list')
  list.replaceChildren()
  for (const n of notes) {
    const span = n.endAt ? when(n.at) + ' → ' + when(n.endAt) : when(n.at)
    const about = [n.service, n.team && 'team ' + n.team, ...n.tags.map((t) => '#' + t)].filter(Boolean).join(' · ')
    list.append(el('li', { 'data-id': n.id }, el('time', { datetime: n.at, text: span }), ' ', el('span', { class: 'text', text: n.text }), about ? el('span', { class: 'about', text: about }) : null))
  }
  $('notes').hidden = notes.length === 0
}

function toggleTeam(team) {
  const i = state.open.indexOf(team)
  if (i >= 0) state.open.splice(i, 1)
  else state.open.push(team)
  writeHash(state)
  render()
}

async function toggleDetail(service, kind) {
  const svcRow = document.querySelector(`tr.service[data-service="${CSS.escape(service)}"]`)
  if (!svcRow) return
  const next = svcRow.nextElementSibling
  if (next && next.classList.contains('detail')) {
    const same = next.dataset.kind === kind
    next.remove()
    if (same) return
  }
  const td = el('td', { colspan: '9' }, el('p', { class: 'empty', text: 'Loading ' + kind + '…' }))
  const tr = el('tr', { class: 'detail', 'data-kind': kind, 'data-service': service }, td)
  svcRow.after(tr)
  try {
    const params = { service, from: data.from, to: data.to, limit: '100' }
    const body = await api('/api/v1/' + kind, params)
    td.replaceChildren(kind === 'deployments' ? deploymentsTable(service, byAuthor(body.deployments)) : incidentsTable(service, body.incidents))
  } catch (e) {
    if (e instanceof AuthNeeded) return needToken()
    td.replaceChildren(el('p', { class: 'status error', text: 'Could not load ' + kind + ': ' + e.message }))
  }
}

function deploymentsTable(service, list) {
  const who = state.author ? ', carrying ' + (AUTHOR_NAMES[state.author] || state.author).toLowerCase() + ' changes' : ''
  const wrap = el('div', {}, el('h4', { text: `Deployments of ${service} in the period${who} (${list.length}${list.length === 100 ? '+' : ''}, newest first)` }))
  if (!list.length) return wrap.appendChild(el('p', { class: 'empty', text: 'None.' })), wrap
  const t = el('table', { class: 'records' })
  t.append(el('thead', {}, el('tr', {}, ...['Deployed', 'Deployment', 'Version', 'Changes', 'Lead time (median)', 'Status', 'Recovered after'].map((h) => el('th', { text: h })))))
  const tb = el('tbody')
  for (const d of list) {
    const leads = (d.changes || []).map((c) => c.leadTimeSeconds).sort((a, b) => a - b)
    const median = leads.length ? (leads.length % 2 ? leads[(leads.length - 1) / 2] : (leads[leads.length / 2 - 1] + leads[leads.length / 2]) / 2) : null
    const status = el('td')
    if (d.failed) status.append(el('span', { class: 'flag failed', title: (d.failureCauses || []).join(', '), text: 'failed' }), ' ')
    if (d.isRollback) status.append(el('span', { class: 'flag rollback', text: 'rollback' }), ' ')
    if (d.rework && !d.isRollback) status.append(el('span', { class: 'flag rollback', text: 'rework' }))
    if (d.correction) status.append(' ', correctionNote(d.correction))
    const name = d.url && /^https?:\/\//.test(d.url) ? el('a', { href: d.url, rel: 'noreferrer noopener', target: '_blank', text: d.id }) : el('span', { text: d.id })
    tb.append(el('tr', {}, el('td', { text: when(d.deployedAt) }), el('td', {}, name), el('td', {}, el('code', { text: String(d.version).slice(0, 10) })), el('td', { class: 'num', text: String(d.changeCount) }), el('td', { class: 'num', text: dur(median) }), status, el('td', { class: 'num', text: d.failed ? dur(d.recoverySeconds) : '' })))
  }
  t.append(tb)
  wrap.append(t)
  return wrap
}

function incidentsTable(service, list) {
  const wrap = el('div', {}, el('h4', { text: `Incidents of ${service} in the period (${list.length}${list.length === 100 ? '+' : ''}, newest first)` }))
  if (!list.length) return wrap.appendChild(el('p', { class: 'empty', text: 'None.' })), wrap
  const t = el('table', { class: 'records' })
  t.append(el('thead', {}, el('tr', {}, ...['Started', 'Incident', 'Priority / urgency', 'Acknowledged after', 'Time to restore', 'Suspected deployment', ''].map((h) => el('th', { text: h })))))
  const tb = el('tbody')
  for (const i of list) {
    const title = (i.id + ' ' + (i.title || '')).trim()
    const name = i.url && /^https?:\/\//.test(i.url) ? el('a', { href: i.url, rel: 'noreferrer noopener', target: '_blank', text: title }) : el('span', { text: title })
    const restore = i.status === 'open' ? el('span', { class: 'flag open', text: 'open' }) : dur(i.restoreSeconds)
    const pm = el('button', { type: 'button', class: 'pm', text: 'Post-mortem draft', onclick: () => showPostmortem(pm, i.id) })
    const suspected = el('td', { text: (i.deploymentIds || []).join(', ') + (i.deploymentIds && i.deploymentIds.length ? ' (' + i.linkKind + ')' : '–') })
    if (i.correction) suspected.append(' ', correctionNote(i.correction))
    tb.append(el('tr', { 'data-incident': i.id }, el('td', { text: when(i.startedAt) }), el('td', {}, name), el('td', { text: [i.priority, i.urgency].filter(Boolean).join(' / ') || '–' }), el('td', { class: 'num', text: dur(i.acknowledgeSeconds) }), el('td', { class: 'num' }, restore), suspected, el('td', {}, pm)))
  }
  t.append(tb)
  wrap.append(t)
  return wrap
}

async function showPostmortem(button, id) {
  const row = button.closest('tr')
  const existing = row.nextElementSibling
  if (existing && existing.classList.contains('pm-row')) return existing.remove()
  const pre = el('pre', { class: 'postmortem', text: 'Loading…' })
  row.after(el('tr', { class: 'pm-row' }, el('td', { colspan: '7' }, pre)))
  try {
    pre.textContent = await api('/api/v1/incidents/' + encodeURIComponent(id) + '/postmortem', null, 'text/markdown')
  } catch (e) {
    if (e instanceof AuthNeeded) return needToken()
    pre.textContent = 'Could not load the draft: ' + e.message
  }
}

function setStatus(text, error) {
  const s = $('status')
  s.textContent = text
  s.classList.toggle('error', !!error)
}

function needToken() {
  $('auth').hidden = false
  $('figures').hidden = true
  setStatus(sessionStorage.getItem(TOKEN_KEY) ? 'That token was refused. Paste a valid API token.' : 'Paste an API token to see the figures.', true)
  $('token').focus()
}

async function load() {
  const p = periodOf(state.preset, state.from, state.to)
  if (!p.from || !p.to) return setStatus('Choose a from and a to date.', true)
  setStatus('Loading…')
  const q = { from: p.from, to: p.to }
  try {
    // The status and replay state only add a banner and tier bands: without them the figures still show.
    const optional = (p) => p.catch((e) => { if (e instanceof AuthNeeded) throw e; return null })
    const [teams, teamWeeks, services, serviceWeeks, notes, overallWeeks, status, replay, authors, freezes, imports] = await Promise.all([
      api('/api/v1/metrics', { ...q, groupBy: 'team' }),
      api('/api/v1/metrics', { ...q, groupBy: 'team', bucket: 'week' }),
      api('/api/v1/metrics', { ...q, groupBy: 'service' }),
      api('/api/v1/metrics', { ...q, groupBy: 'service', bucket: 'week' }),
      api('/api/v1/annotations', q),
      api('/api/v1/metrics', { ...q, groupBy: 'none', bucket: 'week' }),
      optional(api('/api/v1/status')),
      optional(api('/api/v1/replay')),
      api('/api/v1/metrics', { ...q, groupBy: 'authorClass' }),
      optional(api('/api/v1/freezes', q)),
      optional(api('/api/v1/imports')),
    ])
    $('auth').hidden = true
    data = { teams, teamWeeks, services, serviceWeeks, overallWeeks, status, replay, imports, notes: notes.annotations, authors, freezes: freezes ? freezes.freezes : [], from: teams.from, to: teams.to }
    $('range').textContent = `${teams.from.slice(0, 10)} → ${teams.to.slice(0, 10)} (${teams.tz}, end exclusive) · deployment frequency per day of the period; lead time, time to restore and recovery are medians`
    setStatus('')
    render()
    for (const f of onData) f(data)
  } catch (e) {
    if (e instanceof AuthNeeded) return needToken()
    setStatus('Could not load the figures: ' + e.message, true)
  }
}

function syncForm() {
  $('preset').value = state.preset
  $('author').value = state.author
  const p = periodOf(state.preset, state.from, state.to)
  $('from').value = p.from || ''
  $('to').value = p.to || ''
  $('period').classList.toggle('is-custom', state.preset === 'custom')
}

document.addEventListener('DOMContentLoaded', () => {
  syncForm()
  $('preset').addEventListener('change', () => {
    const cur = periodOf($('preset').value, $('from').value, $('to').value)
    $('from').value = cur.from || ''
    $('to').value = cur.to || ''
    $('period').classList.toggle('is-custom', $('preset').value === 'custom')
    if ($('preset').value !== 'custom') $('period').requestSubmit()
  })
  $('period').addEventListener('submit', (e) => {
    e.preventDefault()
    state.preset = $('preset').value
    state.from = $('from').value
    state.to = $('to').value
    state.author = $('author').value
    writeHash(state)
    load()
  })
  $('author').addEventListener('change', () => $('period').requestSubmit())
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault()
    const t = $('token').value.trim()
    if (t) sessionStorage.setItem(TOKEN_KEY, t)
    $('token').value = ''
    load()
  })
  window.addEventListener('hashchange', () => {
    Object.assign(state, readHash())
    syncForm()
    load()
  })
  load()
})
