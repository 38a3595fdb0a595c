/**
 * Jira admin webhooks → IncidentTransitioned (§4). Body: `{timestamp (epoch ms),
 * webhookEvent, issue: {id, key, fields}, changelog: {items: [{field, fromString, toString}]}}`.
 *
 * - `jira:issue_created` → `triggered` at `fields.created`;
 * - `jira:issue_updated` with a `status` item in the changelog: into a status of the
 *   `done` category → `resolved`; out of done (the changelog clears `resolution`, or the
 *   old status is a done name) → `reopened`; into `indeterminate` (In Progress) →
 *   `acknowledged`; other updates → `updated`, all at the body's `timestamp`.
 * Which issues are incidents (issue type, labels) is the configuration's call, made over
 * all of an issue's events (`tags`), so a later relabel reaches its earlier events too.
 */
import { DateTime } from 'luxon'
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type IncidentTransition, type IncidentTransitioned, type ParseOutcome } from '../../contracts/events.ts'
import { arr, at, BadField, guard, idStr, isObj, num, optNonEmpty, optStr, parseJson, str, unixTime } from '../fields.ts'

/** Jira's three status categories are fixed (new, indeterminate, done); `done` is the only finished one. */
const DONE = 'done'
/** Status names of Jira's default workflows in the done category: a transition out of one is a reopen. */
const DONE_NAMES = new Set(['done', 'resolved', 'closed', 'cancelled', 'canceled', "won't do", "won't fix"])

/** `2017-01-30T18:30:41.962+0100` (Jira's offset has no colon) → ISO instant in UTC; no zone: UTC, as everywhere. */
function jiraTime(root: unknown, path: string): string {
  const v = str(root, path)
  const d = DateTime.fromISO(v, { zone: 'utc' })
  if (!d.isValid) throw new BadField(`${path} is not a valid date-time: ${JSON.stringify(v)}`, 'bad_timestamp')
  return d.toUTC().toISO()!
}

/** Cloud API v3 payloads carry descriptions as Atlassian Document Format: its text leaves, in order. */
function plainText(v: unknown): string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return v
  const out: string[] = []
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk)
    else if (isObj(n)) {
      if (typeof n['text'] === 'string') out.push(n['text'])
      walk(n['content'])
    }
  }
  walk(v)
  return out.join(' ')
}

interface StatusItem { fromString: string | null; toString: string | null }

function statusChange(body: unknown): { status: StatusItem | null; resolutionCleared: boolean } {
  if (at(body, 'changelog.items') == null) return { status: null, resolutionCleared: false }
  const items = arr(body, 'changelog.items')
  let status: StatusItem | null = null
  let resolutionCleared = false
  for (let i = 0; i < items.length; i++) {
    const field = optStr(body, `changelog.items.${i}.field`)
    if (field === 'status') status = { fromString: optStr(body, `changelog.items.${i}.fromString`), toString: optStr(body, `changelog.items.${i}.toString`) }
    if (field === 'resolution' && !optNonEmpty(body, `changelog.items.${i}.to`) && !optNonEmpty(body, `changelog.items.${i}.toString`)) resolutionCleared = true
  }
  return { status, resolutionCleared }
}

export function updateTransition(body: unknown): IncidentTransition {
  const { status, resolutionCleared } = statusChange(body)
  if (status === null) return 'updated'
  const category = str(body, 'issue.fields.status.statusCategory.key').toLowerCase()
  if (category === DONE) return 'resolved'
  if (resolutionCleared || DONE_NAMES.has(status.fromString?.toLowerCase() ?? '')) return 'reopened'
  return category === 'indeterminate' ? 'acknowledged' : 'updated'
}

/** `https://site.atlassian.net/rest/api/2/issue/10000` + `TEST-1` → `https://site.atlassian.net/browse/TEST-1`. */
function browseUrl(self: string | null, key: string): string | null {
  const m = self ? /^(https?:\/\/[^/]+(?:\/[^/]+)*?)\/rest\/api\//.exec(self) : null
  return m ? `${m[1]}/browse/${key}` : null
}

export function parseJira(env: Envelope): ParseOutcome {
  return guard('jira', () => {
    const body = parseJson(env.data)
    if (!isObj(body)) throw new BadField('body must be a JSON object', 'bad_json')
    const webhookEvent = str(body, 'webhookEvent')
    if (webhookEvent !== 'jira:issue_created' && webhookEvent !== 'jira:issue_updated') return drop(`jira ${webhookEvent} is not used by the metrics`, 'not_used_by_metrics')
    const issueId = idStr(body, 'issue.id')
    const key = str(body, 'issue.key')
    const projectKey = str(body, 'issue.fields.project.key').toUpperCase()
    const createdAt = jiraTime(body, 'issue.fields.created')
    const eventAt = unixTime(num(body, 'timestamp') / 1000, 'timestamp')
    const labels = at(body, 'issue.fields.labels') == null ? [] : arr(body, 'issue.fields.labels').map((_, i) => str(body, `issue.fields.labels.${i}`).toLowerCase())
    const base: Omit<IncidentTransitioned, 'key' | 'transition' | 'at'> = {
      type: 'IncidentTransitioned',
      routing: `jira:${projectKey}`,
      origin: 'jira',
      // The id, not the key: an issue moved to another project keeps its id and gets a new key.
      incidentId: issueId,
      serviceRef: projectKey,
      serviceName: optStr(body, 'issue.fields.project.name') ?? projectKey,
      team: null,
      createdAt,
      title: `${key}: ${optStr(body, 'issue.fields.summary') ?? ''}`,
      text: plainText(at(body, 'issue.fields.description')),
      urgency: undefined,
      priority: at(body, 'issue.fields.priority') === undefined ? undefined : at(body, 'issue.fields.priority') === null ? null : str(body, 'issue.fields.priority.name'),
      links: [],
      number: /-(\d+)$/.test(key) ? Number(/-(\d+)$/.exec(key)![1]) : null,
      url: browseUrl(optStr(body, 'issue.self'), key),
      agent: optStr(body, 'user.displayName'),
      tags: [`type:${str(body, 'issue.fields.issuetype.name').toLowerCase()}`, ...labels.map((l) => `label:${l}`)],
    }
    const event = (transition: IncidentTransition, when: string): IncidentTransitioned => ({ ...base, key: `incident:jira:${issueId}:${transition}:${when}`, transition, at: when })
    if (webhookEvent === 'jira:issue_created') {
      const done = str(body, 'issue.fields.status.statusCategory.key').toLowerCase() === DONE
      return ok(done ? [event('triggered', createdAt), event('resolved', eventAt)] : [event('triggered', createdAt)])
    }
    return ok([event(updateTransition(body), eventAt)])
  })
}
