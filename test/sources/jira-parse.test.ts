import { describe, expect, it } from 'vitest'
import { parseEnvelope } from '../../sources/parse.ts'
import { expectDlq, fixture, single } from '../parse/fixtures.ts'
import { sourceEnvelope } from './helpers.ts'

const jira = (data: string | object, id = 'hook-1') => parseEnvelope(sourceEnvelope('jira', data, id))
const recorded = (): Record<string, any> => JSON.parse(fixture('jira/issue_updated.status.json'))

/** The recorded issue moved into a status of `category` (from `from`), with extra changelog items. */
function moved(from: string, to: string, category: string, extra: object[] = []): Record<string, any> {
  const p = recorded()
  p['changelog']['items'] = [{ field: 'status', fieldtype: 'jira', from: '1', fromString: from, to: '2', toString: to }, ...extra]
  p['issue']['fields']['status']['name'] = to
  p['issue']['fields']['status']['statusCategory']['key'] = category
  return p
}

describe('the recorded Jira Cloud payload (zulip fixture, To Do → In Progress)', () => {
  it('issue_updated.status.json: acknowledged at the body timestamp, type and labels as tags', () => {
    expect(single(jira(fixture('jira/issue_updated.status.json')), 'IncidentTransitioned')).toEqual({
      type: 'IncidentTransitioned',
      key: 'incident:jira:10000:acknowledged:2017-01-30T17:32:14.721Z',
      routing: 'jira:ABC',
      origin: 'jira',
      incidentId: '10000',
      serviceRef: 'ABC',
      serviceName: 'Fix That',
      team: null,
      transition: 'acknowledged',
      at: '2017-01-30T17:32:14.721Z',
      createdAt: '2017-01-30T17:30:41.962Z',
      title: 'TEST-1: Fix That',
      text: 'Fix That',
      urgency: undefined,
      priority: 'Medium',
      links: [],
      number: 1,
      url: 'https://zulipp.atlassian.net/browse/TEST-1',
      agent: 'James Williams',
      tags: ['type:task'],
    })
  })
})

describe('status transitions (§4 resolve and reopen)', () => {
  it('into the done category: resolved', () => {
    expect(single(jira(moved('In Progress', 'Fixed', 'done')), 'IncidentTransitioned').transition).toBe('resolved')
  })
  it('out of done: reopened (the resolution cleared, or the old status a done name)', () => {
    expect(single(jira(moved('Fixed', 'In Progress', 'indeterminate', [{ field: 'resolution', fromString: 'Fixed', to: null, toString: null }])), 'IncidentTransitioned').transition).toBe('reopened')
    expect(single(jira(moved('Done', 'To Do', 'new')), 'IncidentTransitioned').transition).toBe('reopened')
  })
  it('between open statuses: acknowledged into In Progress, updated into To Do; no status item: updated', () => {
    expect(single(jira(moved('In Progress', 'To Do', 'new')), 'IncidentTransitioned').transition).toBe('updated')
    const p = recorded()
    p['changelog']['items'] = [{ field: 'summary', fromString: 'a', toString: 'b' }]
    expect(single(jira(p), 'IncidentTransitioned').transition).toBe('updated')
  })
})

describe('created, labels, other events, bad input', () => {
  it('jira:issue_created: triggered at fields.created; labels lowercased as tags', () => {
    const p = recorded()
    p['webhookEvent'] = 'jira:issue_created'
    delete p['changelog']
    p['issue']['fields']['issuetype']['name'] = 'Incident'
    p['issue']['fields']['labels'] = ['Sev1', 'checkout']
    p['issue']['fields']['status']['statusCategory']['key'] = 'new'
    const e = single(jira(p), 'IncidentTransitioned')
    expect([e.transition, e.at, e.tags]).toEqual(['triggered', '2017-01-30T17:30:41.962Z', ['type:incident', 'label:sev1', 'label:checkout']])
  })
  it('Cloud v3 descriptions (Atlassian Document Format) become their text', () => {
    const p = recorded()
    p['issue']['fields']['description'] = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'root cause:' }, { type: 'text', text: '58793660b22d' }] }] }
    expect(single(jira(p), 'IncidentTransitioned').text).toBe('root cause: 58793660b22d')
  })
  it('issue_deleted and comment events are dropped', () => {
    expect(jira({ ...recorded(), webhookEvent: 'jira:issue_deleted' })).toMatchObject({ kind: 'drop', code: 'not_used_by_metrics', reason: expect.stringMatching(/jira:issue_deleted/) })
    expect(jira({ webhookEvent: 'comment_created', timestamp: 1 }).kind).toBe('drop')
  })
  it('a created time that is none, a missing project: dead letters naming the field; no zone: UTC', () => {
    const p = recorded()
    p['issue']['fields']['created'] = 'last monday'
    expectDlq(jira(p), 'issue.fields.created')
    p['issue']['fields']['created'] = '2017-01-30T18:30:41.962'
    expect(single(jira(p), 'IncidentTransitioned').createdAt).toBe('2017-01-30T18:30:41.962Z')
    const q = recorded()
    delete q['issue']['fields']['project']
    expectDlq(jira(q), 'issue.fields.project.key')
  })
})
